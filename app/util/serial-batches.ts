/**
 * Runs an async job over items as they arrive, one job at a time, each over everything that arrived while the
 * one before ran. `drain` waits until every item added so far has been through the job, and rethrows the first
 * job's error. Used for the work an index run does per stored photo after the photo is in the catalog (see
 * [Note: keywords and marks during the run]).
 */
export class SerialBatches<T> {
  private pending: T[] = [];
  private running: Promise<void> | undefined;
  private error: unknown;

  constructor(private readonly job: (items: T[]) => Promise<void>) {}

  add(item: T): void {
    this.pending.push(item);
    this.running ??= this.run();
  }

  async drain(): Promise<void> {
    while (this.running) await this.running;
    if (this.error !== undefined) throw this.error;
  }

  private async run(): Promise<void> {
    // Starts on a later tick, so the items of one synchronous burst (a stored batch) go through together.
    await Promise.resolve();
    try {
      while (this.pending.length > 0) {
        const items = this.pending;
        this.pending = [];
        if (this.error === undefined) await this.job(items).catch((err: unknown) => { this.error = err; });
      }
    } finally {
      this.running = undefined;
    }
  }
}

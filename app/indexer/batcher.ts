/**
 * Collects items into batches of `size` and hands each full batch to `process`, one batch at a time.
 * `add` returns as soon as the item is queued unless a full batch is already waiting behind the running
 * one: then it waits. That is the back-pressure that keeps decoding at most one batch ahead of inference,
 * so memory stays flat however many files a run has, while decode and inference still overlap.
 */
export class Batcher<T> {
  private buffer: T[] = [];
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly size: number,
    private readonly process: (batch: T[]) => Promise<void>,
  ) {}

  async add(item: T): Promise<void> {
    this.buffer.push(item);
    if (this.buffer.length >= this.size) await this.dispatch();
  }

  /** Processes whatever is left and waits for every batch to finish. */
  async flush(): Promise<void> {
    if (this.buffer.length > 0) await this.dispatch();
    await this.running;
  }

  private async dispatch(): Promise<void> {
    const batch = this.buffer;
    this.buffer = [];
    const previous = this.running;
    this.running = previous.then(() => this.process(batch));
    await previous;
  }
}

/** A counting semaphore: at most `limit` holders at once. */
export class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.active--;
  }
}

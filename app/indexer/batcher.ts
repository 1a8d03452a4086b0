/**
 * Collects items into batches of `size`. Each full batch is handed to `start` at once (inference, say) and
 * then to `finish` with what `start` gave, one batch at a time and in order (storing it, say).
 * `add` returns as soon as the item is queued unless a full batch is already waiting behind the running
 * one: then it waits. That is the back-pressure that keeps decoding at most one batch ahead of inference,
 * so memory stays flat however many files a run has, while decode and inference still overlap.
 *
 * [Note: the next batch already queued]
 * A batch is started as soon as it is full, not when the one before it has been finished: the inference
 * thread then has the next batch waiting in its queue while the main thread stores the previous one and
 * answers its reply, so it does not idle between batches. When `start` waited for the previous `finish`,
 * every batch paid that round trip and the store's transaction (on a main thread also busy with the next
 * photos' JavaScript) as idle inference: 5–18 ms between two runs on the inference thread, 0–1 ms now
 * (fp32 ViT-B/32, batches of 8 of ~425 ms). At most two batches are started and not finished: the one being
 * inferred and the one queued behind it.
 */
export class Batcher<T, R = void> {
  private buffer: T[] = [];
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly size: number,
    private readonly start: (batch: T[]) => Promise<R>,
    private readonly finish: (batch: T[], started: Settled<R>) => void | Promise<void> = () => {},
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
    const started = settle(() => this.start(batch));
    const previous = this.running;
    this.running = previous.then(async () => this.finish(batch, await started));
    await previous;
  }
}

/** What a batch's start gave: its value, or the error it failed with (handed on, never left unhandled). */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

function settle<R>(fn: () => Promise<R>): Promise<Settled<R>> {
  try {
    return fn().then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
  } catch (error) {
    return Promise.resolve({ ok: false as const, error });
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

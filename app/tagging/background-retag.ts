import type { Tagging } from './tagging.js';

/**
 * Keeps a tagged library's tags current without making anyone wait: re-tagging runs in the background after
 * the library changed (indexing) or when the vocabulary or the model changed (stale). One run at a time; a
 * change during a run asks for one more run. Only libraries that were auto-tagged once are re-tagged.
 */
export class BackgroundRetag {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly tagging: Tagging,
    private readonly onError: (message: string) => void,
  ) {}

  /** Starts (or joins) a run; `always` = the library changed, otherwise only when tags are stale. */
  start(always: boolean): Promise<void> {
    if (!this.tagging.hasRun()) return Promise.resolve();
    if (this.running) {
      if (always) this.again = true;
      return this.running;
    }
    this.running = (async () => {
      if (always || (await this.tagging.isStale())) await this.tagging.autotag();
      while (this.again) {
        this.again = false;
        await this.tagging.autotag();
      }
    })()
      .catch((err: unknown) => this.onError(`background tagging failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** Resolves when no run is under way (close waits for it so no run is cut off mid-way). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }
}

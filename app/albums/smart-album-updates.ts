import type { SmartUpdate } from '../catalog/smart-albums.js';
import { messageOf } from '../util/errors.js';
import type { SmartAlbums } from './smart-albums.js';

/**
 * Keeps smart albums current without making anyone wait: an update runs in the background after photos were
 * indexed or removed, after tags changed and after a model switch. One run at a time; a change during a run
 * asks for one more run (so a long import costs a run per batch of changes, not one per photo).
 */
export class SmartAlbumUpdates {
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private readonly listeners = new Set<(change: SmartUpdate) => void>();

  constructor(
    private readonly smart: SmartAlbums,
    private readonly onWarning: (message: string) => void,
  ) {}

  /** Called after each run that changed some album's members (the windows refresh their grids). */
  onChange(listener: (change: SmartUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts a run, or asks the running one for another pass. */
  schedule(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        const change = await this.smart.updateAll((album, err) => this.onWarning(`smart album "${album}" was not updated: ${messageOf(err)}`));
        if (change.added > 0 || change.removed > 0) for (const listener of this.listeners) listener(change);
      } while (this.again && !this.closed);
    })()
      .catch((err: unknown) => this.onWarning(`smart albums were not updated: ${messageOf(err)}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** Resolves when no run is under way (tests wait for it). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Lets the run under way finish and starts no more (the catalog is about to close). */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }
}

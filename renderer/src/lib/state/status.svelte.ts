import type { ApiClient } from '../../../../app/api/client.js';
import type { IndexingState, LibraryStatus } from '../../../../app/api/contract.js';

/** The library overview (folders, counts, model) and the live indexing progress every screen shows. */
export class StatusState {
  status = $state<LibraryStatus | null>(null);
  indexing = $state<IndexingState | null>(null);
  error = $state<string | null>(null);

  readonly busy = $derived(this.indexing !== null && this.indexing.state !== 'idle');
  readonly hasFolders = $derived((this.status?.folders.length ?? 0) > 0);

  constructor(private readonly api: ApiClient) {}

  /** Subscribes to the core's events; returns the unsubscribe. */
  listen(onLibraryChanged: () => void): () => void {
    const offProgress = this.api.on('indexing.progress', (state) => {
      const wasBusy = this.busy;
      this.indexing = state;
      // A run finished or started: folder counts and failures changed.
      if (wasBusy !== this.busy) void this.refresh();
    });
    const offChanged = this.api.on('library.changed', () => {
      void this.refresh();
      onLibraryChanged();
    });
    return () => {
      offProgress();
      offChanged();
    };
  }

  async refresh(): Promise<void> {
    try {
      const status = await this.api.call('status', {});
      this.status = status;
      this.indexing = status.indexing;
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  async pause(): Promise<void> {
    this.indexing = await this.api.call('indexing.pause', {});
  }

  async resume(): Promise<void> {
    this.indexing = await this.api.call('indexing.resume', {});
  }
}

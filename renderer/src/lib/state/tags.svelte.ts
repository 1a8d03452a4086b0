import type { ApiClient } from '../../../../app/api/client.js';
import type { TagCountView } from '../../../../app/api/contract.js';

/** The library's tags with their photo counts (the tag panel), and running auto-tagging on request. */
export class TagsState {
  counts = $state.raw<TagCountView[]>([]);
  loaded = $state(false);
  autotagging = $state(false);
  error = $state<string | null>(null);
  /** What the last auto-tagging run did, in words. */
  notice = $state<string | null>(null);

  constructor(private readonly api: ApiClient) {}

  async load(): Promise<void> {
    try {
      this.counts = await this.api.call('tags.counts', {});
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.loaded = true;
    }
  }

  async autotag(): Promise<void> {
    this.autotagging = true;
    try {
      const report = await this.api.call('tags.autotag', {});
      this.notice = `Suggested ${report.suggestions.toLocaleString()} tags for ${report.photos.toLocaleString()} photos.`;
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.autotagging = false;
    }
    await this.load();
  }
}

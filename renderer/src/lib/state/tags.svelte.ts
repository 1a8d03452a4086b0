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

  /** The user's own tag on several photos at once (the batch bar); the counts follow. */
  async tagPhotos(ids: number[], tag: string): Promise<boolean> {
    if (ids.length === 0 || !tag.trim()) return false;
    try {
      const result = await this.api.call('tags.decide', { ids, tag: tag.trim(), decision: 'add' });
      this.notice = `Tagged ${result.photos.toLocaleString()} ${result.photos === 1 ? 'photo' : 'photos'} “${result.tag}”.`;
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
      return false;
    }
    await this.load();
    return true;
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

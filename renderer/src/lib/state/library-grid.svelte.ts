import type { ApiClient } from '../../../../app/api/client.js';
import type { Filters, Page, PhotoSummary } from '../../../../app/api/contract.js';

const PAGE_SIZE = 300;

/**
 * The library grid's photos, newest first, loaded page by page with `photos.page` keyset pagination as the
 * grid scrolls (see [Note: grid virtualization]). A reset (new filters, library changed) starts a new
 * generation; pages of an older generation arriving late are dropped.
 */
export class LibraryGrid {
  items = $state.raw<PhotoSummary[]>([]);
  total = $state(0);
  loaded = $state(false);
  error = $state<string | null>(null);
  private next: Page['next'] = null;
  private loading: Promise<void> | null = null;
  private generation = 0;
  private filters: Filters = {};

  /** Photos known to exist but not loaded yet: the grid reserves their space. */
  readonly pending = $derived(Math.max(0, this.total - this.items.length));

  constructor(private readonly api: ApiClient) {}

  /** Starts over from the newest photo with these filters. */
  async reset(filters: Filters): Promise<void> {
    this.filters = filters;
    const generation = ++this.generation;
    this.loading = null;
    this.next = null;
    await this.fetch(generation, null, true);
  }

  /** Fetches the next page unless one is already on its way or there is none. */
  loadMore(): Promise<void> {
    if (this.loading) return this.loading;
    if (!this.next) return Promise.resolve();
    return this.fetch(this.generation, this.next, false);
  }

  private fetch(generation: number, after: Page['next'], replace: boolean): Promise<void> {
    const request = this.api
      .call('photos.page', { limit: PAGE_SIZE, filters: this.filters, ...(after ? { after } : {}) })
      .then(
        (page) => {
          if (generation !== this.generation) return;
          this.items = replace ? page.items : [...this.items, ...page.items];
          this.total = page.total;
          this.next = page.next;
          this.loaded = true;
          this.error = null;
        },
        (err: Error) => {
          if (generation === this.generation) this.error = err.message;
        },
      )
      .finally(() => {
        if (this.loading === request) this.loading = null;
      });
    this.loading = request;
    return request;
  }
}

import type { ApiClient } from '../../../../app/api/client.js';
import type { Filters, PhotoSummary } from '../../../../app/api/contract.js';
import type { Marks } from '../culling/marks.js';
import { MarkOverrides, patchMarks } from './marks.svelte.js';

/** Results as you type, but not a request per keystroke. */
export const SEARCH_DEBOUNCE_MS = 250;

/** `similar`: "more like these", one photo or several (1–20), optionally steered by words ("at night"). */
type Mode = { kind: 'none' } | { kind: 'text'; query: string } | { kind: 'similar'; photos: PhotoSummary[]; steer: string };

/** The API takes at most this many photos for "more like these". */
export const MAX_SIMILAR = 20;

/**
 * The search box and "find similar": which query is active, its results and whether they are only the closest
 * photos (`weak`). Requests that were overtaken by a newer one are dropped when they arrive.
 */
export class SearchState {
  /** What the box shows; the query runs SEARCH_DEBOUNCE_MS after the last keystroke. */
  text = $state('');
  mode = $state.raw<Mode>({ kind: 'none' });
  results = $state.raw<PhotoSummary[]>([]);
  weak = $state(false);
  searching = $state(false);
  /** True once the active query has answered (so "no results" is not shown while waiting). */
  answered = $state(false);
  error = $state<string | null>(null);

  readonly active = $derived(this.mode.kind !== 'none');
  private timer: ReturnType<typeof setTimeout> | undefined;
  private request = 0;
  private filters: Filters = {};
  private readonly overrides = new MarkOverrides();

  constructor(private readonly api: ApiClient) {}

  /** The box changed: run the text query after a pause in typing (an empty box ends the search). */
  type(text: string): void {
    this.text = text;
    clearTimeout(this.timer);
    const query = text.trim();
    if (!query) {
      this.clear();
      return;
    }
    this.timer = setTimeout(() => {
      this.mode = { kind: 'text', query };
      void this.run();
    }, SEARCH_DEBOUNCE_MS);
  }

  findSimilar(photos: PhotoSummary[], steer = ''): void {
    if (photos.length === 0) return;
    clearTimeout(this.timer);
    this.text = '';
    this.mode = { kind: 'similar', photos: photos.slice(0, MAX_SIMILAR), steer: steer.trim() };
    // Another question entirely: the previous results must not stand in for its answer while it runs.
    this.results = [];
    this.answered = false;
    void this.run();
  }

  clear(): void {
    clearTimeout(this.timer);
    this.request++;
    this.text = '';
    this.mode = { kind: 'none' };
    this.results = [];
    this.weak = false;
    this.searching = false;
    this.answered = false;
    this.error = null;
  }

  /** New filters (or a changed library): rerun the active query with them. */
  setFilters(filters: Filters): void {
    this.filters = filters;
    if (this.active) void this.run();
  }

  refresh(): void {
    if (this.active) void this.run();
  }

  /** New marks on some results (see MarksState): shown at once. */
  patch(ids: ReadonlySet<number>, marks: Partial<Marks>): void {
    this.overrides.record(ids, marks);
    this.results = patchMarks(this.results, ids, marks);
  }

  private async run(): Promise<void> {
    const mode = this.mode;
    if (mode.kind === 'none') return;
    const request = ++this.request;
    const stamp = this.overrides.stamp();
    this.searching = true;
    try {
      const response =
        mode.kind === 'text'
          ? await this.api.call('search.text', { query: mode.query, filters: this.filters })
          : await this.api.call('search.similar', {
              ...(mode.photos.length === 1 ? { id: mode.photos[0]!.id } : { ids: mode.photos.map((p) => p.id) }),
              ...(mode.steer ? { text: mode.steer } : {}),
              filters: this.filters,
            });
      if (request !== this.request) return;
      this.results = this.overrides.apply(response.results, stamp);
      this.weak = response.weak;
      this.error = null;
    } catch (err) {
      if (request !== this.request) return;
      this.results = [];
      this.weak = false;
      this.error = (err as Error).message;
    } finally {
      if (request === this.request) {
        this.searching = false;
        this.answered = true;
      }
    }
  }
}

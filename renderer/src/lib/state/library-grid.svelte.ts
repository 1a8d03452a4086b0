import type { ApiClient } from '../../../../app/api/client.js';
import type { Filters, Page, PhotoSummary } from '../../../../app/api/contract.js';
import { dayKey, formatDay } from '../format/format.js';
import type { Marks } from '../culling/marks.js';
import { groupBy, type GridGroup } from '../grid/geometry.js';
import { MarkOverrides, patchMarks } from './marks.svelte.js';

/** The first page fills a screen or two; later pages grow to what the scroll position asks for (API max 1000). */
const FIRST_PAGE = 200;
const MAX_PAGE = 1000;
/** The most loaded photos a library change reloads in place (see [Note: grid refresh in place]). */
const REFRESH_SPAN = 5000;

export type GridGrouping = 'day' | 'folder';

interface Folder {
  id: number;
  path: string;
}

/** Where the next page comes from: the whole library, or (grouped by folder) one folder after another. */
interface Cursor {
  /** Index into the folder list; -1 = all folders at once (day grouping). */
  folder: number;
  after: Page['next'];
}

/**
 * The library grid's photos, newest first, loaded page by page with `photos.page` keyset pagination as the
 * grid scrolls (see [Note: grid virtualization]). Grouped by folder, the folders are read one after another,
 * each newest first, and `sections` says where each begins. A reset (new filters or grouping, library
 * changed) starts a new generation; pages of an older generation arriving late are dropped.
 */
export class LibraryGrid {
  items = $state.raw<PhotoSummary[]>([]);
  total = $state(0);
  loaded = $state(false);
  error = $state<string | null>(null);
  grouping = $state<GridGrouping>('day');
  /** The run of `items` under each header: a day, or a folder. Built as pages arrive, never from scratch. */
  sections = $state.raw<GridGroup[]>([]);
  private cursor: Cursor | null = null;
  private folders: Folder[] = [];
  private loading: Promise<void> | null = null;
  /** Photos asked for while a page was on its way: fetched right after it (see loadMore). */
  private queued = 0;
  private generation = 0;
  private filters: Filters = {};
  private readonly overrides = new MarkOverrides();

  /** Photos known to exist but not loaded yet: the grid reserves their space. */
  readonly pending = $derived(Math.max(0, this.total - this.items.length));

  constructor(private readonly api: ApiClient) {}

  /** Starts over from the newest photo with these filters; `folders` are the library's, for folder grouping. */
  async reset(filters: Filters, folders: Folder[]): Promise<void> {
    this.filters = filters;
    const chosen = filters.folderIds;
    this.folders = chosen ? folders.filter((f) => chosen.includes(f.id)) : folders;
    const generation = ++this.generation;
    this.loading = null;
    this.queued = 0;
    this.cursor = { folder: this.grouping === 'folder' ? 0 : -1, after: null };
    if (this.grouping === 'folder' && this.folders.length === 0) this.cursor = null;
    await this.fetch(generation, true, FIRST_PAGE);
  }

  /**
   * [Note: grid refresh in place] The library changed (a photo rated, a file indexed) but the view did not: the
   * photos already loaded are read again and swapped in at once, so a photographer culling deep in the grid sees
   * the marks change, not the rows go blank and refill from the top as a reset would do on every key press. A
   * fresh grid of the same grouping loads the same span in the background; a reset meanwhile wins. Beyond
   * REFRESH_SPAN loaded photos this costs more than it saves, and it is a reset.
   */
  async refresh(filters: Filters, folders: Folder[]): Promise<void> {
    const keep = this.items.length;
    if (keep <= FIRST_PAGE || keep > REFRESH_SPAN || JSON.stringify(filters) !== JSON.stringify(this.filters)) return this.reset(filters, folders);
    const generation = this.generation;
    const stamp = this.overrides.stamp();
    const shadow = new LibraryGrid(this.api);
    shadow.grouping = this.grouping;
    await shadow.reset(filters, folders);
    while (shadow.items.length < keep && shadow.cursor && generation === this.generation) {
      const before = shadow.items.length;
      await shadow.loadMore(Math.min(MAX_PAGE, keep - before));
      if (shadow.items.length === before) break;
    }
    if (generation !== this.generation || shadow.error) return;
    // A new generation: pages of the old one still on their way are dropped.
    this.generation++;
    this.loading = null;
    this.queued = 0;
    this.folders = shadow.folders;
    this.cursor = shadow.cursor;
    this.items = this.overrides.apply(shadow.items, stamp);
    this.sections = shadow.sections;
    this.total = shadow.total;
    this.loaded = true;
    this.error = null;
  }

  /**
   * Fetches the next page (about `wanted` photos) unless there is none. While a page is on its way the wish is
   * remembered, not dropped: the grid asks again as soon as the page lands, which can be before this request
   * has settled, and then nothing else would ask (a jump to the end would stall).
   */
  loadMore(wanted = FIRST_PAGE): Promise<void> {
    if (this.loading) {
      this.queued = Math.max(this.queued, wanted);
      return this.loading;
    }
    if (!this.cursor) return Promise.resolve();
    return this.fetch(this.generation, false, Math.min(MAX_PAGE, Math.max(FIRST_PAGE, wanted)));
  }

  /**
   * Loads every page still missing (select-all needs every photo of the view); `limit` caps it, so a very large
   * library does not load without end.
   */
  async loadAll(limit = 100_000): Promise<void> {
    while (this.cursor && this.items.length < limit) {
      const before = this.items.length;
      await this.loadMore(MAX_PAGE);
      if (this.items.length === before && !this.loading) break;
    }
  }

  /** New marks on some photos (see MarksState): shown at once, before the reload the change brings. */
  patch(ids: ReadonlySet<number>, marks: Partial<Marks>): void {
    this.overrides.record(ids, marks);
    this.items = patchMarks(this.items, ids, marks);
  }

  private fetch(generation: number, replace: boolean, limit: number): Promise<void> {
    const request = this.fetchPage(generation, replace, limit)
      .catch((err: Error) => {
        if (generation === this.generation) this.error = err.message;
      })
      .finally(() => {
        if (this.loading !== request) return;
        this.loading = null;
        const queued = this.queued;
        this.queued = 0;
        if (queued > 0 && generation === this.generation) void this.loadMore(queued);
      });
    this.loading = request;
    return request;
  }

  private async fetchPage(generation: number, replace: boolean, limit: number): Promise<void> {
    const cursor = this.cursor;
    const stamp = this.overrides.stamp();
    // Folder grouping asks for the library-wide total once, so the scroll height covers every folder.
    const total = replace && cursor && cursor.folder >= 0 ? (await this.api.call('photos.page', { limit: 1, filters: this.filters })).total : undefined;
    const folder = cursor && cursor.folder >= 0 ? this.folders[cursor.folder] : undefined;
    const page: Page = cursor
      ? await this.api.call('photos.page', {
          limit,
          filters: folder ? { ...this.filters, folderIds: [folder.id] } : this.filters,
          ...(cursor.after ? { after: cursor.after } : {}),
        })
      : { items: [], next: null, total: 0 };
    if (generation !== this.generation) return;

    const start = replace ? 0 : this.items.length;
    const items = this.overrides.apply(page.items, stamp);
    this.items = replace ? items : [...this.items, ...items];
    this.total = total ?? (folder ? this.total : page.total);
    const before = replace ? [] : this.sections;
    this.sections = folder ? extendSection(before, folder.path, start, this.items.length) : appendDays(before, page.items, start);
    this.cursor = advance(cursor, page.next, this.folders.length);
    this.loaded = true;
    this.error = null;
    // An empty folder adds nothing to scroll for: go straight on to the next one.
    if (folder && page.items.length === 0 && this.cursor) await this.fetchPage(generation, false, limit);
  }
}

function advance(cursor: Cursor | null, next: Page['next'], folderCount: number): Cursor | null {
  if (!cursor) return null;
  if (next) return { folder: cursor.folder, after: next };
  return cursor.folder >= 0 && cursor.folder + 1 < folderCount ? { folder: cursor.folder + 1, after: null } : null;
}

function extendSection(sections: GridGroup[], label: string, start: number, end: number): GridGroup[] {
  if (end <= start) return sections;
  const last = sections.at(-1);
  if (last && last.label === label) return [...sections.slice(0, -1), { ...last, end }];
  return [...sections, { label, start, end }];
}

/** The day headers for a new page, continuing the last day of the previous page when it carries on. */
function appendDays(sections: GridGroup[], items: PhotoSummary[], offset: number): GridGroup[] {
  // One copy per page (not per day): with 100 000 photos there are thousands of days.
  const result = sections.slice();
  for (const day of groupBy(items, (p) => dayKey(p.sortKey))) {
    const label = formatDay(items[day.start]!.sortKey);
    const last = result.at(-1);
    if (last && last.label === label && last.end === offset + day.start) result[result.length - 1] = { ...last, end: offset + day.end };
    else result.push({ label, start: offset + day.start, end: offset + day.end });
  }
  return result;
}

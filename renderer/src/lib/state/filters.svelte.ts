import type { ApiClient } from '../../../../app/api/client.js';
import type { Facets, Filters } from '../../../../app/api/contract.js';
import { dateInputToMs } from '../format/format.js';

/**
 * The filter controls (folder, date range, camera, tags, culling marks) and the facet values they offer, and the
 * album the grid shows; shared by grid and search.
 */
export class FilterState {
  facets = $state<Facets>({ folders: [], cameras: [], takenRange: null });
  folderId = $state<number | null>(null);
  /** `YYYY-MM-DD` strings straight from the date inputs; empty = unbounded. */
  from = $state('');
  to = $state('');
  camera = $state('');
  /** Tag paths ("Scene > Forest") a photo must all carry; picked in the tag panel. */
  tags = $state<string[]>([]);
  /** Culling: at least this many stars (0: any); this flag or label ('' any, 'none' without one). */
  minRating = $state(0);
  flag = $state<'' | NonNullable<Filters['flag']>>('');
  label = $state<'' | NonNullable<Filters['label']>>('');
  /** The album on screen (null: the whole library); not a control of the filter bar, and `clear` keeps it. */
  albumId = $state<number | null>(null);

  readonly filters: Filters = $derived.by(() => {
    const filters: Filters = {};
    if (this.folderId !== null) filters.folderIds = [this.folderId];
    const from = dateInputToMs(this.from, false);
    const to = dateInputToMs(this.to, true);
    if (from !== undefined) filters.takenFrom = from;
    if (to !== undefined) filters.takenTo = to;
    if (this.camera) filters.cameras = [this.camera];
    if (this.tags.length > 0) filters.tags = [...this.tags];
    if (this.minRating > 0) filters.minRating = this.minRating;
    if (this.flag) filters.flag = this.flag;
    if (this.label) filters.label = this.label;
    if (this.albumId !== null) filters.albumId = this.albumId;
    return filters;
  });
  /** Whether any control of the filter bar narrows the photos (the album on screen is not one). */
  readonly active = $derived(Object.keys(this.filters).some((k) => k !== 'albumId'));
  /** Changes whenever the filters do: a cheap dependency for effects that refetch. */
  readonly signature = $derived(JSON.stringify(this.filters));

  constructor(private readonly api: ApiClient) {}

  async loadFacets(): Promise<void> {
    this.facets = await this.api.call('facets', {});
    // A removed folder cannot stay selected.
    if (this.folderId !== null && !this.facets.folders.some((f) => f.id === this.folderId)) this.folderId = null;
  }

  clear(): void {
    this.folderId = null;
    this.from = '';
    this.to = '';
    this.camera = '';
    this.tags = [];
    this.minRating = 0;
    this.flag = '';
    this.label = '';
  }

  /** Adds a tag to the filters, or takes it out again. */
  toggleTag(path: string): void {
    this.tags = this.tags.includes(path) ? this.tags.filter((t) => t !== path) : [...this.tags, path];
  }
}

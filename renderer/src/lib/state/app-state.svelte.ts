import type { PhotoSummary } from '../../../../app/api/contract.js';
import type { Connection } from '../api/connect.js';
import type { MarkAction, Marks } from '../culling/marks.js';
import { AlbumsState } from './albums.svelte.js';
import { CompareState } from './compare.svelte.js';
import { DuplicatesState } from './duplicates.svelte.js';
import { FilterState } from './filters.svelte.js';
import { FoldersState } from './folders.svelte.js';
import { LibraryGrid } from './library-grid.svelte.js';
import { MarksState } from './marks.svelte.js';
import { ModelsState } from './models.svelte.js';
import { PhotoTagsState } from './photo-tags.svelte.js';
import { SearchState } from './search.svelte.js';
import { SelectionState } from './selection.svelte.js';
import { SettingsState } from './settings.svelte.js';
import { StatusState } from './status.svelte.js';
import { TagsState } from './tags.svelte.js';
import { ViewerState } from './viewer.svelte.js';

export const SCREENS = ['library', 'folders', 'duplicates', 'settings'] as const;
export type Screen = (typeof SCREENS)[number];

/**
 * Wires the managers together explicitly, one per concern, for one window's connection. No module-level
 * singletons: App creates this once and hands the parts to the screens.
 */
export class AppState {
  screen = $state<Screen>('library');
  /** The core went away (browser mode: `serve` stopped): nothing works until a reload. */
  disconnected = $state(false);
  readonly status: StatusState;
  readonly filters: FilterState;
  readonly grid: LibraryGrid;
  readonly search: SearchState;
  readonly viewer: ViewerState;
  readonly settings: SettingsState;
  readonly folders: FoldersState;
  readonly duplicates: DuplicatesState;
  readonly tags: TagsState;
  readonly photoTags: PhotoTagsState;
  readonly models: ModelsState;
  readonly selection: SelectionState;
  readonly marks: MarksState;
  readonly albums: AlbumsState;
  readonly compare: CompareState;

  /** What the library screen shows and the viewer walks through: search results, else the grid. */
  readonly visiblePhotos = $derived.by(() => (this.search.active ? this.search.results : this.grid.items));
  /** The selected photos, in the order the screen shows them. */
  readonly selectedPhotos = $derived.by(() => this.selection.inOrder(this.visiblePhotos));
  /** The album on screen, if any. */
  readonly album = $derived.by(() => this.albums.byId(this.filters.albumId));

  constructor(readonly connection: Connection) {
    const api = connection.api;
    this.status = new StatusState(api);
    this.filters = new FilterState(api);
    this.grid = new LibraryGrid(api);
    this.search = new SearchState(api);
    this.viewer = new ViewerState(api, async () => {
      // Only the grid grows; search results come whole.
      if (this.search.active) return null;
      await this.grid.loadMore();
      return this.grid.items;
    });
    this.settings = new SettingsState(api);
    this.folders = new FoldersState(api, () => this.refreshLibrary());
    this.duplicates = new DuplicatesState(api);
    this.tags = new TagsState(api);
    this.photoTags = new PhotoTagsState(api, () => void this.tags.load());
    this.models = new ModelsState(api, () => void this.status.refresh());
    this.selection = new SelectionState();
    this.compare = new CompareState(api);
    this.marks = new MarksState(
      api,
      (ids) => this.currentMarks(ids),
      (ids, patch) => this.patchMarks(ids, patch),
    );
    this.albums = new AlbumsState(api, (id) => {
      if (this.filters.albumId === id) this.openAlbum(null);
    });
  }

  /** First load, and the event subscriptions; returns the teardown. */
  start(): () => void {
    void this.status.refresh();
    void this.settings.load();
    void this.filters.loadFacets();
    void this.refreshGrid();
    void this.tags.load();
    void this.albums.load();
    this.connection.onDisconnect(() => (this.disconnected = true));
    const offStatus = this.status.listen(() => void this.onLibraryChanged());
    const offModels = this.models.listen();
    return () => {
      offStatus();
      offModels();
    };
  }

  /** Filters changed: both the grid and an active search follow them. */
  applyFilters(): void {
    void this.refreshGrid();
    this.search.setFilters(this.filters.filters);
  }

  /** Shows an album in the grid (null: the whole library), with the filters as they are. */
  openAlbum(id: number | null): void {
    this.filters.albumId = id;
    this.screen = 'library';
    this.applyFilters();
  }

  /**
   * What a culling key or a batch action applies to: the selection; without one, the photo with the keyboard
   * focus (so a photographer can walk the grid with the arrows and press 3, X, 6 without selecting).
   */
  markTargets(): PhotoSummary[] {
    if (this.selectedPhotos.length > 0) return this.selectedPhotos;
    const focused = this.visiblePhotos.find((p) => p.id === this.selection.focus);
    return focused ? [focused] : [];
  }

  mark(action: MarkAction, photos: PhotoSummary[] = this.markTargets()): Promise<void> {
    return this.marks.apply(
      photos.map((p) => p.id),
      action,
    );
  }

  /** The photos as the lists on screen show them now (grid or results, viewer, compare). */
  private currentMarks(ids: readonly number[]): PhotoSummary[] {
    const byId = new Map<number, PhotoSummary>();
    for (const list of [this.compare.photos, this.viewer.list, this.visiblePhotos]) for (const p of list) byId.set(p.id, p);
    return ids.map((id) => byId.get(id)).filter((p): p is PhotoSummary => p !== undefined);
  }

  /** Select-all takes every photo of the view, the grid's pages not loaded yet included. */
  async selectAll(): Promise<void> {
    if (!this.search.active) await this.grid.loadAll();
    this.selection.selectAll(this.visiblePhotos);
  }

  /** "More like these": the selected photos (or the focused one), steered by `steer` when given. */
  moreLikeThese(steer = '', photos: PhotoSummary[] = this.markTargets()): void {
    if (photos.length === 0) return;
    this.screen = 'library';
    this.selection.clear();
    this.search.findSimilar(photos, steer);
  }

  private patchMarks(ids: ReadonlySet<number>, patch: Partial<Marks>): void {
    this.grid.patch(ids, patch);
    this.search.patch(ids, patch);
    this.viewer.patch(ids, patch);
    this.compare.patch(ids, patch);
  }

  async refreshLibrary(): Promise<void> {
    await Promise.all([this.status.refresh(), this.filters.loadFacets()]);
    await this.refreshGrid();
  }

  refreshGrid(): Promise<void> {
    return this.grid.reset(this.filters.filters, this.filters.facets.folders);
  }

  private async onLibraryChanged(): Promise<void> {
    await this.filters.loadFacets();
    await this.grid.refresh(this.filters.filters, this.filters.facets.folders);
    this.search.refresh();
    void this.tags.load();
    void this.albums.load();
    if (this.screen === 'folders') void this.folders.loadFailures();
    if (this.screen === 'duplicates') void this.duplicates.load();
  }
}

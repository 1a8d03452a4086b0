import type { Connection } from '../api/connect.js';
import { DuplicatesState } from './duplicates.svelte.js';
import { FilterState } from './filters.svelte.js';
import { FoldersState } from './folders.svelte.js';
import { LibraryGrid } from './library-grid.svelte.js';
import { ModelsState } from './models.svelte.js';
import { PhotoTagsState } from './photo-tags.svelte.js';
import { SearchState } from './search.svelte.js';
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

  /** What the library screen shows and the viewer walks through: search results, else the grid. */
  readonly visiblePhotos = $derived.by(() => (this.search.active ? this.search.results : this.grid.items));

  constructor(readonly connection: Connection) {
    const api = connection.api;
    this.status = new StatusState(api);
    this.filters = new FilterState(api);
    this.grid = new LibraryGrid(api);
    this.search = new SearchState(api);
    this.viewer = new ViewerState(api, async (list) => {
      if (list !== this.grid.items) return null;
      await this.grid.loadMore();
      return this.grid.items;
    });
    this.settings = new SettingsState(api);
    this.folders = new FoldersState(api, () => this.refreshLibrary());
    this.duplicates = new DuplicatesState(api);
    this.tags = new TagsState(api);
    this.photoTags = new PhotoTagsState(api, () => void this.tags.load());
    this.models = new ModelsState(api, () => void this.status.refresh());
  }

  /** First load, and the event subscriptions; returns the teardown. */
  start(): () => void {
    void this.status.refresh();
    void this.settings.load();
    void this.filters.loadFacets();
    void this.refreshGrid();
    void this.tags.load();
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

  async refreshLibrary(): Promise<void> {
    await Promise.all([this.status.refresh(), this.filters.loadFacets()]);
    await this.refreshGrid();
  }

  refreshGrid(): Promise<void> {
    return this.grid.reset(this.filters.filters, this.filters.facets.folders);
  }

  private async onLibraryChanged(): Promise<void> {
    await this.filters.loadFacets();
    await this.refreshGrid();
    this.search.refresh();
    void this.tags.load();
    if (this.screen === 'folders') void this.folders.loadFailures();
    if (this.screen === 'duplicates') void this.duplicates.load();
  }
}

import fs from 'node:fs';
import path from 'node:path';
import { Albums } from './albums/albums.js';
import { SmartAlbumUpdates } from './albums/smart-album-updates.js';
import { SmartAlbums } from './albums/smart-albums.js';
import type { SmartMatch } from './catalog/smart-albums.js';
import { browseFiltersOf, type LibraryFilters } from './library/filter-scope.js';
import { Catalog } from './catalog/catalog.js';
import type { EmbeddingStore, ModelRecord } from './catalog/embeddings.js';
import { findDuplicates, type DuplicateGroup, type FindOptions } from './duplicates/find-duplicates.js';
import { indexFolders, type IndexOptions } from './indexer/index-folders.js';
import type { IndexReport } from './indexer/index-report.js';
import { IndexingController } from './indexer/indexing-controller.js';
import type { ThumbnailSize } from './image/thumbnails.js';
import { RawPreviews } from './image/raw-preview.js';
import { AnalyzePool } from './indexer/analyze-pool.js';
import { Roots, type RootStatus } from './library/roots.js';
import { ThumbnailFiles, type Placeholder } from './library/thumbnail-files.js';
import { modelsDir, thumbsDir } from './library-paths.js';
import { ClipModel } from './model/clip-model.js';
import { Marks } from './marks/marks.js';
import { loadModelPack } from './model/load-pack.js';
import { libraryModelDir, MODEL_SETTING } from './model/model-dir.js';
import { installModel, listInstalledPacks, type InstallProgress, type InstallResult } from './models/install.js';
import { listModels, type ModelListing } from './models/list-models.js';
import { loadRegistry, type Registry } from './models/registry.js';
import { requireSelfCheck } from './models/self-check.js';
import { buildModelIndex, registerModel, type ReindexProgress } from './models/switch-model.js';
import type { ExecutionProvider } from './model/providers.js';
import { Searcher, type SearchOptions, type SearchResult } from './search/searcher.js';
import type { VectorSearchOptions } from './search/vector-search.js';
import { BackgroundRetag } from './tagging/background-retag.js';
import { scoreLibrary, type AutotagProgress, type AutotagReport } from './tagging/tagger.js';
import { Tagging, type ShownTag, type SidecarReport, type TagDecision } from './tagging/tagging.js';
import type { Vocabulary } from './tagging/vocabulary.js';
import { UserError } from './util/errors.js';
import { SerialBatches } from './util/serial-batches.js';

export interface CoreOptions {
  libraryDir: string;
  /** A model pack folder; else the one the library last used, else the only pack in `<library>/models`. */
  modelDir?: string;
  preferredProvider?: ExecutionProvider;
  /** This process answers one text query and exits: see ClipModelOptions.singleTextQuery. */
  singleTextQuery?: boolean;
  /** This process runs one command and exits (the CLI): see ClipModelOptions.shortLived. */
  shortLived?: boolean;
  /** Worker threads that decode photos while indexing; 0 decodes on the main thread. Default: cores − 1. */
  decodeThreads?: number;
  onWarning?: (message: string) => void;
  /** The model registry to use instead of the bundled one (tests, mirrors). */
  registryFile?: string;
  /** Vector search tuning (tests, benchmarks), and how often a running import refreshes what search sees. */
  search?: VectorSearchOptions & { refreshWhileIndexingMs?: number };
}

/**
 * [Note: search during a long import]
 * The quantized search keeps every photo's sign bits in memory, loaded on the first search after a change
 * (0.8 s at 1 000 000 photos). An index run that only dropped it at the end would leave the photos it stored
 * unsearchable for hours on a big import; dropping it on every stored batch would reload it on nearly every
 * search. So while a run stores photos, what search sees is refreshed at most this often.
 */
const SEARCH_REFRESH_WHILE_INDEXING_MS = 10_000;

export type UseModelProgress = InstallProgress | ReindexProgress;

export interface UseModelResult {
  id: string;
  dir: string;
  /** False when the library already used this pack. */
  switched: boolean;
  embedded: number;
  failed: { path: string; error: string }[];
}

/**
 * [Note: smart album searches in slices]
 * A smart album holds every photo its search matches, however many; judging every photo of a big library in
 * one search holds the core's event loop (API calls, the grid's pages) for its whole length: 0.55-0.9 s for
 * 20 000 photos on tiny-clip's 64-d vectors, several times that at 512-d. The query-anchored rule judges each
 * photo on its own (app/search/relevance.ts), so the search runs over slices of this many photos with the event
 * loop free between them, and the union is the library's result (the same 1 930 of 20 000 synthetic photos).
 * Measured at 20 000: slices of 1 000 took 0.72 s in all, at most 79 ms each; of 2 000, 0.59-0.77 s, 93-139 ms.
 * (A query with no known word also takes the library-relative rule, whose cut-off is taken per slice.)
 */
const SMART_ALBUM_SLICE = 1000;

/**
 * The Electron-free core: one library (catalog) and one model, wired explicitly. The CLI, the HTTP server
 * and the Electron utility process each create one and call it; nothing here is a module-level singleton.
 */
export class Core {
  private model: ClipModel | undefined;
  private bound: Promise<{ record: ModelRecord; embeddings: EmbeddingStore }> | undefined;
  private searcher: Searcher | undefined;
  private tagging: Tagging | undefined;
  private retag: BackgroundRetag | undefined;
  /** Work on the vector table under way (search, index); a model switch waits for it before dropping the old table. */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Live progress, pause/resume, search priority for indexing (see [Note: indexing controller]). */
  readonly indexing = new IndexingController();
  private readonly thumbnails: ThumbnailFiles;
  /** The ExifTool process behind RAW previews, started on first use, ended by close(). */
  private readonly rawPreviews = new RawPreviews();
  /** Decoding threads, started by the first index run (see [Note: analysis off the main thread]). */
  private analyzePool: AnalyzePool | undefined;
  /** The decoding threads, once an index run has created them: for diagnostics and tests. */
  get decodingThreads(): AnalyzePool | undefined {
    return this.analyzePool;
  }
  private searchRefreshedAt = 0;
  private readonly roots: Roots;
  /** Albums made by hand (app/albums/). */
  readonly albums: Albums;
  /** Ratings, flags and colour labels (app/marks/); with sidecars on, a change rewrites the photos' `.xmp`. */
  readonly marks: Marks;
  /** Albums defined by a search; see [Note: smart album decisions]. */
  readonly smartAlbums: SmartAlbums;
  /** Brings smart albums up to date in the background after indexing, tag changes and model switches. */
  readonly smartAlbumUpdates: SmartAlbumUpdates;

  private constructor(
    readonly catalog: Catalog,
    private readonly options: CoreOptions,
  ) {
    this.thumbnails = new ThumbnailFiles(catalog, options.libraryDir, this.rawPreviews);
    this.roots = new Roots(catalog, options.libraryDir);
    this.albums = new Albums(catalog);
    this.marks = new Marks(catalog, (ids) => this.getTagging().writeSidecars(ids));
    this.smartAlbums = new SmartAlbums(catalog, this.albums, (query, filters) => this.smartAlbumMatches(query, filters));
    this.smartAlbumUpdates = new SmartAlbumUpdates(this.smartAlbums, (m) => this.options.onWarning?.(m));
  }

  static open(options: CoreOptions): Core {
    const libraryDir = path.resolve(options.libraryDir);
    try {
      fs.mkdirSync(libraryDir, { recursive: true });
    } catch (err) {
      throw new UserError(`cannot create library folder ${libraryDir}: ${err instanceof Error ? err.message : String(err)}`);
    }
    return new Core(Catalog.open(libraryDir), { ...options, libraryDir });
  }

  get libraryDir(): string {
    return this.options.libraryDir;
  }

  /** The model, loaded on first use. Throws a UserError naming what to do when there is none. */
  getModel(): ClipModel {
    if (this.model) return this.model;
    const dir = libraryModelDir(this.libraryDir, this.options.modelDir, () => this.catalog.settings.get(MODEL_SETTING));
    if (!dir) throw new UserError(`no model: pass --model DIR (or set SHOEBOX_MODEL), or install a pack into ${modelsDir(this.libraryDir)}`);
    const pack = loadModelPack(dir);
    this.model = new ClipModel(pack, {
      ...(this.options.preferredProvider ? { preferredProvider: this.options.preferredProvider } : {}),
      ...(this.options.onWarning ? { onWarning: this.options.onWarning } : {}),
      ...(this.options.singleTextQuery ? { singleTextQuery: true } : {}),
      ...(this.options.shortLived ? { shortLived: true } : {}),
    });
    return this.model;
  }

  /**
   * The model's row and vector table in this catalog, registering the model on first use (after checking
   * the pack's declared checksums, so a damaged download never writes a vector).
   */
  private binding(): Promise<{ record: ModelRecord; embeddings: EmbeddingStore }> {
    this.bound ??= (async () => {
      const model = this.getModel();
      const bound = await registerModel(this.catalog, model);
      this.catalog.settings.set(MODEL_SETTING, model.pack.dir);
      return bound;
    })();
    return this.bound;
  }

  /**
   * [Note: keywords and marks during the run]
   * The keywords, stars, flags and labels a photo's file carries are read from the file after the photo is
   * stored. They were read for all of a run's photos after the last batch, one after another, while the two
   * cores had nothing else to do: 0.2–0.24 s of a 3.3 s run over 92 real photos (6–7 %, measured). They are
   * now read for each stored batch while the next batches decode and embed, and the run returns once they
   * are all in, as before.
   */
  index(folders: string[], options: IndexOptions = {}): Promise<IndexReport> {
    return this.track(
      (async () => {
        const { embeddings } = await this.binding();
        if (this.options.decodeThreads !== 0) this.analyzePool ??= new AnalyzePool(this.options.decodeThreads);
        const ctx = {
          catalog: this.catalog,
          embeddings,
          model: this.getModel(),
          libraryDir: this.libraryDir,
          controller: this.indexing,
          rawPreviews: this.rawPreviews,
          ...(this.analyzePool ? { analyzePool: this.analyzePool } : {}),
        };
        const stored: number[] = [];
        // Keywords the photos already carry become the user's tags, and their stars, flags and labels their
        // marks (see Marks), while the run goes on (see [Note: keywords and marks during the run]).
        const fromFiles = new SerialBatches<number>(async (ids) => {
          await this.getTagging().importKeywords(ids);
          await this.marks.importFromFiles(ids);
        });
        let report: IndexReport;
        try {
          report = await indexFolders(ctx, folders, {
            ...options,
            onStored: (id, file) => {
              stored.push(id);
              fromFiles.add(id);
              this.refreshSearchWhileIndexing();
              options.onStored?.(id, file);
            },
          });
        } catch (err) {
          await fromFiles.drain().catch(() => {}); // the run's own error is the one to report
          throw err;
        }
        await fromFiles.drain();
        this.searcher?.invalidate();
        if (stored.length > 0 || report.removed > 0) {
          // Smart albums now, and again once re-tagging (in a library that was auto-tagged) changed the tags
          // their filters may name.
          void this.smartAlbumUpdates.schedule();
          const retagging = this.getRetag().start(true);
          if (this.getTagging().hasRun()) void retagging.then(() => this.smartAlbumUpdates.schedule());
        }
        return report;
      })(),
    );
  }

  private getTagging(): Tagging {
    this.tagging ??= new Tagging(this.catalog, async () => {
      const { record, embeddings } = await this.binding();
      return { catalog: this.catalog, embeddings, record, model: this.getModel() };
    });
    return this.tagging;
  }

  /** Tags the library (or the photos/folders in `paths`); see [Note: tag acceptance]. */
  async autotag(options: { vocabulary?: Vocabulary; paths?: readonly string[]; onProgress?: (progress: AutotagProgress) => void } = {}): Promise<AutotagReport> {
    return this.getTagging().autotag(options);
  }

  /** Re-tags in the background when tags are stale (vocabulary or model changed); see BackgroundRetag. */
  retagInBackground(): Promise<void> {
    return this.getRetag().start(false);
  }

  /** Resolves when no background tagging run is under way. */
  whenTaggingIdle(): Promise<void> {
    return this.getRetag().idle();
  }

  /** True when the vocabulary or the model changed since the last complete tagging run. */
  tagsAreStale(): Promise<boolean> {
    return this.getTagging().isStale();
  }

  /** Every photo × vocabulary tag score (cosine, z, sibling probability), for inspection and calibration. */
  async tagScores() {
    return scoreLibrary(await this.getTagging().taggerContext());
  }

  private getRetag(): BackgroundRetag {
    this.retag ??= new BackgroundRetag(this.getTagging(), (m) => this.options.onWarning?.(m));
    return this.retag;
  }

  tagsOf(photoPath: string): ShownTag[] {
    return this.getTagging().tagsOf(photoPath);
  }

  setTagDecision(paths: readonly string[], tag: string, decision: TagDecision): { photos: number; tag: string } {
    return this.getTagging().decide(paths, tag, decision);
  }

  defineTag(name: string, prompts: readonly string[]) {
    return this.getTagging().defineTag(name, prompts);
  }

  /** Photos showing the tag or any tag below it in the hierarchy. */
  photoIdsWithTag(tag: string): number[] {
    return this.getTagging().photoIdsWithTag(tag);
  }

  sidecarsEnabled(): boolean {
    return this.getTagging().sidecarsEnabled();
  }

  tagCounts() {
    return this.getTagging().counts();
  }

  /** Hides the photos of these tag groups (e.g. "Not a photo", "Sensitive") from the grid; see hiddenPhotoIds. */
  setHiddenTagGroups(groups: readonly string[]): void {
    this.getTagging().setHiddenGroups(groups);
  }

  hiddenTagGroups(): string[] {
    return this.getTagging().hiddenGroups();
  }

  hiddenPhotoIds(): number[] {
    return this.getTagging().hiddenPhotoIds();
  }

  setSidecars(on: boolean): SidecarReport | undefined {
    return this.getTagging().setSidecars(on);
  }

  /** Indexes every root folder of the library (see listRoots). */
  async indexRoots(options: IndexOptions = {}): Promise<IndexReport> {
    return this.index(this.roots.list().map((r) => r.path), options);
  }

  addRoot(folder: string): RootStatus {
    return this.roots.add(folder);
  }

  /** Forgets a root and its photos in the catalog; never touches the files. */
  removeRoot(folder: string): { removedPhotos: number } {
    const result = this.roots.remove(folder);
    this.searcher?.invalidate();
    return result;
  }

  listRoots(): RootStatus[] {
    return this.roots.list();
  }

  /** Every file of a photo: its main file first, then a paired RAW (see [Note: RAW+JPEG pairs]). */
  photoFiles(photoId: number): { path: string; role: 'main' | 'raw' }[] {
    const photo = this.catalog.photos.byId(photoId);
    if (!photo) return [];
    return [{ path: photo.path, role: 'main' as const }, ...this.catalog.photoFiles.of(photoId).map((f) => ({ path: f.path, role: f.role }))];
  }

  /** Path of a photo's grid thumbnail or preview (JPEG), generated on first request. */
  thumbnailFile(photoId: number, size: ThumbnailSize): Promise<string> {
    return this.thumbnails.file(photoId, size);
  }

  /** The photo's tiny blurred placeholder (thumbhash bytes and a data URL), or null if it has none yet. */
  placeholder(photoId: number): Placeholder | null {
    return this.thumbnails.placeholder(photoId);
  }

  private async getSearcher(): Promise<Searcher> {
    const { embeddings } = await this.binding();
    this.searcher ??= new Searcher(this.catalog, embeddings, this.getModel(), this.options.search);
    return this.searcher;
  }

  /** See [Note: search during a long import]. */
  private refreshSearchWhileIndexing(): void {
    const now = Date.now();
    if (now - this.searchRefreshedAt < (this.options.search?.refreshWhileIndexingMs ?? SEARCH_REFRESH_WHILE_INDEXING_MS)) return;
    this.searchRefreshedAt = now;
    this.searcher?.invalidate();
    // A long import fills smart albums as it goes, at the pace search sees its photos.
    void this.smartAlbumUpdates.schedule();
  }

  /**
   * A smart album's members: the default result set of its text search within its filters, as search.text
   * returns it (no weak results), without holding back indexing the way an interactive search does.
   */
  private async smartAlbumMatches(query: string, filters: LibraryFilters): Promise<SmartMatch[]> {
    const ids = [...(this.catalog.browse.idsMatching(browseFiltersOf(filters, this)) ?? this.catalog.browse.ids({}))].sort((a, b) => a - b);
    const searcher = await this.getSearcher();
    const matches: SmartMatch[] = [];
    // See [Note: smart album searches in slices].
    for (let from = 0; from < ids.length; from += SMART_ALBUM_SLICE) {
      const slice = ids.slice(from, from + SMART_ALBUM_SLICE);
      const results = await this.track(searcher.searchText(query, { limit: slice.length, photoIds: slice }));
      for (const r of results) matches.push({ photoId: r.photoId, relevance: r.relevance });
      await new Promise((resolve) => setImmediate(resolve));
    }
    return matches;
  }

  /** Resolves when no smart album update is under way. */
  whenSmartAlbumsIdle(): Promise<void> {
    return this.smartAlbumUpdates.idle();
  }

  /** The library changed outside an index run (a folder was removed): search statistics are redrawn. */
  invalidateSearch(): void {
    this.searcher?.invalidate();
  }

  /**
   * `tag` restricts the search to photos showing that tag (or a tag below it). Indexing holds back new
   * decodes while a search runs (see [Note: indexing controller]).
   */
  search(query: string, options: SearchOptions & { tag?: string } = {}): Promise<SearchResult[]> {
    const { tag, ...rest } = options;
    // Inside the promise: an unknown tag rejects the search like any other search error.
    return this.track(
      this.indexing.whileSearching(async () => (await this.getSearcher()).searchText(query, tag ? { ...rest, photoIds: this.getTagging().photoIdsWithTag(tag) } : rest)),
    );
  }

  similar(photoPath: string, options: SearchOptions = {}): Promise<SearchResult[]> {
    return this.track(this.indexing.whileSearching(async () => (await this.getSearcher()).searchSimilar(path.resolve(photoPath), options)));
  }

  /** "More like these": photos like several at once, optionally steered by words; see [Note: more like these]. */
  likeThese(photoIds: readonly number[], text?: string, options: SearchOptions = {}): Promise<SearchResult[]> {
    return this.track(this.indexing.whileSearching(async () => (await this.getSearcher()).searchLikeThese(photoIds, text, options)));
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => {});
    return work;
  }

  /** Exact, near-duplicate and similar-shot groups over the whole library. */
  duplicates(options: FindOptions = {}): Promise<DuplicateGroup[]> {
    return this.track(this.binding().then(({ embeddings }) => findDuplicates(this.catalog, embeddings, { thumbsDir: thumbsDir(this.libraryDir), ...options })));
  }

  private registry(): Registry {
    return loadRegistry(...(this.options.registryFile ? [this.options.registryFile] : []));
  }

  /** Registry packs and installed packs, with which one is active. */
  listModels(): ModelListing[] {
    return listModels(this.libraryDir, this.registry(), this.options.modelDir ?? this.catalog.settings.get(MODEL_SETTING));
  }

  /** Installs a registry pack (download), a folder or a zip into `<library>/models`; see [Note: atomic pack install]. */
  installModel(source: string, onProgress?: (progress: InstallProgress) => void): Promise<InstallResult> {
    return installModel(this.libraryDir, source, { registry: this.registry(), ...(onProgress ? { onProgress } : {}) });
  }

  /**
   * Switches the library to an installed pack (installing a registry pack first if needed). Search keeps
   * using the current model until the new one has a vector for every photo; then the setting flips and the
   * old model's vectors are dropped. See [Note: model switch].
   */
  async useModel(name: string, onProgress?: (progress: UseModelProgress) => void): Promise<UseModelResult> {
    const installed = listInstalledPacks(this.libraryDir).find((p) => p.id === name);
    const dir = installed?.dir ?? (await this.installModel(name, onProgress)).dir;
    const previous = this.hasModel() ? await this.binding() : undefined;
    const model = new ClipModel(loadModelPack(dir), {
      ...(this.options.preferredProvider ? { preferredProvider: this.options.preferredProvider } : {}),
      ...(this.options.onWarning ? { onWarning: this.options.onWarning } : {}),
    });
    // A pack copied into models/ by hand never went through install: check it before it embeds anything.
    if (installed && !installed.record) {
      onProgress?.({ phase: 'self-check' });
      await requireSelfCheck(model, name).catch(async (err: unknown) => {
        await model.release();
        throw err;
      });
    }
    const built = await buildModelIndex(this.catalog, model, onProgress ? { onProgress } : {}).catch(async (err: unknown) => {
      await model.release(); // vectors stored so far stay: running the switch again resumes
      throw err;
    });
    const sameDir = previous !== undefined && path.resolve(this.getModel().pack.dir) === path.resolve(model.pack.dir);
    if (sameDir) {
      await model.release();
      return { id: name, dir, switched: false, embedded: built.embedded, failed: built.failed };
    }
    // The flip: from here on every call uses the new model. Nothing awaits between these lines.
    this.catalog.settings.set(MODEL_SETTING, model.pack.dir);
    const oldModel = this.model;
    this.model = model;
    this.bound = Promise.resolve({ record: built.record, embeddings: built.embeddings });
    this.searcher = undefined;
    delete this.options.modelDir;
    await Promise.allSettled([...this.inFlight]); // searches begun on the old model finish on it
    // The same weights under another folder share the record (see modelKey): then there is nothing to drop.
    if (previous && previous.record.id !== built.record.id) this.catalog.dropModel(previous.record);
    await oldModel?.release();
    void this.smartAlbumUpdates.schedule(); // relevance is the model's: every smart album is searched again
    return { id: name, dir, switched: true, embedded: built.embedded, failed: built.failed };
  }

  /**
   * Whether the library has been bound to a model (or one was given explicitly). A library that never
   * bound one has no vectors, so switching it needs no old model.
   */
  private hasModel(): boolean {
    return this.model !== undefined || Boolean(this.options.modelDir ?? this.catalog.settings.get(MODEL_SETTING));
  }

  async close(): Promise<void> {
    await this.retag?.idle();
    await this.smartAlbumUpdates.close();
    await this.model?.release();
    await this.rawPreviews.close();
    await this.analyzePool?.close();
    this.catalog.close();
  }
}

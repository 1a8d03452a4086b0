import fs from 'node:fs';
import path from 'node:path';
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
import { modelsDir } from './library-paths.js';
import { ClipModel } from './model/clip-model.js';
import { loadModelPack } from './model/load-pack.js';
import { modelKey, verifyPackChecksums } from './model/model-identity.js';
import type { ExecutionProvider } from './model/providers.js';
import { Searcher, type SearchOptions, type SearchResult } from './search/searcher.js';
import { UserError } from './util/errors.js';

export interface CoreOptions {
  libraryDir: string;
  /** A model pack folder; else the one the library last used, else the only pack in `<library>/models`. */
  modelDir?: string;
  preferredProvider?: ExecutionProvider;
  /** Worker threads that decode photos while indexing; 0 decodes on the main thread. Default: cores − 1. */
  decodeThreads?: number;
  onWarning?: (message: string) => void;
}

const MODEL_SETTING = 'model.dir';

/**
 * The Electron-free core: one library (catalog) and one model, wired explicitly. The CLI, the HTTP server
 * and the Electron utility process each create one and call it; nothing here is a module-level singleton.
 */
export class Core {
  private model: ClipModel | undefined;
  private bound: Promise<{ record: ModelRecord; embeddings: EmbeddingStore }> | undefined;
  private searcher: Searcher | undefined;
  /** Live progress, pause/resume, search priority for indexing (see [Note: indexing controller]). */
  readonly indexing = new IndexingController();
  private readonly thumbnails: ThumbnailFiles;
  /** The ExifTool process behind RAW previews, started on first use, ended by close(). */
  private readonly rawPreviews = new RawPreviews();
  /** Decoding threads, started by the first index run (see [Note: analysis off the main thread]). */
  private analyzePool: AnalyzePool | undefined;
  private readonly roots: Roots;

  private constructor(
    readonly catalog: Catalog,
    private readonly options: CoreOptions,
  ) {
    this.thumbnails = new ThumbnailFiles(catalog, options.libraryDir, this.rawPreviews);
    this.roots = new Roots(catalog, options.libraryDir);
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
    const dir = this.options.modelDir ?? this.catalog.settings.get(MODEL_SETTING) ?? soleInstalledPack(this.libraryDir);
    if (!dir) throw new UserError(`no model: pass --model DIR (or set SHOEBOX_MODEL), or install a pack into ${modelsDir(this.libraryDir)}`);
    const pack = loadModelPack(dir);
    this.model = new ClipModel(pack, {
      ...(this.options.preferredProvider ? { preferredProvider: this.options.preferredProvider } : {}),
      ...(this.options.onWarning ? { onWarning: this.options.onWarning } : {}),
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
      const key = await modelKey(model.pack);
      let record = this.catalog.models.list().find((m) => m.key === key);
      if (!record) {
        const mismatches = await verifyPackChecksums(model.pack);
        if (mismatches.length > 0) {
          throw new UserError(`model pack ${model.pack.dir} is damaged: checksum mismatch for ${mismatches.map((m) => m.file).join(', ')}`);
        }
        record = this.catalog.models.ensure(key, model.pack.name, await model.embeddingDim());
      }
      this.catalog.settings.set(MODEL_SETTING, model.pack.dir);
      return { record, embeddings: this.catalog.embeddings(record) };
    })();
    return this.bound;
  }

  async index(folders: string[], options: IndexOptions = {}): Promise<IndexReport> {
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
    const report = await indexFolders(ctx, folders, options);
    this.searcher?.invalidate();
    return report;
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
    this.searcher ??= new Searcher(this.catalog, embeddings, this.getModel());
    return this.searcher;
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchResult[]> {
    return this.indexing.whileSearching(async () => (await this.getSearcher()).searchText(query, options));
  }

  async similar(photoPath: string, options: SearchOptions = {}): Promise<SearchResult[]> {
    return this.indexing.whileSearching(async () => (await this.getSearcher()).searchSimilar(path.resolve(photoPath), options));
  }

  /** Exact, near-duplicate and similar-shot groups over the whole library. */
  async duplicates(options: FindOptions = {}): Promise<DuplicateGroup[]> {
    const { embeddings } = await this.binding();
    return findDuplicates(this.catalog, embeddings, options);
  }

  async close(): Promise<void> {
    await this.model?.release();
    await this.rawPreviews.close();
    await this.analyzePool?.close();
    this.catalog.close();
  }
}

function soleInstalledPack(libraryDir: string): string | undefined {
  const dir = modelsDir(libraryDir);
  if (!fs.existsSync(dir)) return undefined;
  const packs = fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('.'));
  return packs.length === 1 ? path.join(dir, packs[0]!.name) : undefined;
}

import fs from 'node:fs';
import path from 'node:path';
import { Catalog } from './catalog/catalog.js';
import type { EmbeddingStore, ModelRecord } from './catalog/embeddings.js';
import { findDuplicates, type DuplicateGroup, type FindOptions } from './duplicates/find-duplicates.js';
import { indexFolders, type IndexOptions } from './indexer/index-folders.js';
import type { IndexReport } from './indexer/index-report.js';
import { modelsDir } from './library-paths.js';
import { ClipModel } from './model/clip-model.js';
import { loadModelPack } from './model/load-pack.js';
import { installModel, listInstalledPacks, type InstallProgress, type InstallResult } from './models/install.js';
import { listModels, type ModelListing } from './models/list-models.js';
import { loadRegistry, type Registry } from './models/registry.js';
import { requireSelfCheck } from './models/self-check.js';
import { buildModelIndex, registerModel, type ReindexProgress } from './models/switch-model.js';
import type { ExecutionProvider } from './model/providers.js';
import { Searcher, type SearchOptions, type SearchResult } from './search/searcher.js';
import { UserError } from './util/errors.js';

export interface CoreOptions {
  libraryDir: string;
  /** A model pack folder; else the one the library last used, else the only pack in `<library>/models`. */
  modelDir?: string;
  preferredProvider?: ExecutionProvider;
  onWarning?: (message: string) => void;
  /** The model registry to use instead of the bundled one (tests, mirrors). */
  registryFile?: string;
}

export type UseModelProgress = InstallProgress | ReindexProgress;

export interface UseModelResult {
  id: string;
  dir: string;
  /** False when the library already used this pack. */
  switched: boolean;
  embedded: number;
  failed: { path: string; error: string }[];
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
  /** Work on the vector table under way (search, index); a model switch waits for it before dropping the old table. */
  private readonly inFlight = new Set<Promise<unknown>>();

  private constructor(
    readonly catalog: Catalog,
    private readonly options: CoreOptions,
  ) {}

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
      const bound = await registerModel(this.catalog, model);
      this.catalog.settings.set(MODEL_SETTING, model.pack.dir);
      return bound;
    })();
    return this.bound;
  }

  index(folders: string[], options: IndexOptions = {}): Promise<IndexReport> {
    return this.track(
      (async () => {
        const { embeddings } = await this.binding();
        const report = await indexFolders({ catalog: this.catalog, embeddings, model: this.getModel(), libraryDir: this.libraryDir }, folders, options);
        this.searcher?.invalidate();
        return report;
      })(),
    );
  }

  private async getSearcher(): Promise<Searcher> {
    const { embeddings } = await this.binding();
    this.searcher ??= new Searcher(this.catalog, embeddings, this.getModel());
    return this.searcher;
  }

  search(query: string, options: SearchOptions = {}): Promise<SearchResult[]> {
    return this.track(this.getSearcher().then((s) => s.searchText(query, options)));
  }

  similar(photoPath: string, options: SearchOptions = {}): Promise<SearchResult[]> {
    return this.track(this.getSearcher().then((s) => s.searchSimilar(path.resolve(photoPath), options)));
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => {});
    return work;
  }

  /** Exact, near-duplicate and similar-shot groups over the whole library. */
  duplicates(options: FindOptions = {}): Promise<DuplicateGroup[]> {
    return this.track(this.binding().then(({ embeddings }) => findDuplicates(this.catalog, embeddings, options)));
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
    await this.model?.release();
    this.catalog.close();
  }
}

function soleInstalledPack(libraryDir: string): string | undefined {
  const dir = modelsDir(libraryDir);
  if (!fs.existsSync(dir)) return undefined;
  const packs = fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('.'));
  return packs.length === 1 ? path.join(dir, packs[0]!.name) : undefined;
}

import fs from 'node:fs';
import path from 'node:path';
import type { EventName, Events, FileFailure, FolderStatus, IndexingState, LibraryStatus, ModelProgress } from '../api/contract.js';
import type { Core } from '../core.js';
import { UserError, messageOf } from '../util/errors.js';
import { watchFolders, type FolderWatch } from '../watcher/watch-folders.js';
import { IndexingProgress } from './indexing-progress.js';
import { describeModelProgress } from './model-progress.js';

export type LibraryEventListener = <E extends EventName>(name: E, payload: Events[E]) => void;

export interface LibraryServiceOptions {
  /** Quiet time after file events before re-indexing (tests shorten it). */
  debounceMs?: number;
  onWarning?: (message: string) => void;
}

/** Progress events at most this often: a 100 000-photo import must not flood the renderer. */
const PROGRESS_INTERVAL_MS = 250;

/**
 * The live library behind the app: the watched folders, one background indexing run at a time with
 * progress, pause and resume, and events for every connected window. The API handlers call it; it calls Core.
 */
export class LibraryService {
  private watch: FolderWatch | undefined;
  private restarting: Promise<void> = Promise.resolve();
  private readonly progress = new IndexingProgress();
  private readonly listeners = new Set<LibraryEventListener>();
  private paused = false;
  private resumeWaiters: (() => void)[] = [];
  private lastProgressAt = 0;
  private modelProblem: string | null = null;
  private switching: Promise<void> | undefined;

  constructor(
    readonly core: Core,
    private readonly options: LibraryServiceOptions = {},
  ) {}

  /** Starts watching the folders the library already has. */
  async start(): Promise<void> {
    await this.restartWatch();
  }

  on(listener: LibraryEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  status(): LibraryStatus {
    let model: LibraryStatus['model'] = null;
    try {
      const m = this.core.getModel();
      model = { name: m.pack.name, provider: m.activeProviders.vision ?? null };
      this.modelProblem = null;
    } catch (err) {
      this.modelProblem = messageOf(err);
    }
    return {
      libraryDir: this.core.libraryDir,
      photoCount: this.core.catalog.photos.count(),
      model,
      modelProblem: this.modelProblem,
      folders: this.folders(),
      indexing: this.progress.current,
    };
  }

  folders(): FolderStatus[] {
    const counts = this.core.catalog.browse.folderCounts();
    return this.core.catalog.folders.list().map((f) => ({
      id: f.id,
      path: f.path,
      photoCount: counts.get(f.id)?.photos ?? 0,
      failedCount: counts.get(f.id)?.failed ?? 0,
      online: isReadableFolder(f.path),
      lastIndexedAt: f.lastIndexedAt,
    }));
  }

  /** Adds a folder to the library and starts indexing it in the background. */
  async addFolder(folder: string): Promise<FolderStatus> {
    const absolute = path.resolve(folder);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch (err) {
      throw new UserError(`cannot add ${absolute}: ${messageOf(err)}`);
    }
    if (!stat.isDirectory()) throw new UserError(`cannot add ${absolute}: not a folder`);
    const library = path.resolve(this.core.libraryDir);
    if (absolute === library || absolute.startsWith(library + path.sep)) {
      throw new UserError(`cannot add ${absolute}: it is inside the library's own folder`);
    }
    const id = this.core.catalog.folders.ensure(absolute);
    await this.restartWatch();
    return this.folders().find((f) => f.id === id)!;
  }

  /** Stops watching a folder and forgets its photos; the files on disk are not touched. */
  async removeFolder(folderId: number): Promise<{ removedPhotos: number }> {
    if (!this.core.catalog.folders.list().some((f) => f.id === folderId)) throw new UserError(`no folder with id ${folderId}`);
    await this.stopWatch();
    const removedPhotos = this.core.catalog.removeFolder(folderId, path.sep);
    this.notifyChanged();
    await this.restartWatch();
    return { removedPhotos };
  }

  /** Photos left the library outside an index run (a resolved duplicate group): windows refresh. */
  notifyChanged(): void {
    this.core.invalidateSearch();
    this.emit('library.changed', { photoCount: this.core.catalog.photos.count() });
  }

  /** Installs and switches to a model in the background; one switch at a time. See [Note: model switch]. */
  useModel(name: string): { started: boolean } {
    if (this.switching) return { started: false };
    const report = (progress: Omit<ModelProgress, 'name'>) => this.emit('models.progress', { name, ...progress });
    this.switching = this.core
      .useModel(name, (p) => report(describeModelProgress(p)))
      .then(
        (result) => {
          report({ phase: 'done', detail: result.switched ? `now searching with ${result.id}` : `already using ${result.id}`, fraction: 1, etaSeconds: 0, error: null });
          this.notifyChanged();
        },
        (err: unknown) => report({ phase: 'failed', detail: 'the model was not changed', fraction: null, etaSeconds: null, error: messageOf(err) }),
      )
      .finally(() => (this.switching = undefined));
    return { started: true };
  }

  failures(folderId: number | undefined, limit: number): FileFailure[] {
    return this.core.catalog.errors
      .list()
      .filter((e) => folderId === undefined || e.folderId === folderId)
      .slice(0, limit);
  }

  pause(): IndexingState {
    this.paused = true;
    return this.publishProgress(this.progress.setPaused(true), true);
  }

  resume(): IndexingState {
    this.paused = false;
    for (const wake of this.resumeWaiters.splice(0)) wake();
    return this.publishProgress(this.progress.setPaused(false), true);
  }

  /** Resolves once no indexing run is pending or running (tests, clean shutdown). */
  async idle(): Promise<void> {
    await this.restarting;
    await this.watch?.idle();
  }

  async close(): Promise<void> {
    await this.switching;
    this.resume();
    await this.stopWatch();
    this.listeners.clear();
  }

  private emit<E extends EventName>(name: E, payload: Events[E]): void {
    for (const listener of this.listeners) listener(name, payload);
  }

  private publishProgress(state: IndexingState, force = false): IndexingState {
    const now = Date.now();
    if (force || now - this.lastProgressAt >= PROGRESS_INTERVAL_MS) {
      this.lastProgressAt = now;
      this.emit('indexing.progress', state);
    }
    return state;
  }

  private async stopWatch(): Promise<void> {
    await this.restarting;
    const current = this.watch;
    this.watch = undefined;
    // Wake a paused run so it can finish its batch and close; the pause applies again to the next run.
    const wasPaused = this.paused;
    if (wasPaused) for (const wake of this.resumeWaiters.splice(0)) wake();
    this.paused = false;
    await current?.close();
    this.paused = wasPaused;
  }

  /** One watcher over every folder: replaced whenever the folder list changes. */
  private restartWatch(): Promise<void> {
    this.restarting = this.restarting.then(async () => {
      await this.watch?.close();
      this.watch = undefined;
      const roots = this.core.catalog.folders.list().map((f) => f.path);
      if (roots.length === 0) return;
      try {
        this.core.getModel();
      } catch (err) {
        // Without a model nothing can be indexed; the status names the problem and the fix.
        this.modelProblem = messageOf(err);
        return;
      }
      this.watch = await watchFolders(this.core, roots, {
        ...(this.options.debounceMs !== undefined ? { debounceMs: this.options.debounceMs } : {}),
        // A pause that arrived while idle (or just as the last run ended) holds this run too: say so, so the
        // renderer offers Resume instead of showing a run that never moves.
        onRunStart: () => {
          const started = this.progress.start();
          this.publishProgress(this.paused ? this.progress.setPaused(true) : started, true);
        },
        onReport: (report) => {
          this.publishProgress(this.progress.finish(), true);
          if (report.indexed > 0 || report.removed > 0 || report.failed.length > 0) {
            this.emit('library.changed', { photoCount: this.core.catalog.photos.count() });
          }
        },
        onError: (message) => {
          this.publishProgress(this.progress.finish(), true);
          this.options.onWarning?.(message);
        },
        indexOptions: {
          onProgress: (p) => this.publishProgress(this.progress.update(p)),
          whilePaused: () => (this.paused ? new Promise<void>((resolve) => this.resumeWaiters.push(resolve)) : Promise.resolve()),
        },
      });
    });
    return this.restarting;
  }
}

function isReadableFolder(folder: string): boolean {
  try {
    fs.accessSync(folder, fs.constants.R_OK);
    return fs.statSync(folder).isDirectory();
  } catch {
    return false;
  }
}

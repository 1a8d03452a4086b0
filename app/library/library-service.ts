import path from 'node:path';
import type { EventName, Events, FileFailure, FolderStatus, IndexingState, LibraryStatus, ModelProgress } from '../api/contract.js';
import type { Core } from '../core.js';
import type { IndexingStatus } from '../indexer/indexing-controller.js';
import { UserError, messageOf } from '../util/errors.js';
import { displayName } from '../util/fs-names.js';
import { watchFolders, type FolderWatch } from '../watcher/watch-folders.js';
import { describeModelProgress } from './model-progress.js';

export type LibraryEventListener = <E extends EventName>(name: E, payload: Events[E]) => void;

export interface LibraryServiceOptions {
  /** Quiet time after file events before re-indexing (tests shorten it). */
  debounceMs?: number;
  onWarning?: (message: string) => void;
}

/**
 * The live library behind the app: the watched roots, background indexing (progress, pause and resume come
 * from Core's [Note: indexing controller]), model switches, and events for every connected window. The API
 * handlers call it; it calls Core.
 */
export class LibraryService {
  private watch: FolderWatch | undefined;
  private restarting: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<LibraryEventListener>();
  private modelProblem: string | null = null;
  private switching: Promise<void> | undefined;
  private readonly stopProgress: () => void;
  private readonly stopSmartAlbums: () => void;

  constructor(
    readonly core: Core,
    private readonly options: LibraryServiceOptions = {},
  ) {
    this.stopProgress = core.indexing.onProgress((status) => this.emit('indexing.progress', indexingState(status)));
    // A background update of smart albums changed what an album view shows.
    this.stopSmartAlbums = core.smartAlbumUpdates.onChange(() => this.emit('library.changed', { photoCount: this.core.catalog.photos.count() }));
  }

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
      indexing: indexingState(this.core.indexing.status),
    };
  }

  folders(): FolderStatus[] {
    return this.core.listRoots().map((r) => ({
      id: r.id,
      path: r.path,
      photoCount: r.photoCount,
      failedCount: r.failedCount,
      online: r.online,
      lastIndexedAt: r.lastIndexedAt,
    }));
  }

  /** Adds a folder to the library and starts indexing it in the background. */
  async addFolder(folder: string): Promise<FolderStatus> {
    const root = this.core.addRoot(path.resolve(folder));
    await this.restartWatch();
    return this.folders().find((f) => f.id === root.id)!;
  }

  /** Stops watching a folder and forgets its photos; the files on disk are not touched. */
  async removeFolder(folderId: number): Promise<{ removedPhotos: number }> {
    const root = this.core.listRoots().find((r) => r.id === folderId);
    if (!root) throw new UserError(`no folder with id ${folderId}`);
    await this.stopWatch();
    const result = this.core.removeRoot(root.path);
    this.notifyChanged();
    await this.restartWatch();
    return result;
  }

  /** Photos left the library outside an index run (a resolved duplicate group): windows refresh. */
  notifyChanged(): void {
    this.core.invalidateSearch();
    this.emit('library.changed', { photoCount: this.core.catalog.photos.count() });
    // Tags, marks and albums that smart albums' filters name may have changed (a run per burst of changes).
    void this.core.smartAlbumUpdates.schedule();
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
      .slice(0, limit)
      .map((e) => ({ ...e, path: displayName(e.path) })); // for people (see [Note: file names that are not UTF-8])
  }

  pause(): IndexingState {
    this.core.indexing.pause();
    return indexingState(this.core.indexing.status);
  }

  resume(): IndexingState {
    this.core.indexing.resume();
    return indexingState(this.core.indexing.status);
  }

  /** Resolves once no indexing run is pending or running (tests, clean shutdown). */
  async idle(): Promise<void> {
    await this.restarting;
    await this.watch?.idle();
  }

  async close(): Promise<void> {
    await this.switching;
    this.core.indexing.resume();
    await this.stopWatch();
    this.stopProgress();
    this.stopSmartAlbums();
    this.listeners.clear();
  }

  private emit<E extends EventName>(name: E, payload: Events[E]): void {
    for (const listener of this.listeners) listener(name, payload);
  }

  private async stopWatch(): Promise<void> {
    await this.restarting;
    await this.stopWatchNow();
  }

  /** One watcher over every root: replaced whenever the root list changes. */
  private restartWatch(): Promise<void> {
    this.restarting = this.restarting.then(async () => {
      await this.stopWatchNow();
      const roots = this.core.listRoots().map((r) => r.path);
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
        onReport: (report) => {
          if (report.indexed > 0 || report.removed > 0 || report.failed.length > 0) {
            this.emit('library.changed', { photoCount: this.core.catalog.photos.count() });
          }
        },
        onError: (message) => this.options.onWarning?.(message),
      });
    });
    return this.restarting;
  }

  /** A paused run is let go so it can finish its batch and close; the pause then holds the next run. */
  private async stopWatchNow(): Promise<void> {
    const current = this.watch;
    this.watch = undefined;
    const paused = this.core.indexing.status.state === 'paused';
    if (paused) this.core.indexing.resume();
    await current?.close();
    if (paused) this.core.indexing.pause();
  }
}

/** The controller's status as the contract shows it: `queued` counts every file found so far. */
function indexingState(s: IndexingStatus): IndexingState {
  const finished = s.done + s.failed;
  return {
    state: s.state === 'paused' ? 'paused' : s.state === 'idle' ? 'idle' : s.scanning && finished === 0 ? 'scanning' : 'indexing',
    queued: s.queued + finished,
    done: s.done,
    failed: s.failed,
    rate: s.photosPerSecond,
    etaSeconds: s.etaSeconds,
    current: s.current === null ? null : displayName(s.current),
  };
}

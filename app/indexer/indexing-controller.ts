import type { FailedFile } from './index-report.js';

export type IndexingState = 'idle' | 'running' | 'paused';

/** A live picture of indexing for the UI; `queued`, `etaSeconds` grow while `scanning` is still finding files. */
export interface IndexingStatus {
  state: IndexingState;
  /** Files found and not finished yet. */
  queued: number;
  /** Files finished this run without error: newly indexed plus unchanged. */
  done: number;
  indexed: number;
  unchanged: number;
  failed: number;
  /** Newly indexed photos per second over the last few seconds. */
  photosPerSecond: number;
  /** Seconds until the queue is empty at the current pace; null when unknown (nothing finished yet). */
  etaSeconds: number | null;
  /** The file being prepared most recently. */
  current: string | null;
  scanning: boolean;
  /** Indexing holds back while a search runs (see `whileSearching`). */
  yielding: boolean;
}

type Listener<T> = (value: T) => void;

/** Pace is measured over this window, so the rate follows the current folder rather than the whole run. */
const RATE_WINDOW_MS = 10_000;
/** At most one progress event this often: unchanged files finish thousands per second. */
const EMIT_EVERY_MS = 200;

/**
 * [Note: indexing controller]
 * One per Core. The indexer reports each file to it and waits at `gate()` before starting the next one; the
 * UI/API reads `status`, subscribes with `onProgress`/`onFailed`, and calls `pause()`/`resume()`. Pausing
 * stops new files from starting; files already decoding finish and land, so pausing never loses work.
 * Searches call `whileSearching`, which holds new decodes back for the search's duration so the CPU goes to
 * the query the user is waiting for.
 */
export class IndexingController {
  private paused = false;
  private searches = 0;
  private running = false;
  private counts = { queued: 0, indexed: 0, unchanged: 0, failed: 0 };
  private current: string | null = null;
  private scanning = false;
  /** Recently finished files: when, how many of them newly indexed, how many finished in all. */
  private recent: { at: number; indexed: number; finished: number }[] = [];
  private waiters: (() => void)[] = [];
  private readonly progressListeners = new Set<Listener<IndexingStatus>>();
  private readonly failedListeners = new Set<Listener<FailedFile>>();
  private lastEmit = 0;
  private trailing: NodeJS.Timeout | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  get status(): IndexingStatus {
    const { queued, indexed, unchanged, failed } = this.counts;
    const t = this.now();
    this.recent = this.recent.filter((r) => t - r.at <= RATE_WINDOW_MS);
    const first = this.recent[0];
    const span = first ? Math.max(1, t - first.at, 1000) / 1000 : 0;
    const photosPerSecond = span ? this.recent.reduce((n, r) => n + r.indexed, 0) / span : 0;
    const finishedPerSecond = span ? this.recent.reduce((n, r) => n + r.finished, 0) / span : 0;
    return {
      state: this.paused ? 'paused' : this.running ? 'running' : 'idle',
      queued,
      done: indexed + unchanged,
      indexed,
      unchanged,
      failed,
      photosPerSecond: Math.round(photosPerSecond * 10) / 10,
      etaSeconds: queued === 0 ? 0 : finishedPerSecond > 0 ? Math.ceil(queued / finishedPerSecond) : null,
      current: this.current,
      scanning: this.scanning,
      yielding: this.searches > 0,
    };
  }

  /** Subscribes to progress (throttled); returns the unsubscribe function. */
  onProgress(listener: Listener<IndexingStatus>): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  /** Subscribes to each file that fails, as it fails. */
  onFailed(listener: Listener<FailedFile>): () => void {
    this.failedListeners.add(listener);
    return () => this.failedListeners.delete(listener);
  }

  pause(): void {
    this.paused = true;
    this.emit(true);
  }

  resume(): void {
    this.paused = false;
    this.release();
    this.emit(true);
  }

  /** Runs a search with indexing held back until it returns. */
  async whileSearching<T>(search: () => Promise<T>): Promise<T> {
    this.searches++;
    try {
      return await search();
    } finally {
      this.searches--;
      this.release();
    }
  }

  // ——— called by the indexer ———

  /** Resolves when new work may start: not paused and no search running. */
  async gate(): Promise<void> {
    while (this.paused || this.searches > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  startRun(): void {
    this.running = true;
    this.scanning = true;
    this.counts = { queued: 0, indexed: 0, unchanged: 0, failed: 0 };
    this.recent = [];
    this.current = null;
    this.emit(true);
  }

  queued(): void {
    this.counts.queued++;
    this.emit();
  }

  started(file: string): void {
    this.current = file;
    this.emit();
  }

  finished(kind: 'indexed' | 'unchanged', n = 1): void {
    this.counts.queued -= n;
    this.counts[kind] += n;
    this.recent.push({ at: this.now(), indexed: kind === 'indexed' ? n : 0, finished: n });
    this.emit();
  }

  /** A file failed. `queued` is false for failures the scan found before queueing the file (unreadable folder). */
  failed(file: FailedFile, queued = true): void {
    if (queued) this.counts.queued--;
    this.counts.failed++;
    this.recent.push({ at: this.now(), indexed: 0, finished: 1 });
    for (const listener of this.failedListeners) listener(file);
    this.emit();
  }

  scanFinished(): void {
    this.scanning = false;
    this.emit();
  }

  endRun(): void {
    this.running = false;
    this.scanning = false;
    this.current = null;
    this.emit(true);
  }

  private release(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
  }

  private emit(now = false): void {
    if (this.progressListeners.size === 0) return;
    const t = this.now();
    if (!now && t - this.lastEmit < EMIT_EVERY_MS) {
      // A trailing event so the last change of a burst is never lost.
      this.trailing ??= setTimeout(() => {
        this.trailing = undefined;
        this.emit(true);
      }, EMIT_EVERY_MS);
      this.trailing.unref(); // never keeps a finished CLI process alive
      return;
    }
    clearTimeout(this.trailing);
    this.trailing = undefined;
    this.lastEmit = t;
    const status = this.status;
    for (const listener of this.progressListeners) listener(status);
  }
}

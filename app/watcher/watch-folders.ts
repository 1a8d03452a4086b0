import fs from 'node:fs';
import path from 'node:path';
import type { FSWatcher } from 'chokidar';
import type { Core } from '../core.js';
import type { IndexReport } from '../indexer/index-report.js';
import { messageOf } from '../util/errors.js';
import { loadChokidar } from '../util/heavy-modules.js';

export interface WatchOptions {
  /** Quiet time after the last file event before the folder is indexed again. */
  debounceMs?: number;
  onReport?: (report: IndexReport) => void;
  onError?: (message: string) => void;
}

export interface FolderWatch {
  /** Resolves once no index run is pending or running (for tests and clean shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Keeps folders indexed: one full index run at start, then chokidar reports adds, changes and deletions,
 * and after a quiet moment the folder is indexed again (unchanged files cost one stat each; moved files keep
 * their identity, deleted ones leave the catalog). Runs never overlap; events during a run schedule one more.
 * Files still being copied are not read until their size has been stable (chokidar's awaitWriteFinish).
 */
export async function watchFolders(core: Core, folders: string[], options: WatchOptions = {}): Promise<FolderWatch> {
  // Loaded before the first run starts, so the watcher begins as soon after it as before (see [Note: heavy modules on first use]).
  const { watch } = await loadChokidar();
  const roots = folders.map((f) => path.resolve(f));
  const debounceMs = options.debounceMs ?? 500;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let pending = false;
  let closed = false;

  const run = () => {
    pending = false;
    running = running.then(async () => {
      if (closed) return;
      try {
        // Not `onReport?.(await …)`: optional chaining would skip the index run itself without a listener.
        const report = await core.index(roots);
        options.onReport?.(report);
      } catch (err) {
        options.onError?.(messageOf(err));
      }
    });
  };
  const schedule = () => {
    pending = true;
    clearTimeout(timer);
    timer = setTimeout(run, debounceMs);
  };

  run();
  const library = path.resolve(core.libraryDir);
  const watcher: FSWatcher = watch(roots, {
    ignoreInitial: true,
    // Hidden files and folders (OS caches, thumbnails) and our own library never trigger work.
    ignored: (p: string) => path.basename(p).startsWith('.') || p === library || p.startsWith(library + path.sep),
    awaitWriteFinish: { stabilityThreshold: 300, pollInterval: 100 },
  });
  watcher.on('all', schedule);
  // chokidar holds a new file's 'add' back until its size is stable (awaitWriteFinish) and, when the file is
  // deleted before that, emits neither the 'add' nor the 'unlink': a photo renamed and then deleted within
  // ~300 ms would stay in the catalog. A path that no longer exists is safe to act on at once, so the raw
  // fs.watch 'rename' events of vanished paths schedule a run too.
  // chokidar decodes a name that is not UTF-8 with U+FFFD, a path it then cannot stat: for such a file it
  // reports only these raw events, 'rename' and 'change' alike. Any raw event on such a name schedules a run,
  // which lists folders as bytes and finds the file (see [Note: file names that are not UTF-8]).
  watcher.on('raw', (event: string, name: string, details: unknown) => {
    if (event !== 'rename' && !(typeof name === 'string' && name.includes('\uFFFD'))) return;
    const watched = (details as { watchedPath?: string } | undefined)?.watchedPath;
    if (!watched) return;
    const candidates = [path.resolve(watched, name), path.join(path.dirname(watched), path.basename(name))];
    if (candidates.some((p) => p === library || p.startsWith(library + path.sep) || path.basename(p).startsWith('.'))) return;
    if (!candidates.some((p) => fs.existsSync(p))) schedule();
  });
  watcher.on('error', (err) => options.onError?.(messageOf(err)));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));

  return {
    async idle() {
      for (;;) {
        const current = running;
        await current;
        if (!pending && current === running) return;
        await new Promise((r) => setTimeout(r, debounceMs / 2));
      }
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await watcher.close();
      await running;
    },
  };
}

import fs from 'node:fs';
import path from 'node:path';
import { isImagePath } from '../image/formats.js';
import { messageOf } from '../util/errors.js';

export type ScanEntry =
  | { kind: 'file'; path: string; size: number; mtimeMs: number }
  | { kind: 'error'; path: string; message: string };

export interface ScanOptions {
  /** Folders never to enter (the library's own folder, for one). */
  exclude?: readonly string[];
  /** Lists a folder; tests pass one that raises EACCES, which a root user never sees from the real one. */
  readdir?: (dir: string) => Promise<fs.Dirent[]>;
}

/** Folder names that hold caches or system files, never photos worth indexing. */
const SKIPPED_DIRS = new Set(['@eaDir', '#recycle', '$RECYCLE.BIN', 'System Volume Information', 'lost+found', 'node_modules']);

/**
 * Walks a folder tree depth-first and yields image files with their size and mtime. Hidden entries are
 * skipped; symlinked folders are followed once (a loop is visited only the first time); an unreadable
 * folder or file yields an error entry and the walk goes on.
 */
export async function* scanFolder(root: string, options: ScanOptions = {}): AsyncGenerator<ScanEntry> {
  const excluded = new Set((options.exclude ?? []).map((p) => path.resolve(p)));
  const visited = new Set<string>();
  const stack = [path.resolve(root)];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let real: string;
    let entries: fs.Dirent[];
    try {
      real = await fs.promises.realpath(dir);
      if (visited.has(real) || excluded.has(real) || excluded.has(dir)) continue;
      visited.add(real);
      entries = await (options.readdir ?? ((d: string) => fs.promises.readdir(d, { withFileTypes: true })))(dir);
    } catch (err) {
      yield { kind: 'error', path: dir, message: `cannot read folder: ${messageOf(err)}` };
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
      const full = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = await fs.promises.stat(full);
          isDir = target.isDirectory();
          isFile = target.isFile();
        } catch (err) {
          if (isImagePath(full)) yield { kind: 'error', path: full, message: `broken link: ${messageOf(err)}` };
          continue;
        }
      }
      if (isDir) subdirs.push(full);
      else if (isFile && isImagePath(full)) {
        try {
          const st = await fs.promises.stat(full);
          yield { kind: 'file', path: full, size: st.size, mtimeMs: Math.trunc(st.mtimeMs) };
        } catch (err) {
          // readdir decodes a name that is not valid UTF-8 with U+FFFD, a name no file has: say so plainly.
          const message = entry.name.includes('\uFFFD') ? 'file name is not valid UTF-8: rename the file to index it' : `cannot stat: ${messageOf(err)}`;
          yield { kind: 'error', path: full, message };
        }
      }
    }
    // Pushed in reverse so that subfolders pop in alphabetical order: a stable, readable order.
    stack.push(...subdirs.reverse());
  }
}

import fs from 'node:fs';
import path from 'node:path';
import { isImagePath } from '../image/formats.js';
import { messageOf } from '../util/errors.js';
import { fromFsBytes, toFsPath } from '../util/fs-names.js';

export type ScanEntry =
  | { kind: 'file'; path: string; size: number; mtimeMs: number }
  | { kind: 'error'; path: string; message: string };

export interface ScanOptions {
  /** Folders never to enter (the library's own folder, for one). */
  exclude?: readonly string[];
  /**
   * Lists a folder; tests pass one that raises EACCES, which a root user never sees from the real one.
   * Names as bytes are what the real one gives (see [Note: file names that are not UTF-8]).
   */
  readdir?: (dir: string) => Promise<fs.Dirent<string | Buffer>[]>;
}

/** Lists names as bytes: Node's string names turn bytes that are not UTF-8 into U+FFFD, a name no file has. */
const readdirBytes = (dir: string) => fs.promises.readdir(toFsPath(dir), { withFileTypes: true, encoding: 'buffer' });

/** Folder names that hold caches or system files, never photos worth indexing. */
const SKIPPED_DIRS = new Set(['@eaDir', '#recycle', '$RECYCLE.BIN', 'System Volume Information', 'lost+found', 'node_modules']);

/**
 * Walks a folder tree depth-first and yields image files with their size and mtime, paths in their exact
 * string form (see [Note: file names that are not UTF-8]). Hidden entries are skipped; symlinked folders are followed once (a loop is visited only the first time); an unreadable
 * folder or file yields an error entry and the walk goes on.
 */
export async function* scanFolder(root: string, options: ScanOptions = {}): AsyncGenerator<ScanEntry> {
  const excluded = new Set((options.exclude ?? []).map((p) => path.resolve(p)));
  const visited = new Set<string>();
  const stack = [path.resolve(root)];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let real: string;
    let entries: { name: string; dirent: fs.Dirent<string | Buffer> }[];
    try {
      real = fromFsBytes(await fs.promises.realpath(toFsPath(dir), { encoding: 'buffer' }));
      if (visited.has(real) || excluded.has(real) || excluded.has(dir)) continue;
      visited.add(real);
      const listed = await (options.readdir ?? readdirBytes)(dir);
      entries = listed.map((dirent) => ({ name: typeof dirent.name === 'string' ? dirent.name : fromFsBytes(dirent.name), dirent }));
    } catch (err) {
      yield { kind: 'error', path: dir, message: `cannot read folder: ${messageOf(err)}` };
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const { name, dirent: entry } of entries) {
      if (name.startsWith('.') || SKIPPED_DIRS.has(name)) continue;
      const full = path.join(dir, name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = await fs.promises.stat(toFsPath(full));
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
          const st = await fs.promises.stat(toFsPath(full));
          yield { kind: 'file', path: full, size: st.size, mtimeMs: Math.trunc(st.mtimeMs) };
        } catch (err) {
          yield { kind: 'error', path: full, message: `cannot stat: ${messageOf(err)}` };
        }
      }
    }
    // Pushed in reverse so that subfolders pop in alphabetical order: a stable, readable order.
    stack.push(...subdirs.reverse());
  }
}

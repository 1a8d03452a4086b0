import { hasRawBytes } from './fs-names.js';
import { freedesktopTrash } from './freedesktop-trash.js';
import { loadTrash } from './heavy-modules.js';

/**
 * Moves a photo file to the OS trash, never deleting it: the `trash` package (Freedesktop trash on Linux,
 * the Finder's on macOS, the Recycle Bin on Windows), or, for a name that is not UTF-8, which only Linux
 * file systems hold, Shoebox's own freedesktop implementation (see [Note: trashing a name that is not UTF-8]).
 * `file` is the path's exact string form. Throws when the file could not be moved; it is then where it was.
 */
export async function moveToTrash(file: string): Promise<void> {
  if (!hasRawBytes(file)) return (await loadTrash())(file, { glob: false }); // see [Note: heavy modules on first use]
  if (process.platform !== 'linux') throw new Error('cannot trash a file whose name is not UTF-8 on this system');
  await freedesktopTrash(file);
}

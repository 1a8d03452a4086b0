import path from 'node:path';
import { hasRawBytes } from './fs-names.js';

/**
 * What "show in folder" can hand the desktop's file manager for a photo's exact path (see [Note: file names
 * that are not UTF-8]). Electron's `shell.showItemInFolder` and `shell.openPath` take JS strings, which cannot
 * name a file whose name is not UTF-8: such a photo is shown by opening the nearest folder above it whose path
 * is plain text (its own folder, unless that name is not UTF-8 either), where the photographer sees it under
 * the name the file manager gives it. Every other photo is selected in its folder, as before.
 */
export type FolderToShow = { select: string } | { open: string };

export function folderToShow(photoPath: string): FolderToShow {
  if (!hasRawBytes(photoPath)) return { select: photoPath };
  let dir = path.dirname(photoPath);
  while (hasRawBytes(dir)) dir = path.dirname(dir);
  return { open: dir };
}

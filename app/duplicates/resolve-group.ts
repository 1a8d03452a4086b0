import fs from 'node:fs';
import type { Catalog } from '../catalog/catalog.js';
import { messageOf } from '../util/errors.js';
import { toFsPath } from '../util/fs-names.js';
import { moveToTrash } from '../util/move-to-trash.js';
import type { DuplicateGroup } from './find-duplicates.js';

export interface ResolveOutcome {
  kept: string;
  trashed: string[];
  failed: { path: string; error: string }[];
}

/**
 * Resolves a duplicate group the photographer confirmed: every photo but the keeper goes to the OS trash
 * (moveToTrash: Freedesktop trash on Linux, the Finder's on macOS, the Recycle Bin on Windows) —
 * never a permanent delete — and leaves the catalog only once its file is safely in the trash. A file that
 * cannot be trashed stays where it is and in the catalog.
 * What the photographer gave the copies carries over to the keeper first: the highest star rating, and their
 * own tag decisions (tags they added, accepted or pinned, and keywords the files carried) unless the keeper
 * already has a decision of its own on that tag.
 */
export async function resolveGroup(catalog: Catalog, group: DuplicateGroup): Promise<ResolveOutcome> {
  const outcome: ResolveOutcome = { kept: group.keep.photo.path, trashed: [], failed: [] };
  if (!fs.existsSync(toFsPath(group.keep.photo.path))) {
    // Never trash the copies of a photo whose keeper has vanished: they may be the last ones.
    outcome.failed = group.photos.filter((p) => p !== group.keep.photo).map((p) => ({ path: p.path, error: 'keeper is missing; nothing trashed' }));
    return outcome;
  }
  catalog.carryOver(group.keep.photo.id, group.photos.map((p) => p.id));
  for (const photo of group.photos) {
    if (photo.id === group.keep.photo.id) continue;
    try {
      await moveToTrash(photo.path);
      catalog.removePhoto(photo.id);
      outcome.trashed.push(photo.path);
    } catch (err) {
      outcome.failed.push({ path: photo.path, error: messageOf(err) });
    }
  }
  return outcome;
}

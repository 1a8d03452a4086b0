import fs from 'node:fs';
import type { Catalog } from '../catalog/catalog.js';
import { sidecarPaths } from '../tagging/xmp-write.js';
import { messageOf } from '../util/errors.js';
import { toFsPath } from '../util/fs-names.js';
import { moveToTrash } from '../util/move-to-trash.js';

export interface TrashOutcome {
  trashed: number[];
  failed: { id: number; error: string }[];
}

/**
 * Moves photos the photographer chose (and confirmed) to the OS trash: never a permanent delete (see
 * moveToTrash). Each photo leaves the catalog only once its file is safely in the trash; one that cannot be
 * moved stays where it is and in the catalog, with its own error, and the others go on. A Lightroom-style
 * `.xmp` sidecar beside it follows it into the trash, so no orphaned metadata is left behind; a sidecar that
 * cannot be moved is left where it is (the photo is what the photographer asked for).
 */
export async function trashPhotos(catalog: Catalog, ids: readonly number[]): Promise<TrashOutcome> {
  const outcome: TrashOutcome = { trashed: [], failed: [] };
  for (const id of new Set(ids)) {
    const photo = catalog.photos.byId(id);
    if (!photo) {
      outcome.failed.push({ id, error: `no photo with id ${id}` });
      continue;
    }
    try {
      await moveToTrash(photo.path);
    } catch (err) {
      outcome.failed.push({ id, error: messageOf(err) });
      continue;
    }
    catalog.removePhoto(id);
    outcome.trashed.push(id);
    for (const sidecar of sidecarPaths(photo.path)) {
      if (fs.existsSync(toFsPath(sidecar))) await moveToTrash(sidecar).catch(() => {});
    }
  }
  return outcome;
}

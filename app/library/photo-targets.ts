import path from 'node:path';
import type { Catalog } from '../catalog/catalog.js';

/**
 * How a caller names the photos an action is for: a photo id (the API, the renderer) or a path (the CLI),
 * where a folder's path stands for every photo under it.
 */
export type PhotoTarget = number | string;

export interface TargetFailure {
  target: PhotoTarget;
  error: string;
}

/**
 * The photo ids the targets name, each once, in the order given, and one failure per target that names no
 * photo in the library: an action on many photos does what it can and says which inputs were wrong, instead
 * of failing all of them for one typo.
 */
export function resolveTargets(catalog: Catalog, targets: readonly PhotoTarget[]): { ids: number[]; failed: TargetFailure[] } {
  const ids = new Set<number>();
  const failed: TargetFailure[] = [];
  for (const target of targets) {
    if (typeof target === 'number') {
      if (catalog.photos.byId(target)) ids.add(target);
      else failed.push({ target, error: `no photo with id ${target}` });
      continue;
    }
    const resolved = path.resolve(target);
    const photo = catalog.photos.byPath(resolved);
    if (photo) {
      ids.add(photo.id);
      continue;
    }
    const under = catalog.photos.under(resolved, path.sep);
    if (under.length === 0) failed.push({ target, error: 'not in the library (index its folder first)' });
    for (const u of under) ids.add(u.id);
  }
  return { ids: [...ids], failed };
}

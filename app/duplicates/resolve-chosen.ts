import type { LibraryService } from '../library/library-service.js';
import { UserError } from '../util/errors.js';
import { resolveGroup } from './resolve-group.js';

/**
 * Resolves the photographer's choice from the review screen: keep one photo, trash some others of its group.
 * The group is found again in the library as it is now, and every photo to trash must still be in the
 * keeper's group: a stale or forged request (an id from elsewhere) moves nothing.
 */
export async function resolveChosen(library: LibraryService, keepId: number, trashIds: number[]): Promise<{ trashed: number[]; failed: { id: number; error: string }[] }> {
  const groups = await library.core.duplicates();
  // A keeper can be in a near group and in an edit group: the group is the one holding every chosen photo.
  const group = groups.find((g) => g.photos.some((p) => p.id === keepId) && trashIds.every((id) => g.photos.some((p) => p.id === id)));
  if (!group) throw new UserError('these photos are no longer a duplicate group (the library changed): refresh and choose again');
  const members = new Map(group.photos.map((p) => [p.id, p]));
  const chosen = [...new Set(trashIds)];
  for (const id of chosen) {
    if (id === keepId) throw new UserError('the photo to keep cannot also be trashed');
    if (!members.has(id)) throw new UserError(`photo ${id} is not in this duplicate group: nothing was moved`);
  }
  const keeper = members.get(keepId)!;
  const outcome = await resolveGroup(library.core.catalog, {
    ...group,
    photos: [keeper, ...chosen.map((id) => members.get(id)!)],
    keep: { photo: keeper, reason: 'chosen by the user' },
  });
  const idOf = new Map(group.photos.map((p) => [p.path, p.id]));
  return {
    trashed: outcome.trashed.map((p) => idOf.get(p)!),
    failed: outcome.failed.map((f) => ({ id: idOf.get(f.path)!, error: f.error })),
  };
}

import type { AlbumRecord } from '../catalog/albums.js';
import type { Core } from '../core.js';
import type { TargetFailure } from '../library/photo-targets.js';
import type { AlbumView } from './contract.js';
import { NotFoundError, type Handlers } from './handlers.js';
import { smartDefinitionOf } from '../albums/smart-albums.js';

/**
 * The albums and culling procedures (`albums.*`, smart albums included, `photos.rate|flag|label`), spread into
 * createHandlers.
 * Photos are named by id here; an id that names no photo is a per-item failure, not a failed call.
 */
export function albumMarkHandlers(core: Core, notifyChanged: () => void): AlbumMarkHandlers {
  const changed = <T>(value: T): T => {
    notifyChanged();
    return value;
  };
  return {
    'albums.list': () => core.albums.list().map(albumView),
    'albums.create': ({ name }) => albumView(core.albums.create(name)),
    'albums.rename': ({ id, name }) => albumView(core.albums.rename(id, name)),
    'albums.delete': ({ id }) => changed(albumView(core.albums.delete(id))),
    'albums.add': ({ id, photoIds }) => {
      const change = core.albums.add(id, photoIds);
      return changed({ album: albumView(change.album), changed: change.changed, failed: failedIds(change.failed) });
    },
    'albums.remove': ({ id, photoIds }) => {
      const change = core.albums.remove(id, photoIds);
      return changed({ album: albumView(change.album), changed: change.changed, failed: failedIds(change.failed) });
    },
    'albums.createSmart': async ({ name, query, filters }) => changed(albumView(await core.smartAlbums.create(name, query, filters))),
    'albums.editSmart': async ({ id, query, filters }) => changed(albumView(await core.smartAlbums.edit(id, { query, filters }))),
    'albums.why': ({ id, photoId }) => {
      if (!core.catalog.photos.byId(photoId)) throw new NotFoundError(`no photo with id ${photoId}`);
      return core.smartAlbums.why(id, photoId);
    },
    'photos.rate': ({ ids, rating }) => changed(markView(core.marks.rate(ids, rating))),
    'photos.flag': ({ ids, flag }) => changed(markView(core.marks.flag(ids, flag))),
    'photos.label': ({ ids, label }) => changed(markView(core.marks.label(ids, label))),
  };
}

type AlbumMarkHandlers = Pick<Handlers, 'albums.list' | 'albums.create' | 'albums.rename' | 'albums.delete' | 'albums.add' | 'albums.remove' | 'albums.createSmart' | 'albums.editSmart' | 'albums.why' | 'photos.rate' | 'photos.flag' | 'photos.label'>;

function albumView(album: AlbumRecord): AlbumView {
  const smart = smartDefinitionOf(album);
  return { id: album.id, name: album.name, photos: album.photos, createdAt: album.createdAt, updatedAt: album.updatedAt, ...(smart ? { smart } : {}) };
}

function markView(change: { photos: number; failed: TargetFailure[] }) {
  return { photos: change.photos, failed: failedIds(change.failed) };
}

/** The API names photos by id only, so every failed target is an id. */
function failedIds(failed: readonly TargetFailure[]): { id: number; error: string }[] {
  return failed.map((f) => ({ id: Number(f.target), error: f.error }));
}

import type { AlbumRecord } from '../catalog/albums.js';
import type { Catalog } from '../catalog/catalog.js';
import { resolveTargets, type PhotoTarget, type TargetFailure } from '../library/photo-targets.js';
import { UserError } from '../util/errors.js';

/** An album named by its id (the API) or its name, case-insensitively (the CLI). */
export type AlbumRef = number | string;

export interface AlbumChange {
  album: AlbumRecord;
  /** Photos that joined (add) or left (remove) the album; photos already in (or not in) it do not count. */
  changed: number;
  failed: TargetFailure[];
}

const MAX_NAME = 200;

/**
 * Albums: a named set of photos, made by hand or by a search (smart-albums.ts). Membership is kept by photo id, so it follows a photo through
 * moves, renames and duplicate resolution (see migration 010). SQL stays in catalog/albums.ts.
 */
export class Albums {
  constructor(private readonly catalog: Catalog) {}

  list(): AlbumRecord[] {
    return this.catalog.albums.list();
  }

  create(name: string): AlbumRecord {
    const clean = this.checkName(name);
    const id = this.catalog.albums.create(clean);
    return this.catalog.albums.byId(id)!;
  }

  rename(ref: AlbumRef, name: string): AlbumRecord {
    const album = this.resolve(ref);
    const clean = this.checkName(name, album.id);
    this.catalog.albums.rename(album.id, clean);
    return this.catalog.albums.byId(album.id)!;
  }

  /** Deletes the album, never its photos; returns it as it was. */
  delete(ref: AlbumRef): AlbumRecord {
    const album = this.resolve(ref);
    this.catalog.albums.delete(album.id);
    return album;
  }

  /** Adds photos; on a smart album this pins them in (see [Note: smart album decisions]). */
  add(ref: AlbumRef, targets: readonly PhotoTarget[]): AlbumChange {
    const album = this.resolve(ref);
    const { ids, failed } = resolveTargets(this.catalog, targets);
    const changed = this.catalog.transaction(() => {
      if (album.smartQuery !== null) for (const id of ids) this.catalog.smartAlbums.decide(album.id, id, 'pin');
      return this.catalog.albums.add(album.id, ids);
    });
    return { album: this.catalog.albums.byId(album.id)!, changed, failed };
  }

  /** Removes photos; on a smart album this keeps them out (see [Note: smart album decisions]). */
  remove(ref: AlbumRef, targets: readonly PhotoTarget[]): AlbumChange {
    const album = this.resolve(ref);
    const { ids, failed } = resolveTargets(this.catalog, targets);
    const changed = this.catalog.transaction(() => {
      if (album.smartQuery !== null) for (const id of ids) this.catalog.smartAlbums.decide(album.id, id, 'keep-out');
      return this.catalog.albums.remove(album.id, ids);
    });
    return { album: this.catalog.albums.byId(album.id)!, changed, failed };
  }

  /** The album and its photos' ids, in the order they were added. */
  show(ref: AlbumRef): { album: AlbumRecord; photoIds: number[] } {
    const album = this.resolve(ref);
    return { album, photoIds: this.catalog.albums.photoIds(album.id) };
  }

  /** The album a ref names; a UserError naming the ref when there is none. */
  resolve(ref: AlbumRef): AlbumRecord {
    const album = typeof ref === 'number' ? this.catalog.albums.byId(ref) : this.catalog.albums.byName(ref.trim());
    if (!album) throw new UserError(typeof ref === 'number' ? `no album with id ${ref}` : `no album "${ref}"`);
    return album;
  }

  /** A trimmed, non-empty name no other album has (names are unique case-insensitively). */
  checkName(name: string, selfId?: number): string {
    const clean = name.trim();
    if (clean.length === 0) throw new UserError('an album needs a name');
    if (clean.length > MAX_NAME) throw new UserError(`an album name is at most ${MAX_NAME} characters`);
    const existing = this.catalog.albums.byName(clean);
    if (existing && existing.id !== selfId) throw new UserError(`an album "${existing.name}" already exists`);
    return clean;
  }
}

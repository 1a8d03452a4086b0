import fs from 'node:fs';
import path from 'node:path';
import type { Catalog } from '../catalog/catalog.js';
import { UserError } from '../util/errors.js';
import { toFsPath } from '../util/fs-names.js';

/** A watched root folder as the UI lists it. */
export interface RootStatus {
  id: number;
  path: string;
  photoCount: number;
  /** Files under the root whose last attempt failed (see `file_errors`). */
  failedCount: number;
  /** False when the folder is missing now or the last index run found it offline; its photos are kept. */
  online: boolean;
  offlineSince: number | null;
  lastIndexedAt: number | null;
}

/**
 * The library's root folders (the `folders` table): added by the user or by indexing a folder, listed with
 * their counts and whether their drive is there, removed from the catalog (never from disk).
 */
export class Roots {
  constructor(
    private readonly catalog: Catalog,
    private readonly libraryDir: string,
  ) {}

  /** Registers a folder as a root; index it (Core.index / indexRoots) to bring its photos in. */
  add(folder: string): RootStatus {
    const root = path.resolve(folder);
    let isDir = false;
    try {
      isDir = fs.statSync(toFsPath(root)).isDirectory();
    } catch {
      // reported below
    }
    if (!isDir) throw new UserError(`cannot add ${root}: not a folder`);
    if (root === this.libraryDir || root.startsWith(this.libraryDir + path.sep)) throw new UserError(`cannot add ${root}: it is inside the library folder`);
    const id = this.catalog.folders.ensure(root);
    return this.status(id)!;
  }

  /**
   * Forgets a root and its photos (rows, vectors, jobs, errors); the files on disk are not touched.
   * Returns how many photos left the catalog.
   */
  remove(folder: string): { removedPhotos: number } {
    const root = path.resolve(folder);
    const known = this.catalog.folders.byPath(root);
    if (!known) throw new UserError(`${root} is not a root of this library`);
    const photos = this.catalog.photos.under(root, path.sep);
    this.catalog.transaction(() => {
      for (const photo of photos) this.catalog.removePhoto(photo.id);
      this.catalog.folders.delete(known.id);
    });
    return { removedPhotos: photos.length };
  }

  list(): RootStatus[] {
    return this.catalog.folders.list().map((f) => this.describe(f));
  }

  status(id: number): RootStatus | undefined {
    const folder = this.catalog.folders.list().find((f) => f.id === id);
    return folder && this.describe(folder);
  }

  private describe(folder: ReturnType<Catalog['folders']['list']>[number]): RootStatus {
    return {
      id: folder.id,
      path: folder.path,
      photoCount: this.catalog.photos.countUnder(folder.path, path.sep),
      failedCount: this.catalog.errors.countByFolder(folder.id),
      online: folder.offlineSince === null && fs.existsSync(toFsPath(folder.path)),
      offlineSince: folder.offlineSince,
      lastIndexedAt: folder.lastIndexedAt,
    };
  }
}

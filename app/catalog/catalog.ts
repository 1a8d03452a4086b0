import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { CATALOG_FILE } from '../library-paths.js';
import { AlbumStore } from './albums.js';
import { EmbeddingStore, type ModelRecord } from './embeddings.js';
import { FileErrorStore } from './file-errors.js';
import { FolderStore } from './folders.js';
import { IndexJobStore } from './index-jobs.js';
import { ModelStore } from './models.js';
import { NotDuplicateStore } from './not-duplicates.js';
import { openDatabase } from './open-database.js';
import { PhotoBrowser } from './photo-browse.js';
import { PhotoFileStore } from './photo-files.js';
import { PhotoMarkStore } from './photo-marks.js';
import { PhotoStore } from './photos.js';
import { SettingsStore } from './settings.js';
import { SignatureStore } from './signatures.js';
import { SmartAlbumStore } from './smart-albums.js';
import { TagStore } from './tags.js';

export { CATALOG_FILE };

/**
 * The library's catalog: one SQLite file in the library folder. All SQL lives in the stores, one per table;
 * this class wires them and owns the operations that span several tables.
 */
export class Catalog {
  readonly photos: PhotoStore;
  readonly folders: FolderStore;
  readonly errors: FileErrorStore;
  readonly models: ModelStore;
  readonly settings: SettingsStore;
  readonly notDuplicates: NotDuplicateStore;
  readonly browse: PhotoBrowser;
  readonly tags: TagStore;
  readonly jobs: IndexJobStore;
  readonly photoFiles: PhotoFileStore;
  readonly signatures: SignatureStore;
  readonly albums: AlbumStore;
  readonly smartAlbums: SmartAlbumStore;
  readonly marks: PhotoMarkStore;
  private readonly embeddingStores = new Map<number, EmbeddingStore>();

  private constructor(readonly db: Database) {
    this.photos = new PhotoStore(db);
    this.folders = new FolderStore(db);
    this.errors = new FileErrorStore(db);
    this.models = new ModelStore(db);
    this.settings = new SettingsStore(db);
    this.notDuplicates = new NotDuplicateStore(db);
    this.browse = new PhotoBrowser(db);
    this.tags = new TagStore(db);
    this.jobs = new IndexJobStore(db);
    this.photoFiles = new PhotoFileStore(db);
    this.signatures = new SignatureStore(db);
    this.albums = new AlbumStore(db);
    this.smartAlbums = new SmartAlbumStore(db);
    this.marks = new PhotoMarkStore(db);
  }

  static open(libraryDir: string): Catalog {
    return new Catalog(openDatabase(path.join(libraryDir, CATALOG_FILE)));
  }

  embeddings(model: ModelRecord): EmbeddingStore {
    let store = this.embeddingStores.get(model.id);
    if (!store) {
      store = new EmbeddingStore(this.db, model);
      this.embeddingStores.set(model.id, store);
    }
    return store;
  }

  /** Runs `fn` in one transaction: all of it lands or none of it does. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** Removes a photo and its vectors in every model's table. */
  removePhoto(photoId: number): void {
    this.transaction(() => {
      for (const model of this.models.list()) this.embeddings(model).delete(photoId);
      this.photos.delete(photoId);
    });
  }

  /**
   * What the photographer gave some photos goes to one that stays (a duplicate's keeper, a RAW's JPEG): the
   * best star rating, and their own tag decisions (added, accepted, pinned, and imported keywords) unless the
   * keeper already has a decision on that tag. Suggestions are not carried: the keeper gets its own. The
   * keeper also joins every album of the others, takes their pin-in / keep-out decisions on smart albums where it
   * has none (SmartAlbumStore.carry), and gets a pick and a colour label it lacks (PhotoMarkStore.carry).
   */
  carryOver(keeperId: number, fromIds: readonly number[]): void {
    this.transaction(() => {
      const keeper = this.photos.byId(keeperId);
      if (!keeper) return;
      const others = fromIds.filter((id) => id !== keeperId).map((id) => this.photos.byId(id)).filter((p) => p !== undefined);
      const best = Math.max(keeper.rating ?? 0, ...others.map((p) => p.rating ?? 0));
      if (best > (keeper.rating ?? 0)) this.marks.setRating(keeperId, best);
      this.marks.carry(keeperId, others.map((p) => p.id));
      this.albums.carry(keeperId, others.map((p) => p.id));
      this.smartAlbums.carry(keeperId, others.map((p) => p.id));
      const decided = new Set(this.tags.ofPhoto(keeperId).filter((t) => t.state !== 'suggested').map((t) => t.tagId));
      for (const other of others) {
        for (const tag of this.tags.ofPhoto(other.id)) {
          if (tag.state === 'suggested' || tag.state === 'rejected' || decided.has(tag.tagId)) continue;
          this.tags.decide(keeperId, tag.tagId, tag.state, tag.source);
          decided.add(tag.tagId);
        }
      }
    });
  }

  /** Forgets a model: its vec0 table and its row go together (after a switch to another model). */
  dropModel(model: ModelRecord): void {
    this.transaction(() => {
      this.embeddings(model).drop();
      this.models.remove(model.id);
    });
    this.embeddingStores.delete(model.id);
  }

  close(): void {
    this.db.close();
  }
}

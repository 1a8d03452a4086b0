import type { ApiClient } from '../../../../app/api/client.js';
import type { AlbumView, AlbumWhyView, Filters } from '../../../../app/api/contract.js';

/**
 * The album list (side panel) and what is done to albums: create, rename, delete, add and remove photos, smart
 * albums from a search, and why a photo is in one. Which album the grid shows is a filter (FilterState.albumId),
 * so an album view has the same grid, filters and selection as the library.
 */
export class AlbumsState {
  albums = $state.raw<AlbumView[]>([]);
  loaded = $state(false);
  error = $state<string | null>(null);
  /** What the last change did, in words ("Added 3 photos to Keepers"); it fades after NOTICE_MS. */
  get notice(): string | null {
    return this.#notice;
  }
  set notice(value: string | null) {
    this.#notice = value;
    clearTimeout(this.noticeTimer);
    if (value !== null) this.noticeTimer = setTimeout(() => (this.#notice = null), NOTICE_MS);
  }
  #notice = $state<string | null>(null);
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;
  working = $state(false);

  constructor(
    private readonly api: ApiClient,
    /** An album the grid shows was deleted: the grid goes back to the library. */
    private readonly onDeleted: (id: number) => void,
  ) {}

  byId(id: number | null): AlbumView | undefined {
    return id === null ? undefined : this.albums.find((a) => a.id === id);
  }

  async load(): Promise<void> {
    try {
      this.albums = await this.api.call('albums.list', {});
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.loaded = true;
    }
  }

  create(name: string): Promise<AlbumView | null> {
    return this.act(() => this.api.call('albums.create', { name }));
  }

  /** A smart album from a search: its members follow the search as photos arrive (see the API contract). */
  createSmart(name: string, query: string, filters: Filters): Promise<AlbumView | null> {
    // An album is not defined by another album.
    const { albumId: _album, ...rest } = filters;
    return this.act(() => this.api.call('albums.createSmart', { name, query, filters: rest }));
  }

  editSmart(id: number, query: string): Promise<AlbumView | null> {
    return this.act(() => this.api.call('albums.editSmart', { id, query }));
  }

  rename(id: number, name: string): Promise<AlbumView | null> {
    return this.act(() => this.api.call('albums.rename', { id, name }));
  }

  async delete(id: number): Promise<void> {
    const deleted = await this.act(() => this.api.call('albums.delete', { id }));
    if (deleted) {
      this.notice = `Deleted the album “${deleted.name}” (its photos stay in the library).`;
      this.onDeleted(id);
    }
  }

  /** Adds photos (pins them in, for a smart album). */
  async add(id: number, photoIds: number[]): Promise<void> {
    const change = await this.act(() => this.api.call('albums.add', { id, photoIds }));
    if (change) this.notice = `${change.album.smart ? 'Pinned' : 'Added'} ${count(change.changed)} ${change.album.smart ? 'in' : 'to'} “${change.album.name}”.`;
  }

  /** Adds photos to a new album of that name. */
  async addToNew(name: string, photoIds: number[]): Promise<void> {
    const album = await this.create(name);
    if (album) await this.add(album.id, photoIds);
  }

  /** Takes photos out (keeps them out, for a smart album). */
  async remove(id: number, photoIds: number[]): Promise<void> {
    const change = await this.act(() => this.api.call('albums.remove', { id, photoIds }));
    if (change) this.notice = `${change.album.smart ? 'Kept out' : 'Removed'} ${count(change.changed)} ${change.album.smart ? 'of' : 'from'} “${change.album.name}”.`;
  }

  why(id: number, photoId: number): Promise<AlbumWhyView> {
    return this.api.call('albums.why', { id, photoId });
  }

  /** One change: shown as working, its error kept, the list reloaded (counts change). */
  private async act<T>(work: () => Promise<T>): Promise<T | null> {
    this.working = true;
    try {
      const result = await work();
      this.error = null;
      return result;
    } catch (err) {
      this.error = (err as Error).message;
      return null;
    } finally {
      this.working = false;
      await this.load();
    }
  }
}

const NOTICE_MS = 6000;
const count = (n: number) => (n === 1 ? '1 photo' : `${n.toLocaleString()} photos`);

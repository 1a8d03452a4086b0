import type { AlbumRecord } from '../catalog/albums.js';
import type { Catalog } from '../catalog/catalog.js';
import type { SmartMatch, SmartUpdate } from '../catalog/smart-albums.js';
import type { LibraryFilters } from '../library/filter-scope.js';
import { parseQuery } from '../search/parse-query.js';
import { UserError } from '../util/errors.js';
import type { AlbumRef, Albums } from './albums.js';

/** What defines a smart album: a search as the search box takes it, and the grid's filters. */
export interface SmartDefinition {
  query: string;
  filters: LibraryFilters;
}

/** The photos a search returns by default (its cut-off), with their relevance. */
export type SmartSearch = (query: string, filters: LibraryFilters) => Promise<SmartMatch[]>;

export interface AlbumWhy {
  reason: 'match' | 'pinned' | 'kept-out' | 'none';
  /** The smart album's search; null for a hand album. */
  query: string | null;
  relevance?: number;
}

/**
 * [Note: smart album decisions]
 * A smart album's members are the photos its search returns by default (the search's own cut-off: the
 * query-anchored rule of app/search/relevance.ts, negatives and filters included), materialised in
 * `album_photos` (migration 012) so the grid reads an album like any other. What the photographer does to it
 * is a decision, stored apart and never overwritten by an update: adding a photo pins it in (it stays whatever
 * the search says), removing one keeps it out (the search never adds it back); adding a kept-out photo pins it,
 * removing a pinned one keeps it out. A photo that leaves the search result leaves the album unless pinned.
 * Decisions follow the photo's id, through moves and renames, and go to a duplicate's keeper.
 */
export class SmartAlbums {
  constructor(
    private readonly catalog: Catalog,
    private readonly albums: Albums,
    private readonly search: SmartSearch,
  ) {}

  /** Creates the album and fills it from its search; a search that cannot run (a tag nobody has) creates nothing. */
  async create(name: string, query: string, filters: LibraryFilters = {}): Promise<AlbumRecord> {
    const clean = this.albums.checkName(name);
    const definition = checkDefinition({ query, filters });
    const id = this.catalog.smartAlbums.create(clean, definition.query, JSON.stringify(definition.filters));
    try {
      await this.update(id);
    } catch (err) {
      this.catalog.albums.delete(id);
      throw err;
    }
    return this.catalog.albums.byId(id)!;
  }

  /** Changes the search (either part); pins and keep-outs stay. The old search stays if the new one cannot run. */
  async edit(ref: AlbumRef, changes: { query?: string | undefined; filters?: LibraryFilters | undefined }): Promise<AlbumRecord> {
    const album = this.albums.resolve(ref);
    const before = smartDefinitionOf(album);
    if (!before) throw new UserError(`"${album.name}" is not a smart album`);
    const next = checkDefinition({ query: changes.query ?? before.query, filters: changes.filters ?? before.filters }, album.id);
    this.catalog.smartAlbums.define(album.id, next.query, JSON.stringify(next.filters));
    try {
      await this.update(album.id);
    } catch (err) {
      this.catalog.smartAlbums.define(album.id, before.query, JSON.stringify(before.filters));
      throw err;
    }
    return this.catalog.albums.byId(album.id)!;
  }

  /** Why a photo is in an album, or why not. */
  why(ref: AlbumRef, photoId: number): AlbumWhy {
    const album = this.albums.resolve(ref);
    const definition = smartDefinitionOf(album);
    const member = this.catalog.smartAlbums.member(album.id, photoId);
    if (!definition) return { reason: member ? 'pinned' : 'none', query: null };
    const decision = this.catalog.smartAlbums.decision(album.id, photoId);
    const relevance = member?.relevance ?? undefined;
    const withRelevance = relevance !== undefined && relevance !== null ? { relevance } : {};
    if (decision === 'keep-out') return { reason: 'kept-out', query: definition.query };
    if (decision === 'pin') return { reason: 'pinned', query: definition.query, ...withRelevance };
    return { reason: member ? 'match' : 'none', query: definition.query, ...withRelevance };
  }

  /** Re-runs one smart album's search and applies it (see [Note: smart album decisions]). */
  async update(albumId: number): Promise<SmartUpdate> {
    const album = this.catalog.albums.byId(albumId);
    const definition = album && smartDefinitionOf(album);
    if (!definition) return { added: 0, removed: 0 };
    const matches = await this.search(definition.query, definition.filters);
    // The album may have been deleted or redefined while its search ran: then this result is not its own.
    const now = this.catalog.albums.byId(albumId);
    if (!now || now.smartQuery !== album.smartQuery || now.smartFilters !== album.smartFilters) return { added: 0, removed: 0 };
    return this.catalog.smartAlbums.apply(albumId, matches);
  }

  /** Updates every smart album, one after another; an album whose search fails keeps its members and is reported. */
  async updateAll(onError: (album: string, err: unknown) => void): Promise<SmartUpdate> {
    const total = { added: 0, removed: 0 };
    for (const id of this.catalog.smartAlbums.smartIds()) {
      try {
        const change = await this.update(id);
        total.added += change.added;
        total.removed += change.removed;
      } catch (err) {
        onError(this.catalog.albums.byId(id)?.name ?? String(id), err);
      }
      // Between albums, whatever else waits on the core's event loop (an API call) goes first.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return total;
  }
}

/** A smart album's definition, or undefined for a hand album. */
export function smartDefinitionOf(album: AlbumRecord): SmartDefinition | undefined {
  if (album.smartQuery === null) return undefined;
  return { query: album.smartQuery, filters: album.smartFilters ? (JSON.parse(album.smartFilters) as LibraryFilters) : {} };
}

function checkDefinition(definition: SmartDefinition, selfId?: number): SmartDefinition {
  const query = definition.query.trim();
  if (!parseQuery(query).positive) throw new UserError('a smart album needs words to search for (not only what to leave out)');
  if (selfId !== undefined && definition.filters.albumId === selfId) throw new UserError('a smart album cannot be filtered by itself');
  // Only the fields set, so that the stored JSON (and the album's view) has no undefined holes.
  const filters = Object.fromEntries(Object.entries(definition.filters).filter(([, v]) => v !== undefined)) as LibraryFilters;
  return { query, filters };
}

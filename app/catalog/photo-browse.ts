import type { Database } from 'better-sqlite3';
import type { ColorLabel, Flag } from './photo-marks.js';
import { GRID_KEY } from './photos.js';

/** Restrictions the grid, the search and the similar-photo view share. All optional; they combine with AND. */
export interface BrowseFilters {
  folderIds?: number[] | undefined;
  /**
   * Inclusive bounds on the grid's date (capture time, else file time in UTC), `YYYY-MM-DD[THH:MM:SS]`, compared
   * as GRID_KEY text; a bare `takenTo` date includes its whole day.
   */
  takenFrom?: string | undefined;
  takenTo?: string | undefined;
  cameras?: string[] | undefined;
  /** Only these photos (a tag filter, resolved to ids by the tagging layer). */
  photoIds?: number[] | undefined;
  /** Never these photos (those of hidden tag groups). */
  excludeIds?: number[] | undefined;
  /** Culling marks (migration 011): at least this many stars; this flag or label, 'none' for photos without one. */
  minRating?: number | undefined;
  flag?: Flag | 'none' | undefined;
  label?: ColorLabel | 'none' | undefined;
  /** Only the photos of this album. */
  albumId?: number | undefined;
}

export interface BrowseRow {
  id: number;
  path: string;
  width: number;
  height: number;
  takenAt: string | null;
  /** The grid's order key (capture time, else file time, as text) and the same instant in ms for display. */
  gridKey: string;
  sortKey: number;
}

/** Where a page continues: the last row of the previous page. */
export interface BrowseCursor {
  key: string;
  id: number;
}

/**
 * Grid order: GRID_KEY (capture time, else file time), the expression migration 007 indexes, so a page is a
 * range read at any depth. SORT_MS is the same instant in ms for the renderer's day headers.
 */
const msOf = (isoExpr: string) => `CAST(strftime('%s', ${isoExpr}) AS INTEGER) * 1000`;
const SORT_MS = msOf(GRID_KEY);
/** How a camera is named in filters and facets: make and model, as the EXIF gives them. */
const CAMERA = `TRIM(COALESCE(camera_make, '') || ' ' || COALESCE(camera_model, ''))`;

/**
 * Read-only queries for browsing the library: the grid's keyset pages, filter restrictions and facet values.
 * Filters become one WHERE clause with bound parameters (never interpolated values).
 */
export class PhotoBrowser {
  constructor(private readonly db: Database) {}

  page(options: { after?: BrowseCursor | undefined; limit: number; filters: BrowseFilters }): BrowseRow[] {
    const where = filterClause(options.filters);
    if (options.after) {
      // `key <= cursor` first: a range on the index (a row-value comparison would scan from the top).
      where.sql.push(`${GRID_KEY} <= @afterKey AND (${GRID_KEY} < @afterKey OR id < @afterId)`);
      where.params['afterKey'] = options.after.key;
      where.params['afterId'] = options.after.id;
    }
    return this.db
      .prepare<Record<string, unknown>, BrowseRow>(
        `SELECT id, path, width, height, taken_at AS takenAt, ${GRID_KEY} AS gridKey, ${SORT_MS} AS sortKey FROM photos
         ${whereSql(where.sql)} ORDER BY ${GRID_KEY} DESC, id DESC LIMIT @limit`,
      )
      .all({ ...where.params, limit: options.limit });
  }

  count(filters: BrowseFilters): number {
    const where = filterClause(filters);
    return this.db.prepare<Record<string, unknown>, { n: number }>(`SELECT count(*) AS n FROM photos ${whereSql(where.sql)}`).get(where.params)!.n;
  }

  /** Ids of the photos that pass the filters (every photo when there are none). */
  ids(filters: BrowseFilters): number[] {
    const where = filterClause(filters);
    return this.db.prepare<Record<string, unknown>, { id: number }>(`SELECT id FROM photos ${whereSql(where.sql)}`).all(where.params).map((r) => r.id);
  }

  /** Ids of the photos that pass the filters, or undefined when there are no filters (everything passes). */
  idsMatching(filters: BrowseFilters): Set<number> | undefined {
    return filterClause(filters).sql.length === 0 ? undefined : new Set(this.ids(filters));
  }

  cameras(): string[] {
    return this.db
      .prepare<[], { camera: string }>(`SELECT DISTINCT ${CAMERA} AS camera FROM photos WHERE camera_make IS NOT NULL OR camera_model IS NOT NULL ORDER BY camera`)
      .all()
      .map((r) => r.camera);
  }

  takenRange(): { from: number; to: number } | null {
    const row = this.db
      .prepare<[], { lo: number | null; hi: number | null }>(`SELECT ${msOf(`min(${GRID_KEY})`)} AS lo, ${msOf(`max(${GRID_KEY})`)} AS hi FROM photos`)
      .get();
    return row && row.lo !== null && row.hi !== null ? { from: row.lo, to: row.hi } : null;
  }
}

function filterClause(filters: BrowseFilters): { sql: string[]; params: Record<string, unknown> } {
  const sql: string[] = [];
  const params: Record<string, unknown> = {};
  if (filters.folderIds && filters.folderIds.length > 0) {
    sql.push(`folder_id IN (SELECT value FROM json_each(@folderIds))`);
    params['folderIds'] = JSON.stringify(filters.folderIds);
  }
  if (filters.takenFrom !== undefined) {
    sql.push(`${GRID_KEY} >= @takenFrom`);
    params['takenFrom'] = filters.takenFrom;
  }
  if (filters.takenTo !== undefined) {
    sql.push(`${GRID_KEY} <= @takenTo`);
    params['takenTo'] = filters.takenTo.length === 10 ? `${filters.takenTo}T99` : filters.takenTo;
  }
  if (filters.cameras && filters.cameras.length > 0) {
    sql.push(`${CAMERA} IN (SELECT value FROM json_each(@cameras))`);
    params['cameras'] = JSON.stringify(filters.cameras);
  }
  if (filters.photoIds) {
    sql.push(`id IN (SELECT value FROM json_each(@photoIds))`);
    params['photoIds'] = JSON.stringify(filters.photoIds);
  }
  if (filters.excludeIds && filters.excludeIds.length > 0) {
    sql.push(`id NOT IN (SELECT value FROM json_each(@excludeIds))`);
    params['excludeIds'] = JSON.stringify(filters.excludeIds);
  }
  marksClause(filters, sql, params);
  return { sql, params };
}

/** The culling and album filters (see BrowseFilters), appended to the clause being built. */
function marksClause(filters: BrowseFilters, sql: string[], params: Record<string, unknown>): void {
  if (filters.minRating !== undefined && filters.minRating > 0) {
    sql.push('rating >= @minRating');
    params['minRating'] = filters.minRating;
  }
  if (filters.flag !== undefined) {
    sql.push(filters.flag === 'none' ? 'flag IS NULL' : 'flag = @flag');
    if (filters.flag !== 'none') params['flag'] = filters.flag;
  }
  if (filters.label !== undefined) {
    sql.push(filters.label === 'none' ? 'label IS NULL' : 'label = @label');
    if (filters.label !== 'none') params['label'] = filters.label;
  }
  if (filters.albumId !== undefined) {
    sql.push('id IN (SELECT photo_id FROM album_photos WHERE album_id = @albumId)');
    params['albumId'] = filters.albumId;
  }
}

/** An instant in ms as GRID_KEY text (UTC, the reading the key gives file times). */
export function gridKeyOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

function whereSql(parts: string[]): string {
  return parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '';
}

import type { Database } from 'better-sqlite3';

/** Restrictions the grid, the search and the similar-photo view share. All optional; they combine with AND. */
export interface BrowseFilters {
  folderIds?: number[] | undefined;
  takenFrom?: number | undefined;
  takenTo?: number | undefined;
  cameras?: string[] | undefined;
  /** Only these photos (a tag filter, resolved to ids by the tagging layer). */
  photoIds?: number[] | undefined;
  /** Never these photos (those of hidden tag groups). */
  excludeIds?: number[] | undefined;
}

export interface BrowseRow {
  id: number;
  path: string;
  width: number;
  height: number;
  takenAt: string | null;
  sortKey: number;
}

/** Grid order: capture time in ms, else the file's modification time, so photos without EXIF still sort. */
const SORT_KEY = `COALESCE(CAST(strftime('%s', taken_at) AS INTEGER) * 1000, mtime_ms)`;
/** How a camera is named in filters and facets: make and model, as the EXIF gives them. */
const CAMERA = `TRIM(COALESCE(camera_make, '') || ' ' || COALESCE(camera_model, ''))`;

/**
 * Read-only queries for browsing the library: the grid's keyset pages, filter restrictions and facet values.
 * Filters become one WHERE clause with bound parameters (never interpolated values).
 */
export class PhotoBrowser {
  constructor(private readonly db: Database) {}

  page(options: { after?: { sortKey: number; id: number } | undefined; limit: number; filters: BrowseFilters }): BrowseRow[] {
    const where = filterClause(options.filters);
    if (options.after) {
      where.sql.push(`(${SORT_KEY} < @afterKey OR (${SORT_KEY} = @afterKey AND id < @afterId))`);
      where.params['afterKey'] = options.after.sortKey;
      where.params['afterId'] = options.after.id;
    }
    return this.db
      .prepare<Record<string, unknown>, BrowseRow>(
        `SELECT id, path, width, height, taken_at AS takenAt, ${SORT_KEY} AS sortKey FROM photos
         ${whereSql(where.sql)} ORDER BY sortKey DESC, id DESC LIMIT @limit`,
      )
      .all({ ...where.params, limit: options.limit });
  }

  count(filters: BrowseFilters): number {
    const where = filterClause(filters);
    return this.db.prepare<Record<string, unknown>, { n: number }>(`SELECT count(*) AS n FROM photos ${whereSql(where.sql)}`).get(where.params)!.n;
  }

  /** Ids of the photos that pass the filters, or undefined when there are no filters (everything passes). */
  idsMatching(filters: BrowseFilters): Set<number> | undefined {
    const where = filterClause(filters);
    if (where.sql.length === 0) return undefined;
    const rows = this.db.prepare<Record<string, unknown>, { id: number }>(`SELECT id FROM photos ${whereSql(where.sql)}`).all(where.params);
    return new Set(rows.map((r) => r.id));
  }

  cameras(): string[] {
    return this.db
      .prepare<[], { camera: string }>(`SELECT DISTINCT ${CAMERA} AS camera FROM photos WHERE camera_make IS NOT NULL OR camera_model IS NOT NULL ORDER BY camera`)
      .all()
      .map((r) => r.camera);
  }

  takenRange(): { from: number; to: number } | null {
    const row = this.db
      .prepare<[], { lo: number | null; hi: number | null }>(`SELECT min(${SORT_KEY}) AS lo, max(${SORT_KEY}) AS hi FROM photos`)
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
    sql.push(`${SORT_KEY} >= @takenFrom`);
    params['takenFrom'] = filters.takenFrom;
  }
  if (filters.takenTo !== undefined) {
    sql.push(`${SORT_KEY} <= @takenTo`);
    params['takenTo'] = filters.takenTo;
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
  return { sql, params };
}

function whereSql(parts: string[]): string {
  return parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '';
}

import path from 'node:path';
import type { Core } from '../core.js';
import type { LibraryFilters } from '../library/filter-scope.js';
import { UserError } from '../util/errors.js';
import type { CliOptions } from './options.js';

/**
 * `--tag NAME --folder DIR --from DATE --to DATE --camera NAME --min-rating N` as the filters the grid, search
 * and smart albums share (app/library/filter-scope.ts). Dates are `YYYY-MM-DD` (UTC, `--to` includes its day)
 * or any date-time Date.parse reads; a folder is one of the library's folders (`index` added it).
 */
export function filtersOf(opts: CliOptions, core: Core): LibraryFilters {
  const { folders, from, to, cameras, minRating } = opts.filterArgs;
  const filters: LibraryFilters = {};
  if (opts.tag) filters.tags = [opts.tag];
  if (folders.length > 0) {
    const known = core.catalog.folders.list();
    filters.folderIds = folders.map((f) => {
      const folder = known.find((k) => k.path === path.resolve(f));
      if (!folder) throw new UserError(`--folder ${f}: not a folder of the library (${known.map((k) => k.path).join(', ') || 'none yet: index one'})`);
      return folder.id;
    });
  }
  if (from !== undefined) filters.takenFrom = dateOf('--from', from, false);
  if (to !== undefined) filters.takenTo = dateOf('--to', to, true);
  if (cameras.length > 0) filters.cameras = cameras;
  if (minRating !== undefined) {
    const n = Number(minRating);
    if (!Number.isInteger(n) || n < 0 || n > 5) throw new UserError(`--min-rating takes 0-5, not "${minRating}"`);
    filters.minRating = n;
  }
  return filters;
}

function dateOf(option: string, value: string, endOfDay: boolean): number {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const ms = Date.parse(day ? `${value}T${endOfDay ? '23:59:59' : '00:00:00'}Z` : value);
  if (!Number.isFinite(ms)) throw new UserError(`${option} takes a date (YYYY-MM-DD), not "${value}"`);
  return ms;
}

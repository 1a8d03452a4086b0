import type { Database } from 'better-sqlite3';
import { MIGRATIONS } from './migrations/index.js';
import type { Migration } from './migrations/migration.js';

export class CatalogTooNewError extends Error {
  override name = 'CatalogTooNewError';
}

/**
 * Brings the schema to the newest version. Each step runs in its own transaction, so a crash leaves the
 * catalog at the last complete version. A catalog written by a newer Shoebox is refused, not downgraded.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (from > latest) throw new CatalogTooNewError(`catalog schema version ${from} is newer than this Shoebox understands (${latest})`);
  for (const m of migrations) {
    if (m.version <= from) continue;
    db.transaction(() => {
      db.exec(m.up);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return { from, to: Math.max(from, latest) };
}

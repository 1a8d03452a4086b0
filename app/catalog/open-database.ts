import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { UserError } from '../util/errors.js';
import { migrate } from './migrate.js';
import { unpackedPath } from '../util/app-root.js';

/**
 * [Note: 16 KB pages]
 * Most of a catalog is 2 KB float vectors. With SQLite's default 4 KB pages a plain-table row holding one
 * (2 048 bytes + cell overhead) fills a page by itself, and reading a vector out of a vec0 chunk walks that
 * 2 MB blob's chain of 512 overflow pages. 16 KB pages hold 7 such rows and shorten the chains 4×.
 */
const PAGE_SIZE = 16_384;

/**
 * Opens (creating if needed) the catalog file: WAL so readers never wait on the indexer, NORMAL sync
 * (durable at each checkpoint, safe against application crashes), foreign keys on, sqlite-vec loaded.
 */
export function openDatabase(file: string): Database.Database {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(file);
    // Takes effect only while the file is still empty (a new catalog; older ones keep 4 KB pages): see
    // [Note: 16 KB pages].
    db.pragma(`page_size = ${PAGE_SIZE}`);
    db.pragma('journal_mode = WAL');
  } catch (err) {
    throw new UserError(`cannot open catalog ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Memory-mapped reads: a vec0 point lookup (re-scoring search candidates) reads a slice of a 2 MB chunk
  // blob through its overflow pages; through mmap that is ~25 µs instead of ~300 µs of read() calls
  // (measured at 100 000 photos). Address space only: the OS pages it in and out as it likes.
  db.pragma('mmap_size = 8589934592');
  db.loadExtension(unpackedPath(sqliteVec.getLoadablePath()));
  migrate(db);
  return db;
}

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../app/catalog/catalog.js';
import { migrate } from '../../app/catalog/migrate.js';
import { MIGRATIONS } from '../../app/catalog/migrations/index.js';
import { tempDir } from '../helpers/cli.js';
import { EMPTY_METADATA } from '../../app/image/metadata.js';

const dir = tempDir('catalog');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('catalog migrations', () => {
  it('creates the schema in WAL mode and is idempotent on reopen', () => {
    const first = Catalog.open(dir);
    expect(first.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(first.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    first.close();
    const again = Catalog.open(dir);
    expect(migrate(again.db)).toEqual({ from: MIGRATIONS.at(-1)!.version, to: MIGRATIONS.at(-1)!.version });
    again.close();
  });

  it('refuses a catalog written by a newer version instead of touching it', () => {
    const file = path.join(dir, 'catalog.sqlite');
    const db = new Database(file);
    db.pragma('user_version = 999');
    db.close();
    expect(() => Catalog.open(dir)).toThrow(/newer than this Shoebox/);
  });

  it('applies a failing migration not at all', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, [...MIGRATIONS, { version: MIGRATIONS.at(-1)!.version + 1, name: 'broken', up: 'CREATE TABLE half (x); SELECT nope FROM missing;' }])).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'").get()).toEqual({ n: 0 });
  });
});

describe('catalog writes', () => {
  it('keeps a photo and its vector together: a failed transaction leaves neither', () => {
    const catalog = Catalog.open(tempDir('tx'));
    const model = catalog.models.ensure('m#1', 'm', 4);
    const vectors = catalog.embeddings(model);
    const photo = { path: '/p/a.jpg', folderId: null, size: 1, mtimeMs: 1, contentHash: 'h', format: 'jpeg', width: 1, height: 1, ...EMPTY_METADATA, dhash: null, dhashStableBits: null, sharpness: null };
    expect(() =>
      catalog.transaction(() => {
        const id = catalog.photos.upsert(photo);
        vectors.put(id, new Float32Array(3)); // wrong size: throws after the photo row was written
      }),
    ).toThrow(/3 values/);
    expect(catalog.photos.count()).toBe(0);
    expect(vectors.count()).toBe(0);
    catalog.close();
  });
});

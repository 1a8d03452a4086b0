import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../app/catalog/migrate.js';
import { MIGRATIONS } from '../../app/catalog/migrations/index.js';

describe('migration 12: smart albums', () => {
  it('upgrades a catalog with a hand album in place: it stays a hand album with its photos; decisions follow the photo', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.filter((m) => m.version < 12));
    for (const p of ['a', 'b']) {
      db.prepare(
        `INSERT INTO photos (path, size, mtime_ms, content_hash, format, width, height, added_at, updated_at) VALUES ('/p/${p}.jpg', 1, 1, '${p}', 'jpeg', 1, 1, 1, 1)`,
      ).run();
    }
    db.prepare("INSERT INTO albums (name, created_at, updated_at) VALUES ('Trip', 1, 1)").run();
    db.prepare('INSERT INTO album_photos (album_id, photo_id, added_at) VALUES (1, 1, 1)').run();
    expect(migrate(db).to).toBe(12);

    expect(db.prepare('SELECT smart_query AS q, smart_filters AS f FROM albums').get()).toEqual({ q: null, f: null });
    expect(db.prepare('SELECT photo_id AS id, relevance FROM album_photos').all()).toEqual([{ id: 1, relevance: null }]);
    db.prepare("INSERT INTO albums (name, smart_query, smart_filters, created_at, updated_at) VALUES ('Nights', 'the night sky', '{}', 1, 1)").run();
    db.prepare("INSERT INTO album_decisions (album_id, photo_id, decision, decided_at) VALUES (2, 1, 'pin', 1), (2, 2, 'keep-out', 1)").run();
    expect(() => db.prepare("INSERT INTO album_decisions (album_id, photo_id, decision, decided_at) VALUES (1, 1, 'maybe', 1)").run()).toThrow(/CHECK constraint/);
    // A photo that leaves the library takes its decisions with it; so does a deleted album.
    db.prepare('DELETE FROM photos WHERE id = 2').run();
    expect(db.prepare('SELECT photo_id AS id FROM album_decisions').all()).toEqual([{ id: 1 }]);
    db.prepare('DELETE FROM albums WHERE id = 2').run();
    expect(db.prepare('SELECT count(*) AS n FROM album_decisions').get()).toEqual({ n: 0 });
  });
});

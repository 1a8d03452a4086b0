import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../app/catalog/migrate.js';
import { MIGRATIONS } from '../../app/catalog/migrations/index.js';

describe('migrations 10 and 11: albums and culling marks', () => {
  it('upgrades a catalog with photos in place: no album yet, ratings kept, no flags or labels', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.filter((m) => m.version < 10));
    db.prepare(
      "INSERT INTO photos (path, size, mtime_ms, content_hash, format, width, height, rating, added_at, updated_at) VALUES ('/p/a.jpg', 1, 1, 'h', 'jpeg', 1, 1, 4, 1, 1)",
    ).run();
    expect(migrate(db).to).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.prepare('SELECT rating, flag, label, marks_by_user AS byUser FROM photos').get()).toEqual({ rating: 4, flag: null, label: null, byUser: 0 });
    expect(() => db.prepare("UPDATE photos SET flag = 'maybe'").run()).toThrow(/CHECK constraint/);
    expect(() => db.prepare("UPDATE photos SET label = 'orange'").run()).toThrow(/CHECK constraint/);

    db.prepare("INSERT INTO albums (name, created_at, updated_at) VALUES ('Trip', 1, 1)").run();
    expect(() => db.prepare("INSERT INTO albums (name, created_at, updated_at) VALUES ('TRIP', 1, 1)").run()).toThrow(/UNIQUE/);
    db.prepare('INSERT INTO album_photos (album_id, photo_id, added_at) VALUES (1, 1, 1)').run();
    // A photo that leaves the library leaves its albums; deleting an album keeps its photos.
    db.prepare('DELETE FROM photos').run();
    expect(db.prepare('SELECT count(*) AS n FROM album_photos').get()).toEqual({ n: 0 });
  });
});

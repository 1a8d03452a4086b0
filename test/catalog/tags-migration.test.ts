import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../app/catalog/migrate.js';
import { MIGRATIONS } from '../../app/catalog/migrations/index.js';
import { TagStore } from '../../app/catalog/tags.js';

describe('migration 4 (tags)', () => {
  it('adds the tag tables to a version-3 catalog, keeping its photos, and enforces states and cascades', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.filter((m) => m.version <= 3));
    db.prepare(`INSERT INTO photos (id, path, size, mtime_ms, content_hash, format, width, height, added_at, updated_at) VALUES (1, '/p/a.jpg', 1, 1, 'h', 'jpeg', 1, 1, 0, 0)`).run();
    expect(migrate(db, MIGRATIONS.filter((m) => m.version <= 4))).toEqual({ from: 3, to: 4 });
    expect(db.prepare('SELECT path FROM photos').all()).toEqual([{ path: '/p/a.jpg' }]);

    const tags = new TagStore(db);
    const beach = tags.ensure('Nature > Beach', 'Beach', ['a beach']);
    expect(tags.ensure('nature > beach', 'beach', null)).toBe(beach); // keys are case-insensitive; prompts kept
    expect(tags.byKey('NATURE > BEACH')?.prompts).toEqual(['a beach']);
    tags.replaceSuggestions([{ photoId: 1, tagId: beach, score: 0.7 }]);
    tags.decide(1, beach, 'rejected', 'user');
    tags.replaceSuggestions([{ photoId: 1, tagId: beach, score: 0.9 }]);
    expect(tags.ofPhoto(1)).toEqual([{ tagId: beach, key: 'Nature > Beach', name: 'Beach', score: 0.9, source: 'auto', state: 'rejected' }]);
    expect(() => db.prepare(`UPDATE photo_tags SET state = 'maybe'`).run()).toThrow(/CHECK/);

    db.prepare('DELETE FROM photos WHERE id = 1').run();
    expect(tags.ofPhoto(1)).toEqual([]);
    expect(tags.withDescendants('Nature').map((t) => t.key)).toEqual(['Nature > Beach']);
  });
});

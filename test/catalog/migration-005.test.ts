import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../app/catalog/migrate.js';
import { MIGRATIONS } from '../../app/catalog/migrations/index.js';
import { IndexJobStore } from '../../app/catalog/index-jobs.js';

describe('migration 5: live library', () => {
  it('upgrades a version-3 catalog in place, keeping its photos and folders', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.filter((m) => m.version <= 3));
    db.prepare("INSERT INTO folders (path, added_at) VALUES ('/photos', 1)").run();
    db.prepare(
      "INSERT INTO photos (path, folder_id, size, mtime_ms, content_hash, format, width, height, added_at, updated_at) VALUES ('/photos/a.jpg', 1, 1, 1, 'h', 'jpeg', 1, 1, 1, 1)",
    ).run();
    expect(migrate(db, MIGRATIONS.filter((m) => m.version <= 5))).toEqual({ from: 3, to: 5 });
    expect(db.prepare('SELECT path, thumbhash FROM photos').all()).toEqual([{ path: '/photos/a.jpg', thumbhash: null }]);
    expect(db.prepare('SELECT path, offline_since FROM folders').all()).toEqual([{ path: '/photos', offline_since: null }]);

    const jobs = new IndexJobStore(db);
    jobs.enqueue('/photos/b.jpg', 1, 10, 20, 100);
    jobs.start('/photos/b.jpg', 101);
    expect(jobs.due(1, 200)).toMatchObject([{ path: '/photos/b.jpg', state: 'processing', attempts: 1 }]);
    jobs.retryLater('/photos/b.jpg', 'busy', 500, 102);
    expect(jobs.due(1, 200)).toEqual([]);
    expect(jobs.due(1, 500)).toMatchObject([{ state: 'pending', reason: 'busy' }]);
    // Found again unchanged while waiting: keeps its attempts and its backoff; changed: starts over.
    jobs.enqueue('/photos/b.jpg', 1, 10, 20, 103);
    expect(jobs.get('/photos/b.jpg')).toMatchObject({ attempts: 1, nextAttemptAt: 500 });
    jobs.enqueue('/photos/b.jpg', 1, 11, 21, 104);
    expect(jobs.get('/photos/b.jpg')).toMatchObject({ attempts: 0, nextAttemptAt: 0 });
    expect(() => db.prepare("UPDATE index_jobs SET state = 'lost'").run()).toThrow(/CHECK constraint/);
    // Forgetting the folder takes its jobs with it.
    db.pragma('foreign_keys = ON');
    db.prepare('DELETE FROM photos').run();
    db.prepare('DELETE FROM folders').run();
    expect(jobs.counts()).toEqual({ pending: 0, processing: 0, done: 0, failed: 0 });
  });
});

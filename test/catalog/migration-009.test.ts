import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../app/catalog/migrate.js';
import { MIGRATIONS } from '../../app/catalog/migrations/index.js';
import { SignatureStore } from '../../app/catalog/signatures.js';
import { Core } from '../../app/core.js';
import { SIGNATURE_BYTES, SIGNATURE_VERSION } from '../../app/image/picture-signature.js';
import { tempDir } from '../helpers/cli.js';
import { TEST_PHOTOS_DIR, TINY_CLIP } from '../helpers/fixtures.js';

/**
 * Migration 009 adds picture signatures ([Note: picture signature]) without re-analysing a library: photos
 * indexed before it, or with a signature of an older layout (SIGNATURE_VERSION), get theirs from their grid
 * thumbnail the first time a duplicate scan verifies one of their pairs, and keep it.
 */
describe('migration 9: picture signatures', () => {
  const dirs = { photos: tempDir('m009-photos'), library: tempDir('m009-lib') };
  afterAll(() => {
    for (const dir of Object.values(dirs)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('upgrades a catalog with photos in place: an empty signature table, every photo listed as missing one', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.filter((m) => m.version < 9));
    db.prepare("INSERT INTO photos (path, size, mtime_ms, content_hash, format, width, height, added_at, updated_at) VALUES ('/p/a.jpg', 1, 1, 'xxh128:ab', 'jpeg', 4, 3, 1, 1)").run();
    expect(migrate(db).to).toBe(MIGRATIONS.at(-1)!.version);
    const store = new SignatureStore(db);
    expect(store.missing()).toEqual([{ id: 1, contentHash: 'xxh128:ab' }]);
    // A row of another version counts as missing too, and is replaced, not duplicated.
    db.prepare('INSERT INTO photo_signatures (photo_id, version, signature) VALUES (1, ?, ?)').run(SIGNATURE_VERSION - 1, Buffer.alloc(8));
    expect(store.get(1)).toBeUndefined();
    expect(store.missing()).toHaveLength(1);
    store.put(1, Buffer.alloc(SIGNATURE_BYTES, 7));
    expect(store.get(1)?.byteLength).toBe(SIGNATURE_BYTES);
    expect(store.missing()).toEqual([]);
    expect(db.prepare('SELECT count(*) AS n FROM photo_signatures').get()).toEqual({ n: 1 });
    // A photo that leaves the library leaves its signature.
    db.prepare('DELETE FROM photos').run();
    expect(db.prepare('SELECT count(*) AS n FROM photo_signatures').get()).toEqual({ n: 0 });
  });

  it.skipIf(!fs.existsSync(TEST_PHOTOS_DIR))('old rows without a signature (or with an older one) get one lazily at the next scan, which still finds the copy', async () => {
    const photo = fs.readdirSync(TEST_PHOTOS_DIR).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort()[0]!;
    const original = await sharp(path.join(TEST_PHOTOS_DIR, photo)).resize({ width: 1200 }).jpeg({ quality: 92 }).toBuffer();
    fs.writeFileSync(path.join(dirs.photos, 'original.jpg'), original);
    fs.writeFileSync(path.join(dirs.photos, 'half.jpg'), await sharp(original).resize({ width: 600 }).jpeg({ quality: 80 }).toBuffer());
    const first = Core.open({ libraryDir: dirs.library, modelDir: TINY_CLIP });
    try {
      expect((await first.index([dirs.photos])).failed).toEqual([]);
    } finally {
      await first.close();
    }
    // What a catalog indexed before migration 009 looks like: no signature for one photo, an older layout's for the other.
    const db = new Database(path.join(dirs.library, 'catalog.sqlite'));
    const ids = db.prepare('SELECT id FROM photos ORDER BY path').all().map((r) => (r as { id: number }).id);
    db.prepare('DELETE FROM photo_signatures WHERE photo_id = ?').run(ids[0]);
    db.prepare('UPDATE photo_signatures SET version = ?, signature = ? WHERE photo_id = ?').run(SIGNATURE_VERSION - 1, Buffer.alloc(1216), ids[1]);
    db.close();

    const core = Core.open({ libraryDir: dirs.library, modelDir: TINY_CLIP });
    try {
      const groups = await core.duplicates();
      const near = groups.filter((g) => g.kind === 'near');
      expect(near.map((g) => g.photos.map((p) => path.basename(p.path)).sort())).toEqual([['half.jpg', 'original.jpg']]);
    } finally {
      await core.close();
    }
    // Both signatures were stored, at the current version and layout: the next scan reads them.
    const after = new Database(path.join(dirs.library, 'catalog.sqlite'), { readonly: true });
    const rows = after.prepare('SELECT version, length(signature) AS bytes FROM photo_signatures ORDER BY photo_id').all();
    after.close();
    expect(rows).toEqual([
      { version: SIGNATURE_VERSION, bytes: SIGNATURE_BYTES },
      { version: SIGNATURE_VERSION, bytes: SIGNATURE_BYTES },
    ]);
  }, 120_000);
});

import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../app/catalog/catalog.js';
import { EMPTY_METADATA } from '../../app/image/metadata.js';
import { tempDir } from '../helpers/cli.js';

const dir = tempDir('grid');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('library grid pages (migration 007)', () => {
  const catalog = Catalog.open(dir);
  const folder = catalog.folders.ensure('/lib');
  const add = (name: string, takenAt: string | null, mtime: string) =>
    catalog.photos.upsert({ path: `/lib/${name}`, folderId: folder, size: 1, mtimeMs: Date.parse(`${mtime}Z`), contentHash: name, format: 'jpeg',
      width: 4, height: 3, ...EMPTY_METADATA, takenAt, dhash: null, dhashStableBits: null, sharpness: null });
  // Capture time wins over file time; a photo without one sorts by its file time; equal keys by id, newest id first.
  add('a.jpg', '2020-01-01T10:00:00', '2024-01-01T00:00:00');
  add('b.jpg', null, '2021-06-01T00:00:00');
  add('c.jpg', '2022-03-03T03:03:03', '2019-01-01T00:00:00');
  add('d.jpg', '2020-01-01T10:00:00', '2018-01-01T00:00:00');
  add('e.jpg', null, '2019-12-31T23:59:59');
  const expected = ['c.jpg', 'b.jpg', 'd.jpg', 'a.jpg', 'e.jpg'].map((n) => `/lib/${n}`);

  it('orders newest first by capture time with the file time as fallback, ties by id', () => {
    const page = catalog.browse.page({ limit: 10, filters: {} });
    expect(page.map((p) => p.path)).toEqual(expected);
    expect(page[0]).toMatchObject({ width: 4, height: 3, takenAt: '2022-03-03T03:03:03', gridKey: '2022-03-03T03:03:03', sortKey: Date.parse('2022-03-03T03:03:03Z') });
  });

  it('walks the same order page by page, each photo once, through the cursor', () => {
    const seen: string[] = [];
    let after: { key: string; id: number } | undefined;
    let pages = 0;
    do {
      const page = catalog.browse.page({ after, limit: 2, filters: {} });
      seen.push(...page.map((p) => p.path));
      const last = page.at(-1);
      after = page.length === 2 && last ? { key: last.gridKey, id: last.id } : undefined;
      pages++;
    } while (after);
    expect(seen).toEqual(expected);
    expect(pages).toBe(3);
  });

  it('reads pages through the index, not by sorting the table', () => {
    const plan = (sql: string) => (catalog.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('; ');
    const key = `coalesce(taken_at, strftime('%Y-%m-%dT%H:%M:%S', mtime_ms / 1000, 'unixepoch'))`;
    expect(plan(`SELECT id FROM photos WHERE ${key} <= 'x' ORDER BY ${key} DESC, id DESC LIMIT 5`)).toMatch(/SEARCH photos USING (COVERING )?INDEX photos_grid_order/);
    expect(plan(`SELECT id FROM photos WHERE ${key} <= 'x' ORDER BY ${key} DESC, id DESC LIMIT 5`)).not.toMatch(/TEMP B-TREE/);
  });
});

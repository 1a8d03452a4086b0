/**
 * Child of the grid benchmark: a fresh process opens the catalog and reads the grid's first page, as the
 * app does at start-up. Prints its timings as one JSON line.
 */
import { Catalog } from '../../app/catalog/catalog.js';

const t0 = performance.now();
const catalog = Catalog.open(process.argv[2]!);
const t1 = performance.now();
// The grid's query (PhotoBrowser.page, what the photos.page API call runs), continued by its cursor.
const read = (after?: { key: string; id: number }) => {
  const rows = catalog.browse.page({ after, limit: 200, filters: {} });
  const last = rows.at(-1);
  return { photos: rows, next: rows.length === 200 && last ? { key: last.gridKey, id: last.id } : undefined };
};
const page = read();
const t2 = performance.now();
let after = page.next;
for (let i = 0; i < 99 && after; i++) after = read(after).next;
const t3 = performance.now();
const deep = after ? read(after) : page;
const t4 = performance.now();
catalog.close();
console.log(JSON.stringify({ openMs: t1 - t0, firstPageMs: t2 - t1, photos: page.photos.length, pages2to100Ms: t3 - t2, page101Ms: t4 - t3, deepPhotos: deep.photos.length }));

/**
 * Child of the grid benchmark: a fresh process opens the catalog and reads the grid's first page, as the
 * app does at start-up. Prints its timings as one JSON line.
 */
import { Catalog } from '../../app/catalog/catalog.js';

const t0 = performance.now();
const catalog = Catalog.open(process.argv[2]!);
const t1 = performance.now();
const page = catalog.photos.page({ limit: 200 });
const t2 = performance.now();
let after = page.next;
for (let i = 0; i < 99 && after; i++) after = catalog.photos.page({ after, limit: 200 }).next;
const t3 = performance.now();
const deep = after ? catalog.photos.page({ after, limit: 200 }) : page;
const t4 = performance.now();
catalog.close();
console.log(JSON.stringify({ openMs: t1 - t0, firstPageMs: t2 - t1, photos: page.photos.length, pages2to100Ms: t3 - t2, page101Ms: t4 - t3, deepPhotos: deep.photos.length }));

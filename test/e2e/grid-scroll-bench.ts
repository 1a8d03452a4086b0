/**
 * Grid scrolling over 100 000 photos in the real renderer (not part of `npm test`):
 *   node --import tsx test/e2e/grid-scroll-bench.ts [photoCount]
 * Fills a temp library's catalog with synthetic photo rows (their files do not exist: thumbnails stay placeholder
 * boxes, which is what a fast scroll shows anyway), serves it, and in Chromium measures: first grid paint, frame
 * times during a fast continuous scroll, the thumbnails in the DOM, and the time from a jump to the very end
 * until the oldest photo is on screen (every keyset page in between is fetched).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Core } from '../../app/core.js';
import { tempDir } from '../helpers/cli.js';
import { launchBrowser } from './browser.js';
import { buildRenderer, startServe } from './serve-process.js';

const COUNT = Number(process.argv[2] ?? 100_000);

function fillLibrary(libraryDir: string): void {
  const core = Core.open({ libraryDir });
  // A folder that does not exist: offline, so its photos stay, and nothing is indexed (no model either).
  const folderId = core.catalog.folders.ensure(path.join(libraryDir, 'offline-drive'));
  const start = Date.UTC(2024, 11, 31, 18, 0);
  core.catalog.transaction(() => {
    for (let i = 0; i < COUNT; i++) {
      const name = `photo-${String(i).padStart(6, '0')}.jpg`;
      // Eight photos a day, newest first by index.
      const taken = new Date(start - i * 3 * 3600_000).toISOString().slice(0, 19);
      core.catalog.photos.upsert({
        path: path.join(libraryDir, 'offline-drive', name), folderId, size: 2_000_000, mtimeMs: start, contentHash: `h${i}`, format: 'jpeg',
        width: 4000, height: 3000, dhash: null, dhashStableBits: null, sharpness: null, takenAt: taken, cameraMake: null, cameraModel: null, lens: null,
        focalLength: null, aperture: null, exposureTime: null, iso: null, gpsLatitude: null, gpsLongitude: null, orientation: null, rating: null,
      });
    }
  });
  void core.close();
}

const library = tempDir('bench-grid-lib');
const build = tempDir('bench-grid-build');
let t = performance.now();
fillLibrary(library);
console.log(`catalog filled with ${COUNT} photos in ${((performance.now() - t) / 1000).toFixed(1)} s`);
const serve = await startServe({ library, renderer: buildRenderer(build) });
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  t = performance.now();
  await page.goto(serve.url);
  await page.locator('[data-testid="library-grid"] [data-photo-id]').first().waitFor();
  console.log(`first grid paint: ${Math.round(performance.now() - t)} ms after navigation`);

  const scroll = (await page.evaluate(`new Promise((resolve) => {
    const el = document.querySelector('[aria-label="Library"]');
    const frames = [];
    let last = performance.now();
    let maxThumbs = 0;
    const end = last + 5000;
    const step = (now) => {
      frames.push(now - last);
      last = now;
      el.scrollTop += 400;
      maxThumbs = Math.max(maxThumbs, el.querySelectorAll('[data-photo-id]').length);
      if (now < end) requestAnimationFrame(step);
      else resolve({ frames, maxThumbs, scrolled: el.scrollTop });
    };
    requestAnimationFrame(step);
  })`)) as { frames: number[]; maxThumbs: number; scrolled: number };
  const sorted = [...scroll.frames].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(1);
  console.log(
    `fast scroll (400 px/frame, 5 s): ${scroll.frames.length} frames, median ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${pct(1)} ms, ` +
      `frames over 50 ms: ${scroll.frames.filter((f) => f > 50).length}; scrolled ${Math.round(scroll.scrolled)} px; at most ${scroll.maxThumbs} thumbnails in the DOM`,
  );

  t = performance.now();
  const oldest = `photo-${String(COUNT - 1).padStart(6, '0')}.jpg`;
  await page.evaluate(`(() => { const el = document.querySelector('[aria-label="Library"]'); el.scrollTop = el.scrollHeight; })()`);
  const keepAtEnd = setInterval(() => {
    void page.evaluate(`(() => { const el = document.querySelector('[aria-label="Library"]'); el.scrollTop = el.scrollHeight; })()`).catch(() => {});
  }, 2_000);
  await page.locator(`[title="${oldest}"]`).waitFor({ timeout: 300_000 });
  clearInterval(keepAtEnd);
  console.log(`jump to the end: oldest photo on screen after ${((performance.now() - t) / 1000).toFixed(1)} s`);
} finally {
  await browser.close();
  await serve.stop();
  for (const dir of [library, build]) fs.rmSync(dir, { recursive: true, force: true });
}

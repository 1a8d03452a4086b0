import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';
import { launchBrowser, screenshot } from './browser.js';
import { addMirroredCopy, addResizedCopy, makePhotoFolders, type PhotoFolders } from './library-fixture.js';
import { buildRenderer, startServe, type ServeProcess } from './serve-process.js';

/**
 * The renderer in a real browser against the real `serve` CLI, the tiny-clip model and real image files:
 * first run, adding folders, indexing to the end, search, viewer, similar, filters, the other screens, themes.
 * The steps share one browser page and run in order, like a person using the app.
 */
describe('the app in a browser (serve mode)', () => {
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  let photos: PhotoFolders;
  let resized: { original: string; copy: string };
  let mirrored: { original: string; copy: string };
  /** The photo the viewer step tagged "Holiday". */
  let taggedPhoto = '';
  // `home` stands in for the user's home: the Freedesktop trash of resolved duplicates lands in home/Trash.
  const dirs = { build: tempDir('e2e-build'), photos: tempDir('e2e-photos'), library: tempDir('e2e-lib'), home: tempDir('e2e-home') };
  const labels = JSON.parse(fs.readFileSync(path.join(SAMPLES_DIR, 'labels.json'), 'utf8')) as { images: { file: string; scene: string | null }[] };
  const sceneOf = new Map(labels.images.map((i) => [i.file, i.scene]));

  const thumbs = (scope: string) => page.locator(`[data-testid="${scope}"] [data-photo-id]`);
  const thumbNames = async (scope: string) => thumbs(scope).evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''));
  /** Every photo in the virtualized library grid: scrolls it through, collecting the names that pass. */
  const allGridNames = async () => {
    const region = page.getByTestId('library-grid').getByRole('region', { name: 'Library' });
    await region.evaluate((el) => el.scrollTo(0, 0));
    const seen = new Set<string>();
    for (let step = 0; step < 40; step++) {
      for (const n of await thumbNames('library-grid')) seen.add(n);
      const atEnd = await region.evaluate((el) => {
        el.scrollBy(0, 400);
        return el.scrollTop + el.clientHeight >= el.scrollHeight - 1;
      });
      await page.waitForTimeout(50);
      if (atEnd) break;
    }
    for (const n of await thumbNames('library-grid')) seen.add(n);
    await region.evaluate((el) => el.scrollTo(0, 0));
    return [...seen];
  };
  const nav = (name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name });

  beforeAll(async () => {
    const renderer = buildRenderer(dirs.build);
    photos = makePhotoFolders(dirs.photos);
    resized = await addResizedCopy(photos);
    mirrored = await addMirroredCopy(photos);
    serve = await startServe({ library: dirs.library, model: TINY_CLIP, renderer, env: { XDG_DATA_HOME: dirs.home, HOME: dirs.home } });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (err) => console.error('page error:', err.message));
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    for (const dir of Object.values(dirs)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('first run: an inviting empty library with the add-folder action', async () => {
    await page.goto(serve.url);
    // The token was traded for a cookie and dropped from the address bar.
    expect(page.url()).toBe(`${serve.origin}/`);
    await expect.poll(() => page.getByTestId('empty-library').isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('heading', { name: 'Welcome to Shoebox' }).isVisible()).toBe(true);
    await screenshot(page, '01-first-run');
  });

  it('adds a folder from the empty state and indexes it', async () => {
    await page.getByLabel('Folder path').fill(photos.spring);
    await page.getByRole('button', { name: 'Add folder' }).click();
    await expect.poll(() => page.getByTestId('photo-count').textContent(), { timeout: 60_000 }).toBe(`${photos.springFiles.size} photos`);
    await expect.poll(() => thumbs('library-grid').count()).toBeGreaterThan(0);
  });

  it('adds a second folder on the folders screen; progress runs to the end; failures are listed', async () => {
    await nav('Folders').click();
    await page.getByLabel('Folder path').fill(photos.summer);
    await page.getByRole('button', { name: 'Add folder' }).click();
    const rows = page.getByTestId('folder-row');
    await expect.poll(() => rows.count()).toBe(2);
    // Pause the run while it is going: the bar says so and the count stands still until Resume.
    const progress = page.getByTestId('indexing-progress');
    await progress.getByRole('button', { name: 'Pause' }).click({ timeout: 5_000 });
    await expect.poll(() => progress.textContent()).toMatch(/^Paused/);
    await expect.poll(() => page.getByRole('progressbar', { name: 'Indexing', exact: true }).isVisible()).toBe(true);
    await screenshot(page, '02-folders-paused');
    const pausedAt = await page.getByTestId('photo-count').textContent();
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await page.getByTestId('photo-count').textContent()).toBe(pausedAt);
    await progress.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => page.getByTestId('photo-count').textContent(), { timeout: 60_000 }).toBe(`${photos.photoCount} photos`);
    // Finished: the progress bar is gone and both folders show their counts.
    await expect.poll(() => page.getByTestId('indexing-progress').count()).toBe(0);
    const summerRow = rows.filter({ hasText: photos.summer });
    await expect.poll(() => summerRow.getByTestId('folder-count').textContent()).toBe(`${photos.summerFiles.size} photos`);
    await expect.poll(() => summerRow.textContent()).toContain('1 failed');
    await expect.poll(() => page.getByRole('cell', { name: path.join(photos.summer, 'broken.jpg') }).isVisible()).toBe(true);
    await screenshot(page, '03-folders');
  });

  it('shows the library newest first, grouped by day, rendering only the rows on screen', async () => {
    await nav('Library').click();
    const grid = page.getByTestId('library-grid');
    await expect.poll(() => thumbs('library-grid').count()).toBeGreaterThan(0);
    // Each cell carries its blurred thumbhash placeholder, shown until the thumbnail has loaded.
    const backdrop = await grid.locator('.thumb').first().getAttribute('style');
    expect(backdrop).toMatch(/background-image: url\("data:image\//);
    // Newest first: March 2025 (spring) before June 2024 (summer); the first day header is the newest day.
    const names = await thumbNames('library-grid');
    expect(photos.springFiles.has(names[0]!), names.join(', ')).toBe(true);
    const headers = await grid.locator('h2').allTextContents();
    expect(headers[0]).toMatch(/2025/);
    // Virtualized: far fewer thumbnails in the page than photos in the library…
    expect(names.length).toBeLessThan(photos.photoCount);
    await screenshot(page, '04-library');
    // …and scrolling to the end brings the oldest day in.
    await grid.getByRole('region', { name: 'Library' }).evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect.poll(async () => (await grid.locator('h2').allTextContents()).some((h) => /2024/.test(h))).toBe(true);
    await expect.poll(async () => (await thumbNames('library-grid')).some((n) => photos.summerFiles.has(n))).toBe(true);
  });

  it('groups the grid by folder on request', async () => {
    const grid = page.getByTestId('library-grid');
    await page.getByRole('radio', { name: 'By folder' }).click();
    await expect.poll(async () => (await grid.locator('h2').allTextContents())[0]).toBe(photos.spring);
    await screenshot(page, '04-library-by-folder');
    // Scroll down through the grid, noting every header that passes: the two folders, no days.
    const region = grid.getByRole('region', { name: 'Library' });
    const seen = new Set<string>();
    for (let step = 0; step < 40; step++) {
      for (const h of await grid.locator('h2').allTextContents()) seen.add(h);
      const atEnd = await region.evaluate((el) => {
        el.scrollBy(0, 300);
        return el.scrollTop + el.clientHeight >= el.scrollHeight - 1;
      });
      await page.waitForTimeout(50);
      if (atEnd && seen.has(photos.summer)) break;
    }
    expect([...seen]).toEqual([photos.spring, photos.summer]);
    // At the end, the oldest folder's photos.
    expect((await thumbNames('library-grid')).slice(-5).every((n) => photos.summerFiles.has(n))).toBe(true);
    await page.getByRole('radio', { name: 'By day' }).click();
    await expect.poll(async () => (await grid.locator('h2').allTextContents())[0]).toMatch(/2025/);
  });

  it('searches as you type: "a sunset" puts sunset photos first', async () => {
    await page.getByLabel('Search photos').fill('a sunset');
    await expect.poll(() => thumbs('search-results').count(), { timeout: 30_000 }).toBeGreaterThan(2);
    const top = (await thumbNames('search-results')).slice(0, 3);
    expect(top.every((n) => photos.sunsets.has(n)), `top results: ${top.join(', ')}`).toBe(true);
    await screenshot(page, '05-search');
  });

  it('says when nothing matches clearly, and when nothing matches at all', async () => {
    await page.getByLabel('Search photos').fill('qwxz vbnm');
    await expect.poll(() => page.getByTestId('weak-results').textContent(), { timeout: 30_000 }).toBe('No clear matches — closest photos:');
    expect(await thumbs('search-results').count()).toBeGreaterThan(0);
    await screenshot(page, '05-search-weak');
    // No photo was taken in 2030: the filtered search has nothing to offer, and says so.
    await page.getByLabel('From date').fill('2030-01-01');
    await expect.poll(() => page.getByTestId('empty-results').textContent()).toContain('No photos match with these filters');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByLabel('Search photos').fill('a sunset');
    await expect.poll(async () => photos.sunsets.has((await thumbNames('search-results'))[0] ?? '')).toBe(true);
  });

  it('opens the viewer with details, arrows to the next photo, Esc closes', async () => {
    const names = await thumbNames('search-results');
    await thumbs('search-results').first().dblclick();
    const viewer = page.getByRole('dialog');
    await expect.poll(() => viewer.getAttribute('aria-label')).toBe(`Photo viewer: ${names[0]}`);
    const details = viewer.getByLabel('Photo details');
    await expect.poll(() => details.textContent()).toContain(names[0]!);
    expect(await details.textContent()).toMatch(/Dimensions\s*\d+ × \d+/);
    // Browser mode has no file manager to show the file in.
    expect(await viewer.getByRole('button', { name: 'Show in folder' }).count()).toBe(0);
    await screenshot(page, '06-viewer');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => viewer.getAttribute('aria-label')).toBe(`Photo viewer: ${names[1]}`);
    await expect.poll(() => details.textContent()).toContain(names[1]!);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => viewer.getAttribute('aria-label')).toBe(`Photo viewer: ${names[0]}`);
    await page.keyboard.press('Escape');
    await expect.poll(() => viewer.count()).toBe(0);
  });

  it('finds photos similar to the one in the viewer', async () => {
    const names = await thumbNames('search-results');
    await thumbs('search-results').first().dblclick();
    await page.getByRole('dialog').getByRole('button', { name: 'Find similar' }).click();
    await expect.poll(() => page.getByText(`Photos similar to ${names[0]}`).isVisible()).toBe(true);
    await expect.poll(() => thumbs('search-results').count()).toBeGreaterThan(0);
    const similar = await thumbNames('search-results');
    // Other photos only (the searcher leaves the photo itself out); the closest is another sunset.
    expect(similar).not.toContain(names[0]);
    expect(photos.sunsets.has(similar[0]!), similar.join(', ')).toBe(true);
    await screenshot(page, '07-similar');
    await page.getByRole('button', { name: 'Back to library' }).click();
    await expect.poll(() => thumbs('library-grid').count()).toBeGreaterThan(0);
  });

  it('filters the grid and the search by folder and by date', async () => {
    const summerId = await page.getByLabel('Folder').locator('option', { hasText: 'summer' }).getAttribute('value');
    await page.getByLabel('Folder').selectOption(summerId!);
    await expect.poll(async () => (await thumbNames('library-grid')).every((n) => photos.summerFiles.has(n))).toBe(true);
    await page.getByLabel('Search photos').fill('a sunset');
    await expect.poll(() => thumbs('search-results').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const inSummer = await thumbNames('search-results');
    expect(inSummer.every((n) => photos.summerFiles.has(n)), inSummer.join(', ')).toBe(true);
    await screenshot(page, '08-search-filtered');

    await page.getByLabel('Search photos').fill('');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByLabel('From date').fill('2025-03-01');
    await page.getByLabel('To date').fill('2025-03-31');
    await expect.poll(async () => {
      const names = await thumbNames('library-grid');
      return names.length > 0 && names.every((n) => photos.springFiles.has(n));
    }).toBe(true);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(async () => (await thumbNames('library-grid')).some((n) => photos.springFiles.has(n))).toBe(true);
  });

  it('auto-tags the library from the tag panel; a scene tag filters the grid and the search', async () => {
    const panel = page.getByRole('complementary', { name: 'Tags' });
    await panel.getByRole('button', { name: 'Auto-tag library' }).click();
    const forest = panel.locator('button[data-tag$="Forest"]');
    await expect.poll(() => forest.count(), { timeout: 30_000 }).toBe(1);
    expect(await forest.getAttribute('data-tag')).toMatch(/ > Forest$/);
    await screenshot(page, '09-tags');
    const tagged = Number(await forest.locator('.count').textContent());
    expect(tagged).toBeGreaterThan(0);
    await forest.click();
    await expect.poll(() => forest.getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByRole('group', { name: 'Filters' }).getByRole('button', { name: /^Remove tag filter .* > Forest$/ }).count()).toBe(1);
    // The grid shows the tagged photos only: forest scenes (the tiny model may slip on one).
    let inForest: string[] = [];
    await expect.poll(async () => (inForest = await allGridNames()).length).toBe(tagged);
    expect(inForest.filter((n) => sceneOf.get(n) === 'forest').length, inForest.join(', ')).toBeGreaterThanOrEqual(inForest.length - 1);
    // The tag combines with a text search: results come from the tagged photos only.
    await page.getByLabel('Search photos').fill('trees in a forest');
    await expect.poll(() => thumbs('search-results').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const found = await thumbNames('search-results');
    expect(found.every((n) => inForest.includes(n)), found.join(', ')).toBe(true);
    await screenshot(page, '09-tags-search');
    await page.getByLabel('Search photos').fill('');
    await expect.poll(() => thumbs('library-grid').count()).toBeGreaterThan(0);
  });

  it("lists a photo's tags in the viewer with confidence; rejecting one takes it off, adding one puts it on", async () => {
    const panel = page.getByRole('complementary', { name: 'Tags' });
    const forest = panel.locator('button[data-tag$="Forest"]');
    const forestPath = (await forest.getAttribute('data-tag'))!;
    const before = Number(await forest.locator('.count').textContent());
    const forestNames = await thumbNames('library-grid');
    await thumbs('library-grid').first().dblclick();
    const tags = page.getByRole('dialog').getByRole('region', { name: 'Tags of this photo' });
    const forestTag = tags.locator(`[data-testid="photo-tag"][data-tag="${forestPath}"]`);
    await expect.poll(() => forestTag.count()).toBe(1);
    expect(await forestTag.textContent()).toContain('auto');
    const confidence = Number(await forestTag.getByRole('meter').getAttribute('aria-valuenow'));
    expect(confidence).toBeGreaterThan(0);
    expect(confidence).toBeLessThanOrEqual(100);
    await screenshot(page, '10-viewer-tags');
    await forestTag.getByRole('button', { name: 'Reject Forest' }).click();
    await expect.poll(() => forestTag.count()).toBe(0);
    // The panel's count follows (the photo no longer carries the tag).
    await expect.poll(async () => Number(await forest.locator('.count').textContent())).toBe(before - 1);
    // Accepting a suggestion makes it the user's; pinning keeps it whatever auto-tagging says later. On the next
    // photo: auto-tagging may have suggested nothing but Forest for this one.
    await page.keyboard.press('ArrowRight');
    taggedPhoto = forestNames[1]!;
    await expect.poll(() => page.getByRole('dialog').getAttribute('aria-label')).toBe(`Photo viewer: ${taggedPhoto}`);
    const suggested = tags.locator('[data-testid="photo-tag"]').filter({ hasText: 'suggested' }).first();
    const other = tags.locator(`[data-testid="photo-tag"][data-tag="${await suggested.getAttribute('data-tag')}"]`);
    await other.getByRole('button', { name: /^Accept / }).click();
    await expect.poll(() => other.textContent()).toContain('accepted');
    await other.getByRole('button', { name: /^Pin / }).click();
    await expect.poll(() => other.textContent()).toContain('pinned');
    expect(await other.getByRole('button', { name: /^Pin / }).count()).toBe(0);
    await tags.getByLabel('Add a tag').fill('Holiday');
    await tags.getByLabel('Add a tag').press('Enter');
    const added = tags.locator('[data-testid="photo-tag"]').filter({ hasText: 'Holiday' });
    await expect.poll(() => added.count()).toBe(1);
    expect(await added.textContent()).toContain('yours');
    await screenshot(page, '10-viewer-tags-decided');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => forest.getAttribute('aria-pressed')).toBe('false');
  });

  it('shows duplicate groups with the suggested keeper', async () => {
    await nav('Duplicates').click();
    const group = page.getByTestId('duplicate-group').filter({ hasText: 'copy-of-sample_001.jpg' });
    await expect.poll(() => group.count(), { timeout: 30_000 }).toBe(1);
    expect(await group.textContent()).toContain('sample_001.jpg');
    // One keeper, the suggested one, with the reason; the other copy ticked for the trash.
    expect(await group.locator('.badge').count()).toBe(1);
    expect(await group.getByText(/^Suggested: /).count()).toBe(1);
    expect(await group.getByRole('radio', { checked: true }).count()).toBe(1);
    await screenshot(page, '09-duplicates');
  });

  it('moves the chosen copy to the OS trash after confirmation', async () => {
    const group = page.getByTestId('duplicate-group').filter({ hasText: 'copy-of-sample_001.jpg' });
    await group.getByLabel('Keep sample_001.jpg', { exact: true }).check();
    expect(await group.getByLabel('Move copy-of-sample_001.jpg to the Trash', { exact: true }).isChecked()).toBe(true);
    expect(await group.getByLabel('Move sample_001.jpg to the Trash', { exact: true }).isDisabled()).toBe(true);
    await group.getByRole('button', { name: 'Move 1 to Trash…' }).click();
    const confirm = group.getByRole('alertdialog');
    expect(await confirm.textContent()).toContain('Move 1 file to the Trash? You can restore it from the Trash.');
    await screenshot(page, '09-duplicates-confirm');
    await confirm.getByRole('button', { name: 'Move to Trash' }).click();
    await expect.poll(() => page.getByTestId('duplicates-outcome').textContent()).toContain('Moved to the Trash: copy-of-sample_001.jpg');
    await expect.poll(() => group.count()).toBe(0);
    // Gone from its folder, in the trash, and the keeper untouched.
    expect(fs.existsSync(path.join(photos.summer, 'copy-of-sample_001.jpg'))).toBe(false);
    // The Freedesktop trash names the file by a uuid and records where it came from in info/<name>.trashinfo.
    const [trashed] = fs.readdirSync(path.join(dirs.home, 'Trash', 'files'));
    expect(fs.readFileSync(path.join(dirs.home, 'Trash', 'files', trashed!))).toEqual(fs.readFileSync(path.join(photos.spring, 'sample_001.jpg')));
    expect(fs.readFileSync(path.join(dirs.home, 'Trash', 'info', `${trashed}.trashinfo`), 'utf8')).toContain('copy-of-sample_001.jpg');
    expect(fs.existsSync(path.join(photos.spring, 'sample_001.jpg'))).toBe(true);
    await expect.poll(() => page.getByTestId('photo-count').textContent()).toBe(`${photos.photoCount - 1} photos`);
    await screenshot(page, '09-duplicates-resolved');
  });

  it('pre-ticks the copy of a near group, and nothing in an edit group (a mirrored copy)', async () => {
    const near = page.getByTestId('duplicate-group').filter({ hasText: resized.copy });
    await expect.poll(() => near.count()).toBe(1);
    expect(await near.textContent()).toContain('Near-identical');
    expect(await near.getByLabel(`Move ${resized.copy} to the Trash`, { exact: true }).isChecked()).toBe(true);
    const edit = page.getByTestId('duplicate-group').filter({ hasText: mirrored.copy });
    await expect.poll(() => edit.count()).toBe(1);
    // The header's notes stand apart from the kind and from each other (they once ran together:
    // "Edited versions· mirrored·").
    expect((await edit.locator('header').innerText()).replace(/\s+/g, ' ')).toContain('Edited versions · mirrored · different versions: nothing is ticked · suggested keeper');
    expect(await edit.getByRole('checkbox', { checked: true }).count()).toBe(0);
    expect(await edit.getByRole('button', { name: /^Move 0 to Trash/ }).isDisabled()).toBe(true);
    await edit.scrollIntoViewIfNeeded();
    await screenshot(page, '09-duplicates-near-and-edit');
  });

  it('remembers "Not duplicates": the group leaves and both files stay', async () => {
    // The near group of sample_085 and its smaller copy; the mirrored copy's edit group (which may then show the
    // smaller copy beside the mirror, an edit of both) is not what was declined.
    const group = page.getByTestId('duplicate-group').filter({ hasText: resized.copy }).filter({ hasText: 'Near-identical' });
    await expect.poll(() => group.count()).toBe(1);
    await group.getByRole('button', { name: 'Not duplicates' }).click();
    await expect.poll(() => group.count()).toBe(0);
    expect(fs.existsSync(path.join(photos.summer, resized.copy))).toBe(true);
    expect(fs.existsSync(path.join(photos.summer, resized.original))).toBe(true);
    // Remembered by the library: a reload does not bring the group back.
    await page.reload();
    await nav('Duplicates').click();
    // The heading and the loading line render together: once the heading shows, the line's absence means loaded.
    await expect.poll(() => page.getByRole('heading', { name: 'Duplicates' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText('Looking for duplicates…').count(), { timeout: 30_000 }).toBe(0);
    expect(await group.count()).toBe(0);
  });

  it('switches to the dark theme at once and keeps it across a reload', async () => {
    await nav('Settings').click();
    const background = () => page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    const light = await background();
    await page.getByLabel('Dark').check();
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
    await expect.poll(background).not.toBe(light);
    await screenshot(page, '10-settings-dark');
    await page.reload();
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
    // Saved in the library, not only in this browser: a fresh browser profile opens dark too.
    const other = await browser.newPage();
    await other.goto(serve.url);
    await expect.poll(() => other.locator('html').getAttribute('data-theme')).toBe('dark');
    await other.close();
    await nav('Library').click();
    await expect.poll(() => thumbs('library-grid').count()).toBeGreaterThan(0);
    await screenshot(page, '11-library-dark');
    await thumbs('library-grid').first().dblclick();
    await expect.poll(() => page.getByRole('dialog').getByLabel('Photo details').isVisible()).toBe(true);
    await screenshot(page, '12-viewer-dark');
    await page.keyboard.press('Escape');
  });

  it('fits a narrow window without sideways scrolling', async () => {
    await page.setViewportSize({ width: 720, height: 700 });
    await nav('Library').click();
    await expect.poll(() => thumbs('library-grid').count()).toBeGreaterThan(0);
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await screenshot(page, '13-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('saves the performance settings for the next start', async () => {
    await nav('Settings').click();
    await page.getByLabel('CPU threads').fill('2');
    await page.getByLabel('CPU threads').press('Tab');
    await page.getByLabel('Execution provider').selectOption('cpu');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('restart');
    await page.reload();
    await nav('Settings').click();
    await expect.poll(() => page.getByLabel('CPU threads').inputValue()).toBe('2');
    expect(await page.getByLabel('Execution provider').inputValue()).toBe('cpu');
    await page.getByLabel('Follow the system').check();
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBeNull();
  });

  it('writes XMP sidecars once switched on, and the tag settings persist across a reload', async () => {
    await nav('Settings').click();
    const sidecars = page.getByRole('switch', { name: 'Write tags to XMP sidecars' });
    expect(await sidecars.isChecked()).toBe(false);
    await sidecars.check();
    await page.getByLabel('Photos tagged “Sensitive”').check();
    await expect.poll(() => page.getByLabel('Photos tagged “Sensitive”').isChecked()).toBe(true);
    // Switching on writes the sidecars of photos that carry accepted tags: the one tagged "Holiday" above.
    const folder = photos.springFiles.has(taggedPhoto) ? photos.spring : photos.summer;
    const sidecar = path.join(folder, `${path.parse(taggedPhoto).name}.xmp`);
    await expect.poll(() => fs.existsSync(sidecar)).toBe(true);
    expect(fs.readFileSync(sidecar, 'utf8')).toContain('Holiday');
    await page.reload();
    await nav('Settings').click();
    await expect.poll(() => page.getByRole('switch', { name: 'Write tags to XMP sidecars' }).isChecked()).toBe(true);
    expect(await page.getByLabel('Photos tagged “Sensitive”').isChecked()).toBe(true);
    expect(await page.getByLabel('Photos tagged “Not a photo”').isChecked()).toBe(false);
    await screenshot(page, '14-settings-tags');
    await page.getByLabel('Photos tagged “Sensitive”').uncheck();
    await page.getByRole('switch', { name: 'Write tags to XMP sidecars' }).uncheck();
    await expect.poll(() => page.getByRole('switch', { name: 'Write tags to XMP sidecars' }).isChecked()).toBe(false);
  });

  it('lists the models; installs one from a folder with progress, and reports a failed install', async () => {
    const models = page.getByTestId('models');
    const rows = models.getByTestId('model-row');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    await models.scrollIntoViewIfNeeded();
    await screenshot(page, '14-settings-models');
    const missing = path.join(dirs.home, 'no-such-pack');
    const field = page.getByLabel('Install from a folder or zip');
    await field.fill(missing);
    await models.getByRole('button', { name: 'Install' }).click();
    const progress = models.getByTestId('model-progress');
    await expect.poll(() => progress.textContent(), { timeout: 15_000 }).toContain('Failed');
    expect(await progress.textContent()).toContain(missing);
    await screenshot(page, '14-settings-model-failed');
    // The tiny model's own folder installs into the library: the steps arrive as progress events until Done.
    await field.fill(TINY_CLIP);
    await models.getByRole('button', { name: 'Install' }).click();
    await expect.poll(() => progress.textContent(), { timeout: 30_000 }).toMatch(/^\s*Done/);
    // Installed under its folder's name and in use: the library now searches with the installed copy.
    const active = rows.filter({ hasText: 'In use' });
    await expect.poll(() => active.count()).toBe(1);
    expect(await active.textContent()).toMatch(/tiny-clip\s*·\s*installed/);
    expect(await active.getByRole('button', { name: /^Use / }).count()).toBe(0);
    expect(await models.getByTestId('current-model').textContent()).toBe('In use: tiny-clip-synthetic');
    await screenshot(page, '14-settings-model-installed');
  });

  it('removes a folder after confirmation; its photos leave the library', async () => {
    await nav('Folders').click();
    const summerRow = page.getByTestId('folder-row').filter({ hasText: photos.summer });
    await summerRow.getByRole('button', { name: 'Remove…' }).click();
    await summerRow.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect.poll(() => page.getByTestId('folder-row').count()).toBe(1);
    await expect.poll(() => page.getByTestId('photo-count').textContent()).toBe(`${photos.springFiles.size} photos`);
  });
});

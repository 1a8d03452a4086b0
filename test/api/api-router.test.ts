import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndexingState } from '../../app/api/contract.js';
import type { ApiRouter, CallOutcome } from '../../app/api/router.js';
import type { LibraryService } from '../../app/library/library-service.js';
import { openApi } from '../helpers/api-library.js';
import { valueOf } from '../helpers/api-value.js';
import { SAMPLES_DIR } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/cli.js';

interface Labels {
  images: { file: string; scene: string | null; scene_tags: string[] }[];
}

const value = <T>(outcome: CallOutcome): T => valueOf<T>(outcome);

/**
 * The API end to end below the transports: real catalog, real tiny-clip sessions, real files, every call
 * through the router's validation. The browser tests drive the same router over WebSocket.
 */
describe('API router over a live library', () => {
  let api: Awaited<ReturnType<typeof openApi>>;
  let library: LibraryService;
  let router: ApiRouter;
  let photos: string;
  let second: string;
  const events: { name: string; payload: unknown }[] = [];
  const labels = JSON.parse(fs.readFileSync(path.join(SAMPLES_DIR, 'labels.json'), 'utf8')) as Labels;

  beforeAll(async () => {
    const root = tempDir('shoebox-api-');
    photos = path.join(root, 'photos');
    second = path.join(root, 'second');
    fs.mkdirSync(photos);
    fs.mkdirSync(second);
    const images = labels.images.slice(0, 40);
    for (const image of images.slice(0, 30)) fs.copyFileSync(path.join(SAMPLES_DIR, image.file), path.join(photos, image.file));
    for (const image of images.slice(30)) fs.copyFileSync(path.join(SAMPLES_DIR, image.file), path.join(second, image.file));
    api = await openApi(root);
    ({ library, router } = api);
    library.on((name, payload) => events.push({ name, payload }));
  });

  afterAll(() => api.close());

  it('refuses unknown procedures and invalid input with a clear error, without running anything', async () => {
    expect(await router.call('photos.delete', {})).toEqual({ ok: false, error: { code: 'unknown-procedure', message: 'unknown procedure "photos.delete"' } });
    const bad = await router.call('search.text', { query: '', limit: 5000 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('invalid-input');
      expect(bad.error.message).toMatch(/query/);
      expect(bad.error.message).toMatch(/limit/);
    }
    const extra = await router.call('folders.add', { path: '/tmp', recursive: false });
    expect(extra.ok).toBe(false);
    expect(await router.call('__proto__', {})).toMatchObject({ ok: false, error: { code: 'unknown-procedure' } });
  });

  it('starts empty, then adds folders and indexes them in the background with progress events', async () => {
    expect(value<{ photoCount: number; folders: unknown[] }>(await router.call('status', {}))).toMatchObject({ photoCount: 0, folders: [] });
    const notAFolder = await router.call('folders.add', { path: path.join(photos, labels.images[0]!.file) });
    expect(notAFolder).toMatchObject({ ok: false, error: { code: 'user' } });

    const added = value<{ id: number; path: string }>(await router.call('folders.add', { path: photos }));
    expect(added.path).toBe(photos);
    value(await router.call('folders.add', { path: second }));
    await library.idle();

    const status = value<{ photoCount: number; folders: { photoCount: number; online: boolean }[]; indexing: IndexingState; model: { name: string } }>(
      await router.call('status', {}),
    );
    expect(status.photoCount).toBe(40);
    expect(status.folders.map((f) => f.photoCount).sort((a, b) => a - b)).toEqual([10, 30]);
    expect(status.folders.every((f) => f.online)).toBe(true);
    expect(status.indexing.state).toBe('idle');
    expect(status.model.name).toBeTruthy();
    const progress = events.filter((e) => e.name === 'indexing.progress').map((e) => e.payload as IndexingState);
    expect(progress.some((p) => p.state === 'scanning' || p.state === 'indexing')).toBe(true);
    expect(progress.at(-1)!.state).toBe('idle');
    expect(events.some((e) => e.name === 'library.changed')).toBe(true);
  });

  it('pages through the grid with keyset pagination: every photo once, newest first', async () => {
    const seen: number[] = [];
    let after: { key: string; id: number } | undefined;
    let keys: number[] = [];
    for (;;) {
      const page = value<{ items: { id: number; sortKey: number; placeholder: string | null }[]; next: { key: string; id: number } | null; total: number }>(
        await router.call('photos.page', { limit: 7, ...(after ? { after } : {}) }),
      );
      expect(page.total).toBe(40);
      // Every photo comes with its blurred placeholder, drawn before the thumbnail arrives.
      expect(page.items.every((i) => i.placeholder?.startsWith('data:image/'))).toBe(true);
      seen.push(...page.items.map((i) => i.id));
      keys = keys.concat(page.items.map((i) => i.sortKey));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toHaveLength(40);
    expect(new Set(seen).size).toBe(40);
    expect(keys).toEqual([...keys].sort((a, b) => b - a));
  });

  it('searches text, restricted by folder filter, and finds similar photos', async () => {
    const byName = new Map(labels.images.map((i) => [i.file, i]));
    const result = value<{ results: { id: number; name: string }[]; weak: boolean }>(await router.call('search.text', { query: 'a sunset' }));
    expect(result.weak).toBe(false);
    expect(result.results.length).toBeGreaterThan(0);
    expect(byName.get(result.results[0]!.name)!.scene_tags).toContain('sunset');

    const facets = value<{ folders: { id: number; path: string }[] }>(await router.call('facets', {}));
    const secondId = facets.folders.find((f) => f.path === second)!.id;
    const filtered = value<{ results: { id: number; name: string }[] }>(
      await router.call('search.text', { query: 'a forest', filters: { folderIds: [secondId] }, limit: 50 }),
    );
    // Both forests of the second folder, and nothing from the first (which has four forests of its own).
    const inSecond = new Set(fs.readdirSync(second));
    const forestsInSecond = [...inSecond].filter((f) => byName.get(f)!.scene === 'forest');
    expect(forestsInSecond).toHaveLength(2);
    expect(filtered.results.every((r) => inSecond.has(r.name))).toBe(true);
    expect(filtered.results.slice(0, 2).map((r) => r.name).sort()).toEqual(forestsInSecond.sort());

    const similar = value<{ results: { id: number }[] }>(await router.call('search.similar', { id: result.results[0]!.id }));
    expect(similar.results.every((r) => r.id !== result.results[0]!.id)).toBe(true);
    expect(await router.call('search.similar', { id: 999999 })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('returns photo details and remembers settings', async () => {
    const page = value<{ items: { id: number }[] }>(await router.call('photos.page', { limit: 1 }));
    const detail = value<{ path: string; folder: string; format: string }>(await router.call('photos.get', { id: page.items[0]!.id }));
    expect(fs.existsSync(detail.path)).toBe(true);
    expect([photos, second]).toContain(detail.folder);
    expect(detail.format).toBe('jpeg');

    expect(value(await router.call('settings.get', {}))).toEqual({ theme: 'system', cpuThreads: 0, provider: 'auto', xmpSidecars: false, hiddenTagGroups: [] });
    expect(value(await router.call('settings.set', { theme: 'dark' }))).toEqual({ theme: 'dark', cpuThreads: 0, provider: 'auto', xmpSidecars: false, hiddenTagGroups: [] });
    expect(value(await router.call('settings.get', {}))).toMatchObject({ theme: 'dark' });
    expect((await router.call('settings.set', { theme: 'neon' })).ok).toBe(false);
  });

  it('auto-tags, shows tags with confidence, filters by tag, and keeps a rejection', async () => {
    const byName = new Map(labels.images.map((i) => [i.file, i]));
    value(await router.call('tags.autotag', {}));
    const counts = value<{ path: string; name: string; photos: number }[]>(await router.call('tags.counts', {}));
    const forest = counts.find((c) => c.name.toLowerCase() === 'forest')!;
    expect(forest.photos).toBeGreaterThan(0);
    const page = value<{ items: { id: number; name: string }[]; total: number }>(await router.call('photos.page', { limit: 100, filters: { tags: [forest.path] } }));
    expect(page.total).toBe(forest.photos);
    expect(page.items.filter((p) => byName.get(p.name)!.scene === 'forest').length).toBeGreaterThanOrEqual(page.items.length - 1);
    const photo = page.items[0]!;
    const tags = value<{ path: string; score: number; source: string }[]>(await router.call('tags.ofPhoto', { id: photo.id }));
    expect(tags.find((t) => t.path === forest.path)).toMatchObject({ source: 'auto' });
    expect(tags.every((t) => t.score > 0 && t.score <= 1)).toBe(true);

    value(await router.call('tags.decide', { ids: [photo.id], tag: forest.path, decision: 'reject' }));
    value(await router.call('tags.autotag', {}));
    const after = value<{ path: string }[]>(await router.call('tags.ofPhoto', { id: photo.id }));
    expect(after.some((t) => t.path === forest.path)).toBe(false);
    expect(value<{ total: number }>(await router.call('photos.page', { limit: 1, filters: { tags: [forest.path] } })).total).toBe(forest.photos - 1);

    // Hiding a tag group takes its photos out of the grid and the search; showing it again brings them back.
    const group = forest.path.split(' > ')[0]!;
    const all = value<{ total: number }>(await router.call('photos.page', { limit: 1 })).total;
    const inGroup = value<{ total: number }>(await router.call('photos.page', { limit: 1, filters: { tags: [group] } })).total;
    expect(value<{ hiddenTagGroups: string[] }>(await router.call('settings.set', { hiddenTagGroups: [group] })).hiddenTagGroups).toHaveLength(1);
    expect(value<{ total: number }>(await router.call('photos.page', { limit: 1 })).total).toBe(all - inGroup);
    const hiddenSearch = value<{ results: { name: string }[] }>(await router.call('search.text', { query: 'a forest', limit: 100 }));
    expect(hiddenSearch.results.some((r) => byName.get(r.name)!.scene === 'forest' && r.name !== photo.name)).toBe(false);
    value(await router.call('settings.set', { hiddenTagGroups: [] }));
    expect(value<{ total: number }>(await router.call('photos.page', { limit: 1 })).total).toBe(all);
  });

  it('pauses and resumes indexing of new files', async () => {
    value(await router.call('indexing.pause', {}));
    fs.copyFileSync(path.join(SAMPLES_DIR, labels.images[50]!.file), path.join(second, labels.images[50]!.file));
    // The watcher sees the file and starts a run, which waits at the pause before reading anything.
    await new Promise((r) => setTimeout(r, 1500));
    expect(value<{ photoCount: number }>(await router.call('status', {})).photoCount).toBe(40);
    value(await router.call('indexing.resume', {}));
    await library.idle();
    expect(value<{ photoCount: number }>(await router.call('status', {})).photoCount).toBe(41);
  });

  it('removes a folder: its photos leave the library, its files stay on disk', async () => {
    const facets = value<{ folders: { id: number; path: string }[] }>(await router.call('facets', {}));
    const secondId = facets.folders.find((f) => f.path === second)!.id;
    const removed = value<{ removedPhotos: number }>(await router.call('folders.remove', { folderId: secondId }));
    expect(removed.removedPhotos).toBe(11);
    expect(fs.readdirSync(second)).toHaveLength(11);
    await library.idle();
    const status = value<{ photoCount: number; folders: unknown[] }>(await router.call('status', {}));
    expect(status.photoCount).toBe(30);
    expect(status.folders).toHaveLength(1);
  });
});

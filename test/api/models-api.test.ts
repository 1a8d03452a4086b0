import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelProgress, ModelView } from '../../app/api/contract.js';
import type { ApiRouter, CallOutcome } from '../../app/api/router.js';
import type { LibraryService } from '../../app/library/library-service.js';
import { openApi } from '../helpers/api-library.js';
import { valueOf } from '../helpers/api-value.js';
import { tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR } from '../helpers/fixtures.js';
import { renamedTinyClip } from '../models/pack-server.js';

const value = <T>(outcome: CallOutcome): T => valueOf<T>(outcome);

describe('model switch through the API, with progress events, while search answers', () => {
  const root = tempDir('shoebox-api-models-');
  let api: Awaited<ReturnType<typeof openApi>>;
  let library: LibraryService;
  let router: ApiRouter;
  const progress: ModelProgress[] = [];

  beforeAll(async () => {
    const photos = path.join(root, 'photos');
    fs.mkdirSync(photos);
    for (const f of fs.readdirSync(SAMPLES_DIR).filter((f) => f.endsWith('.jpg')).slice(0, 40)) fs.copyFileSync(path.join(SAMPLES_DIR, f), path.join(photos, f));
    api = await openApi(root, [photos]);
    ({ library, router } = api);
    library.on((name, payload) => {
      if (name === 'models.progress') progress.push(payload as ModelProgress);
    });
  });
  afterAll(() => api.close());

  it('installs a pack from a folder, embeds every photo with it in the background, then searches with it', async () => {
    const pack = path.join(root, 'tiny-clip-copy');
    fs.mkdirSync(pack);
    for (const [file, body] of Object.entries(renamedTinyClip('tiny-clip-copy'))) {
      fs.mkdirSync(path.dirname(path.join(pack, file)), { recursive: true });
      fs.writeFileSync(path.join(pack, file), body);
    }
    const before = value<{ results: { id: number }[] }>(await router.call('search.text', { query: 'a forest' }));
    expect(value(await router.call('models.use', { name: pack }))).toEqual({ started: true });
    expect(value(await router.call('models.use', { name: pack }))).toEqual({ started: false }); // one switch at a time
    // Searches keep answering while the new model embeds the library.
    const during = value<{ results: { id: number }[] }>(await router.call('search.text', { query: 'a forest' }));
    expect(during.results.map((r) => r.id)).toEqual(before.results.map((r) => r.id));
    await expect.poll(() => progress.at(-1)?.phase, { timeout: 60_000 }).toMatch(/done|failed/);
    expect(progress.at(-1)).toMatchObject({ phase: 'done', error: null });
    expect(progress.some((p) => p.phase === 'index' && p.fraction !== null)).toBe(true);

    const models = value<ModelView[]>(await router.call('models.list', {}));
    expect(models.find((m) => m.active)?.id).toBe('tiny-clip-copy');
    const status = value<{ model: { name: string } }>(await router.call('status', {}));
    expect(status.model.name).toBe('tiny-clip-copy');
    const after = value<{ results: { id: number }[] }>(await router.call('search.text', { query: 'a forest' }));
    expect(after.results.map((r) => r.id)).toEqual(before.results.map((r) => r.id)); // same weights, same answers
  });

  it('reports a pack that cannot be installed as a failed switch and keeps the model', async () => {
    progress.length = 0;
    expect(value(await router.call('models.use', { name: path.join(root, 'no-such-pack') }))).toEqual({ started: true });
    await expect.poll(() => progress.at(-1)?.phase, { timeout: 30_000 }).toBe('failed');
    expect(progress.at(-1)!.error).toBeTruthy();
    expect(value<{ model: { name: string } }>(await router.call('status', {})).model.name).toBe('tiny-clip-copy');
  });
});

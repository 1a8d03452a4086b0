import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Core, type UseModelProgress } from '../../app/core.js';
import type { SearchResult } from '../../app/search/searcher.js';
import { tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR } from '../helpers/fixtures.js';
import { negateLargestWeights } from './corrupt-weights.js';
import { renamedTinyClip, servedFiles, startPackServer, tinyClipFiles, writeRegistry, type PackServer } from './pack-server.js';

const servers: PackServer[] = [];
const cores: Core[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function openLibrary() {
  const packs = { 'tiny-clip': tinyClipFiles(), 'tiny-clip-copy': renamedTinyClip('tiny-clip-copy') };
  const server = await startPackServer(servedFiles(packs));
  servers.push(server);
  const work = tempDir('switch');
  const registryFile = path.join(work, 'registry.json');
  writeRegistry(registryFile, server.baseUrl, packs);
  const libraryDir = path.join(work, 'library');
  const core = Core.open({ libraryDir, registryFile });
  cores.push(core);
  return { core, libraryDir, registryFile };
}

const vecTables = (core: Core) =>
  (core.catalog.db.prepare("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
const paths = (results: SearchResult[]) => results.map((r) => r.path);

describe('Core.useModel', () => {
  it('builds the new model index while searches keep answering from the old one, then flips and drops the old vectors', async () => {
    const { core, libraryDir, registryFile } = await openLibrary();
    const first = await core.useModel('tiny-clip'); // installs from the server; an empty library switches at once
    expect(first).toMatchObject({ id: 'tiny-clip', switched: true, embedded: 0 });
    const report = await core.index([SAMPLES_DIR]);
    expect(report.indexed).toBe(96);
    const [oldRecord] = core.catalog.models.list();
    const before = await core.search('a sunset');
    expect(before.length).toBeGreaterThan(0);

    const during: Promise<SearchResult[]>[] = [];
    const seen: UseModelProgress[] = [];
    const result = await core.useModel('tiny-clip-copy', (p) => {
      seen.push(p);
      if (p.phase === 'index' && p.done > 0 && p.done < p.total) {
        // Mid-switch: both tables exist, the library still names the old pack, and search answers.
        expect(vecTables(core)).toEqual([`vec_model_${oldRecord!.id}`, `vec_model_${oldRecord!.id}_bits`, `vec_model_${oldRecord!.id + 1}`, `vec_model_${oldRecord!.id + 1}_bits`]);
        expect(core.getModel().pack.name).toBe('tiny-clip-synthetic');
        during.push(core.search('a sunset'));
      }
    });

    expect(result).toMatchObject({ id: 'tiny-clip-copy', switched: true, embedded: 96, failed: [] });
    expect(seen.some((p) => p.phase === 'download')).toBe(true);
    expect(seen.some((p) => p.phase === 'self-check')).toBe(true);
    expect(seen.filter((p) => p.phase === 'index').at(-1)).toEqual({ phase: 'index', done: 96, total: 96, failed: 0 });
    expect(during.length).toBeGreaterThan(0);
    for (const answer of await Promise.all(during)) expect(paths(answer)).toEqual(paths(before));

    // After the flip: one model, its table only, the same weights give the same answers.
    expect(core.catalog.models.list().map((m) => m.name)).toEqual(['tiny-clip-copy']);
    // The old model's float vectors and their sign bits (the quantized search's first pass) are both gone.
    expect(vecTables(core)).toEqual([`vec_model_${oldRecord!.id + 1}`, `vec_model_${oldRecord!.id + 1}_bits`]);
    expect(core.getModel().pack.name).toBe('tiny-clip-copy');
    expect(paths(await core.search('a sunset'))).toEqual(paths(before));
    expect(core.listModels().filter((m) => m.active).map((m) => m.id)).toEqual(['tiny-clip-copy']);

    // The choice survives a restart.
    const reopened = Core.open({ libraryDir, registryFile });
    cores.push(reopened);
    expect(reopened.getModel().pack.name).toBe('tiny-clip-copy');
    expect(paths(await reopened.search('a sunset'))).toEqual(paths(before));
  });

  it('does nothing but fill gaps when asked for the model already in use', async () => {
    const { core } = await openLibrary();
    await core.useModel('tiny-clip');
    await core.index([SAMPLES_DIR]);
    const again = await core.useModel('tiny-clip');
    expect(again).toMatchObject({ switched: false, embedded: 0 });
    expect(core.catalog.models.list()).toHaveLength(1);
  });

  it('refuses a damaged pack copied into the models folder by hand and keeps the current model', async () => {
    const { core, libraryDir } = await openLibrary();
    await core.useModel('tiny-clip');
    await core.index([SAMPLES_DIR]);
    const before = await core.search('a sunset');
    const manual = path.join(libraryDir, 'models', 'hand-copied');
    fs.mkdirSync(manual);
    for (const [file, body] of Object.entries(renamedTinyClip('hand-copied'))) fs.writeFileSync(path.join(manual, file), body);
    negateLargestWeights(path.join(manual, 'vision_model.onnx'), 1);
    const manifest = JSON.parse(fs.readFileSync(path.join(manual, 'manifest.json'), 'utf8')) as { files?: unknown };
    delete manifest.files; // no declared checksums: only the self-check can tell
    fs.writeFileSync(path.join(manual, 'manifest.json'), JSON.stringify(manifest));

    await expect(core.useModel('hand-copied')).rejects.toThrow(/model pack hand-copied failed its self-check/);
    expect(core.catalog.models.list().map((m) => m.name)).toEqual(['tiny-clip-synthetic']);
    expect(paths(await core.search('a sunset'))).toEqual(paths(before));
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Core } from '../../app/core.js';
import type { SearchResult } from '../../app/search/searcher.js';
import { tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';

/** `count` copies of one sample, each with distinct trailing bytes: new files, the same picture. */
function copies(dir: string, sample: string, count: number): string[] {
  const bytes = fs.readFileSync(path.join(SAMPLES_DIR, sample));
  return Array.from({ length: count }, (_, i) => {
    const file = path.join(dir, `${path.parse(sample).name}-${i}.jpg`);
    fs.writeFileSync(file, Buffer.concat([bytes, Buffer.from(`copy ${i}`)]));
    return file;
  });
}

describe('search while a long import runs (quantized path)', () => {
  const cores: Core[] = [];
  afterAll(async () => {
    for (const core of cores) await core.close();
  });

  async function searchMidImport(refreshWhileIndexingMs: number): Promise<{ found: SearchResult[]; imported: string[] }> {
    const first = tempDir('import-first');
    const second = tempDir('import-second');
    copies(first, 'sample_001.jpg', 4);
    copies(first, 'sample_002.jpg', 4);
    const imported = copies(second, 'sample_093.jpg', 24);
    // quantizeAbove 0: even this small library searches through the in-memory sign bits.
    const core = Core.open({ libraryDir: tempDir('import-lib'), modelDir: TINY_CLIP, decodeThreads: 0, search: { quantizeAbove: 0, refreshWhileIndexingMs } });
    cores.push(core);
    await core.index([first]);
    await core.similar(path.join(first, 'sample_001-0.jpg')); // the sign bits are in memory now
    let search: Promise<SearchResult[]> | undefined;
    await core.index([second], {
      batchSize: 4,
      // Once two batches of the second folder are stored, while the run goes on: photos similar to one of them.
      onStored: (_id, file) => {
        if (file === imported[7]) search = core.similar(imported[0]!, { limit: 10, all: true });
      },
    });
    return { found: await search!, imported };
  }

  it('finds photos the running import stored before the search', async () => {
    const { found, imported } = await searchMidImport(0);
    expect(found.filter((r) => imported.includes(r.path)).length).toBeGreaterThan(0);
  });

  it('without a refresh the run-long stale index would hide them (the same search, refresh interval longer than the run)', async () => {
    const { found, imported } = await searchMidImport(3_600_000);
    expect(found.filter((r) => imported.includes(r.path))).toEqual([]);
  });
});

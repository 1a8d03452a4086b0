import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Core } from '../../app/core.js';
import { tempDir } from '../helpers/cli.js';
import { libraryWithPhotos } from '../helpers/library-with-photos.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';

const GOOD = ['sample_000.jpg', 'sample_001.jpg', 'sample_024.jpg'];

/** Real reads, except that `failing` paths raise `code` (an OS error a root user cannot cause) `times` times. */
function flakyReader(failing: Map<string, { code: string; times: number }>, reads: string[]) {
  return async (file: string): Promise<Buffer> => {
    reads.push(path.basename(file));
    const rule = failing.get(file);
    if (rule && rule.times > 0) {
      rule.times--;
      throw Object.assign(new Error(`${rule.code}: resource busy or locked, open '${file}'`), { code: rule.code });
    }
    return fs.promises.readFile(file);
  };
}

describe('the persistent job queue', () => {
  const fixture = libraryWithPhotos('queue', GOOD);
  let library: string;
  let photos: string;
  let core: Core;
  beforeEach(() => ({ library, photos, core } = fixture.current));

  it('retries a busy file with backoff until it reads', async () => {
    const busy = path.join(photos, GOOD[0]!);
    const reads: string[] = [];
    const readFile = flakyReader(new Map([[busy, { code: 'EBUSY', times: 2 }]]), reads);
    const report = await core.index([photos], { readFile, retry: { attempts: 3, baseDelayMs: 20 } });
    expect(report).toMatchObject({ indexed: 3, failed: [] });
    expect(reads.filter((r) => r === GOOD[0])).toHaveLength(3);
    expect(core.catalog.jobs.counts()).toEqual({ pending: 0, processing: 0, done: 0, failed: 0 }); // done jobs pruned
  });

  it('reports a file still busy after its tries, keeps it pending, and indexes it on a later run', async () => {
    const busy = path.join(photos, GOOD[0]!);
    const readFile = flakyReader(new Map([[busy, { code: 'EBUSY', times: 99 }]]), []);
    const report = await core.index([photos], { readFile, retry: { attempts: 2, baseDelayMs: 10 } });
    expect(report.indexed).toBe(2);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]!.error).toMatch(/file busy \(EBUSY\).*gave up after 2 tries; will try again later/);
    expect(core.catalog.jobs.get(busy)).toMatchObject({ state: 'pending', attempts: 2 });

    const later = await core.index([photos]);
    expect(later).toMatchObject({ indexed: 1, unchanged: 2, failed: [] });
    expect(core.catalog.jobs.get(busy)).toBeUndefined();
  });

  it('fails a bad file for good with its reason, does not decode it again, and retries it once it changes', async () => {
    const bad = path.join(photos, 'notes.jpg');
    fs.writeFileSync(bad, 'a text file named .jpg');
    const first = await core.index([photos]);
    expect(first.failed.map((f) => f.path)).toEqual([bad]);
    expect(core.catalog.jobs.get(bad)).toMatchObject({ state: 'failed', reason: expect.stringMatching(/not an image/) });

    const reads: string[] = [];
    const again = await core.index([photos], { readFile: flakyReader(new Map(), reads) });
    expect(again.failed).toEqual([{ path: bad, error: expect.stringMatching(/not an image/), stage: 'decode' }]);
    expect(reads).toEqual([]); // neither read nor decoded again

    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_045.jpg'), bad); // fixed: now a real photo
    const fixed = await core.index([photos]);
    expect(fixed).toMatchObject({ indexed: 1, unchanged: 3, failed: [] });
    expect(core.catalog.errors.list()).toEqual([]);
  });

  it('resumes the jobs an interrupted run left, before scanning', async () => {
    await core.index([photos]);
    // What a kill -9 leaves: a new file whose job was taken (processing) but never finished.
    const late = path.join(photos, 'zz-late.jpg');
    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_045.jpg'), late);
    const folderId = core.catalog.folders.byPath(photos)!.id;
    const st = fs.statSync(late);
    core.catalog.jobs.enqueue(late, folderId, st.size, Math.trunc(st.mtimeMs));
    core.catalog.jobs.start(late);
    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_046.jpg'), path.join(photos, 'aa-new.jpg'));

    const reads: string[] = [];
    const report = await core.index([photos], { readFile: flakyReader(new Map(), reads) });
    expect(report).toMatchObject({ indexed: 2, unchanged: 3, failed: [] });
    expect(reads).toEqual(['zz-late.jpg', 'aa-new.jpg']); // the queue first, then the scan in name order
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Core } from '../../app/core.js';
import type { FailedFile } from '../../app/indexer/index-report.js';
import type { IndexingStatus } from '../../app/indexer/indexing-controller.js';
import { tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('live indexing: progress events, pause/resume, search priority', () => {
  let library: string;
  let photos: string;
  let core: Core;
  const samples = fs.readdirSync(SAMPLES_DIR).filter((f) => f.endsWith('.jpg')).slice(0, 12);

  beforeEach(() => {
    library = tempDir('live-lib');
    photos = tempDir('live-photos');
    for (const f of samples) fs.copyFileSync(path.join(SAMPLES_DIR, f), path.join(photos, f));
    core = Core.open({ libraryDir: library, modelDir: TINY_CLIP });
  });
  afterEach(async () => {
    await core.close();
    fs.rmSync(library, { recursive: true, force: true });
    fs.rmSync(photos, { recursive: true, force: true });
  });

  it('reports queued, done, failed, pace, ETA and the current file, and each failure as it happens', async () => {
    fs.writeFileSync(path.join(photos, 'notes.jpg'), 'not a photo');
    const events: IndexingStatus[] = [];
    const failures: FailedFile[] = [];
    const unsubscribe = core.indexing.onProgress((s) => events.push(s));
    let duringRun: IndexingStatus | undefined;
    core.indexing.onFailed((f) => {
      failures.push(f);
      duringRun = core.indexing.status; // a snapshot mid-run, whatever the throttling of events
    });
    await core.index([photos]);
    unsubscribe();

    expect(events.length).toBeGreaterThan(1);
    expect(events[0]).toMatchObject({ state: 'running', queued: 0, done: 0, scanning: true });
    expect(duringRun).toMatchObject({ state: 'running', failed: 1 });
    expect(duringRun!.current!.startsWith(photos)).toBe(true);
    const last = events.at(-1)!;
    expect(last).toMatchObject({ state: 'idle', queued: 0, done: 12, indexed: 12, unchanged: 0, failed: 1, etaSeconds: 0, current: null, scanning: false });
    expect(last.photosPerSecond).toBeGreaterThan(0);
    expect(failures.map((f) => path.basename(f.path))).toEqual(['notes.jpg']);
    expect(failures[0]!.error).toMatch(/not an image/);

    // A second run: every photo unchanged, counted as done, nothing newly indexed.
    await core.index([photos]);
    expect(core.indexing.status).toMatchObject({ state: 'idle', done: 12, indexed: 0, unchanged: 12, queued: 0 });
  });

  it('pauses without losing work and resumes where it stopped', async () => {
    core.indexing.pause();
    const run = core.index([photos]);
    await waitFor(() => core.indexing.status.queued > 0, 'the scan to queue a file');
    await sleep(300); // time enough to have indexed something, were the pause ignored
    expect(core.indexing.status).toMatchObject({ state: 'paused' });
    expect(core.catalog.photos.count()).toBe(0); // nothing started while paused
    core.indexing.resume();
    expect(await run).toMatchObject({ indexed: 12, failed: [] });
    expect(core.indexing.status.state).toBe('idle');
  });

  it('holds new decodes back while a search runs', async () => {
    await core.index([photos]);
    const more = path.join(photos, 'more');
    fs.mkdirSync(more);
    for (const f of samples) fs.writeFileSync(path.join(more, f), Buffer.concat([fs.readFileSync(path.join(SAMPLES_DIR, f)), Buffer.from('x')]));
    let run: Promise<unknown> | undefined;
    await core.indexing.whileSearching(async () => {
      run = core.index([photos]);
      await waitFor(() => core.indexing.status.queued > 0, 'the scan to queue a file');
      await sleep(300);
      expect(core.indexing.status.yielding).toBe(true);
      expect(core.catalog.photos.count()).toBe(12); // the new files wait for the search
    });
    expect(await run).toMatchObject({ indexed: 12, unchanged: 12 });
  });
});

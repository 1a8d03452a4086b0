import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_COMMAND, ROOT_DIR, runCliJson, tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';


/** Unfinished rows of the persistent job queue (pending or processing). */
function unfinishedJobs(library: string): number {
  const db = new Database(path.join(library, 'catalog.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM index_jobs WHERE state IN ('pending', 'processing')").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function counts(library: string): { photos: number; vectors: number } {
  const db = new Database(path.join(library, 'catalog.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const photos = (db.prepare('SELECT count(*) AS n FROM photos').get() as { n: number }).n;
    // The vec0 table's rowids live in a plain shadow table; reading it needs no extension.
    const vectors = (db.prepare('SELECT count(*) AS n FROM vec_model_1_rowids').get() as { n: number }).n;
    return { photos, vectors };
  } finally {
    db.close();
  }
}

describe('a kill -9 in the middle of indexing', () => {
  const library = tempDir('crash-lib');
  const photos = tempDir('crash-photos');
  afterAll(() => {
    fs.rmSync(library, { recursive: true, force: true });
    fs.rmSync(photos, { recursive: true, force: true });
  });

  it('loses no finished batch, leaves no photo without its vector, and the rerun indexes each file once', async () => {
    const samples = fs.readdirSync(SAMPLES_DIR).filter((f) => f.endsWith('.jpg'));
    for (const copy of ['a', 'b', 'c', 'd']) {
      fs.mkdirSync(path.join(photos, copy));
      // Re-encode slightly differently per copy so each file is new content, not a reused vector.
      for (const f of samples) {
        const bytes = fs.readFileSync(path.join(SAMPLES_DIR, f));
        fs.writeFileSync(path.join(photos, copy, f), Buffer.concat([bytes, Buffer.from(copy)]));
      }
    }
    const total = samples.length * 4;

    const [node, ...prefix] = CLI_COMMAND;
    const child = spawn(node, [...prefix, 'index', photos, '--library', library, '--model', TINY_CLIP, '--json'], {
      cwd: ROOT_DIR,
      stdio: 'ignore',
    });
    // Wait until some batches have landed, then kill without warning.
    const deadline = Date.now() + 60_000;
    let seen = { photos: 0, vectors: 0 };
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      try {
        seen = counts(library);
      } catch {
        continue; // catalog not created yet
      }
      if (seen.photos > 0) break;
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const afterKill = counts(library);
    console.log(`killed with ${afterKill.photos} of ${total} photos stored`);
    expect(afterKill.photos).toBeGreaterThan(0);
    expect(afterKill.photos).toBeLessThan(total);
    expect(afterKill.vectors).toBe(afterKill.photos);
    expect(unfinishedJobs(library)).toBeGreaterThan(0); // the files in flight are still queued

    const report = runCliJson<{ indexed: number; unchanged: number; failed: unknown[] }>(['index', photos, '--library', library, '--model', TINY_CLIP]);
    expect(report.failed).toEqual([]);
    expect(report.indexed + report.unchanged).toBe(total);
    expect(report.unchanged).toBe(afterKill.photos);
    expect(counts(library)).toEqual({ photos: total, vectors: total });
    expect(unfinishedJobs(library)).toBe(0);
  });
});

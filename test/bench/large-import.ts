import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Core } from '../../app/core.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';
import { emit, round, timed } from './report.js';
/**
 * Memory over a long import: `count` small distinct files (the tiny-clip samples, each copy with a trailing
 * byte), indexed end to end with tiny-clip while RSS is sampled. Back-pressure (Batcher, decode semaphore)
 * should keep RSS flat: the figure is RSS once 10 % is done against RSS at the end, and the peak.
 */
export async function benchLargeImport(count: number) {
  const sources = fs.readdirSync(SAMPLES_DIR).filter((f) => f.endsWith('.jpg'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-import-'));
  for (let i = 0; i < count; i++) {
    const f = sources[i % sources.length]!;
    const sub = path.join(dir, `roll-${Math.floor(i / 500)}`);
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, `${i}-${f}`), Buffer.concat([fs.readFileSync(path.join(SAMPLES_DIR, f)), Buffer.from(String(i))]));
  }
  const library = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-'));
  const core = Core.open({ libraryDir: library, modelDir: TINY_CLIP });
  await core.index([]);
  const mib = () => process.memoryUsage.rss() / 2 ** 20;
  let peak = mib();
  let atTenth: number | undefined;
  const sampler = setInterval(() => (peak = Math.max(peak, mib())), 100);
  const stop = core.indexing.onProgress((s) => {
    if (atTenth === undefined && s.indexed >= count / 10) atTenth = mib();
  });
  const [report, seconds] = await timed(() => core.index([dir]));
  clearInterval(sampler);
  stop();
  const atEnd = mib();
  await core.close();
  fs.rmSync(library, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
  emit({ bench: 'large-import', model: 'tiny-clip', count, indexed: report.indexed, failed: report.failed.length, endToEndPerSecond: round(report.indexed / seconds),
    rssMiBAtTenPercent: round(atTenth ?? 0), rssMiBAtEnd: round(atEnd), peakRssMiBDuringImport: round(peak) });
}


/**
 * The plain pipeline (plain-pipeline.ts) in a process of its own, one run per process: `node --import tsx
 * test/bench/plain-pipeline-child.ts <pack dir> <file listing photo paths, one a line>` prints its photos/s.
 *
 * [Note: the baseline in a process of its own]
 * The indexer lowers the scheduling priority of the process's decoding threads ([Note: decoding yields to
 * inference]), and a thread's priority cannot be raised again without privilege: once an indexer run had
 * happened in the bench's process, the plain pipeline's decodes ran on the same lowered libuv threads and
 * the baseline was no longer plain. Each baseline run starts a fresh Node process instead (its session load
 * and warm-up batch are outside the timed part, as before, and of its two runs the second counts).
 */
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import os from 'node:os';
import { loadModelPack } from '../../app/model/load-pack.js';
import { plainPipeline, type PlainPipeline } from './plain-pipeline.js';

const self = fileURLToPath(import.meta.url);

/** The plain pipeline, each run in a fresh process (see [Note: the baseline in a process of its own]). */
export function plainPipelineInChild(packDir: string): PlainPipeline {
  return {
    async run(files) {
      const list = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-plain-')), 'files.txt');
      fs.writeFileSync(list, files.join('\n'));
      try {
        const out = execFileSync(process.execPath, ['--import', 'tsx', self, packDir, list], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
        const rate = Number(out.trim().split('\n').at(-1));
        if (!Number.isFinite(rate)) throw new Error(`the plain pipeline printed no rate: ${out}`);
        return rate;
      } finally {
        fs.rmSync(path.dirname(list), { recursive: true, force: true });
      }
    },
    release: async () => {},
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === self) {
  const [packDir, list] = process.argv.slice(2);
  const plain = await plainPipeline(loadModelPack(packDir!));
  const files = fs.readFileSync(list!, 'utf8').split('\n').filter(Boolean);
  // Twice, the second run counted: the baseline at its best, with its JavaScript compiled and ONNX Runtime's
  // arena grown, as it was when every run shared one warm process.
  const rates = [await plain.run(files), await plain.run(files)];
  await plain.release();
  console.error(`# plain pipeline in its own process: ${rates.map((r) => r.toFixed(2)).join(', then ')} photos/s`);
  console.log(rates[1]);
}

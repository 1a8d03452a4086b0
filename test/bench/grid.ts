/** Cold start to the first page of the library grid: a fresh Node process, catalog open, 200 photos. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { emit, ROOT, round } from './report.js';
import { syntheticLibrary } from './synthetic-library.js';

export function benchGrid(count: number): void {
  const library = syntheticLibrary(count);
  const runs: { wallMs: number; openMs: number; firstPageMs: number; page101Ms: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test', 'bench', 'grid-cold-start.ts'), library.dir], { cwd: ROOT, encoding: 'utf8' });
    const wallMs = performance.now() - t;
    runs.push({ wallMs, ...(JSON.parse(out.trim().split('\n').at(-1)!) as { openMs: number; firstPageMs: number; page101Ms: number }) });
  }
  const best = (k: keyof (typeof runs)[number]) => round(Math.min(...runs.map((r) => r[k])));
  // Wall time includes starting Node and compiling the TypeScript with tsx: an upper bound on the app's own work.
  emit({ bench: 'grid-cold-start', photos: count, pageSize: 200, processWallMs: best('wallMs'), catalogOpenMs: best('openMs'), firstPageMs: best('firstPageMs'), page101Ms: best('page101Ms'), runs: runs.length });
}

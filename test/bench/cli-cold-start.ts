/**
 * The compiled `shoebox` bin as a person runs it: fresh processes, wall time from spawn to exit.
 * - `--help` (no core loads);
 * - a cold text search of a realistic library (synthetic vectors filed under the pack's real identity, so the
 *   CLI searches them as it would photos it indexed) with a ViT-B/32-cost text tower, fp32 and int8;
 * - the fixed cost of a first `index`: one photo into a new library folder (catalog created, model registered,
 *   vision session, decoding thread, one photo stored, tags started).
 * Each figure is the median of RUNS fresh processes after one unmeasured run (the page cache holds the model
 * files, as on any machine that used them before; that run also writes whatever the app keeps between runs).
 * BENCH_CLI_BASELINE=<another build's out/main/shoebox.js> measures that build too, run for run interleaved
 * with this one, for before/after figures from one run on a noisy machine.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadModelPack } from '../../app/model/load-pack.js';
import { modelKey } from '../../app/model/model-identity.js';
import { photoSet, vitB32Pack } from './indexing.js';
import { emit, percentile, ROOT, round } from './report.js';
import { syntheticLibrary } from './synthetic-library.js';

const BIN = path.join(ROOT, 'out', 'main', 'shoebox.js');
const BASELINE = process.env['BENCH_CLI_BASELINE'];
const RUNS = Number(process.env['BENCH_CLI_RUNS'] ?? 5);
const LIBRARY_PHOTOS = Number(process.env['BENCH_CLI_PHOTOS'] ?? 5000);
const GOALS = { helpS: 0.5, searchS: 1.0, firstIndexS: 2.0 };
/** GNU time, where there is one: the child's CPU seconds say how much of a wall time the machine's load added. */
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

interface Timing {
  wallS: number;
  cpuS: number | undefined;
}

/** One `shoebox` process, spawn to exit; throws with its stderr when it fails. */
function runBin(bin: string, args: string[]): Timing {
  const command = TIME ? [TIME, '-f', 'shoebox-bench-cpu %U %S', process.execPath] : [process.execPath];
  const t = performance.now();
  const result = spawnSync(command[0]!, [...command.slice(1), bin, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SHOEBOX_LIBRARY: '', SHOEBOX_MODEL: '' } });
  const wallS = (performance.now() - t) / 1000;
  if (result.status !== 0) throw new Error(`shoebox ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  const cpu = /shoebox-bench-cpu ([\d.]+) ([\d.]+)/.exec(result.stderr);
  return { wallS, cpuS: cpu ? Number(cpu[1]) + Number(cpu[2]) : undefined };
}

interface ColdFigures {
  medianS: number;
  firstS: number;
  perRun: string;
  cpuMedianS?: number;
}

/**
 * For each build: one unmeasured run, then the median of RUNS (builds alternating run by run); `prepare`
 * runs before each process, outside the timing.
 */
function coldRuns(bins: string[], args: () => string[], prepare: () => void = () => {}): (ColdFigures | string)[] {
  // A baseline that cannot run this (a library of a newer schema, say) is reported as such, not measured.
  const first = bins.map((bin, b) => {
    prepare();
    try {
      return runBin(bin, args()).wallS;
    } catch (err) {
      if (b === 0) throw err;
      return (err as Error).message.split('\n')[0]!;
    }
  });
  const runnable = bins.map((_, b) => typeof first[b] === 'number');
  const runs: Timing[][] = bins.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    bins.forEach((bin, b) => {
      if (!runnable[b]) return;
      prepare();
      runs[b]!.push(runBin(bin, args()));
    });
  }
  const median = (xs: number[]) => round(percentile([...xs].sort((a, b) => a - b), 0.5));
  return runs.map((timings, b) => {
    const firstS = first[b]!;
    if (typeof firstS === 'string') return firstS;
    const cpu = timings.map((t) => t.cpuS).filter((c): c is number => c !== undefined);
    return { medianS: median(timings.map((t) => t.wallS)), firstS: round(firstS), perRun: timings.map((t) => round(t.wallS)).join(' '), ...(cpu.length ? { cpuMedianS: median(cpu) } : {}) };
  });
}

/** This build's figures with the goal beside them, then the baseline's, if any. */
function emitFigures(row: Record<string, unknown>, limitS: number, figures: (ColdFigures | string)[]): void {
  const [now, baseline] = figures as [ColdFigures, (ColdFigures | string)?];
  emit({ ...row, runs: RUNS, ...now, goal: `< ${limitS} s`, met: now.medianS < limitS ? 'yes' : 'NO' });
  if (typeof baseline === 'string') emit({ ...row, build: `baseline ${BASELINE}`, skipped: baseline });
  else if (baseline) emit({ ...row, build: `baseline ${BASELINE}`, runs: RUNS, ...baseline, ratioToBaseline: round(now.medianS / baseline.medianS) });
}

export async function benchCliColdStart(): Promise<void> {
  const bins = [BIN, ...(BASELINE ? [BASELINE] : [])];
  for (const bin of bins) if (!fs.existsSync(bin)) throw new Error(`${bin} missing: run npx electron-vite build first`);
  emitFigures({ bench: 'cli-help' }, GOALS.helpS, coldRuns(bins, () => ['--help']));

  const packs = (['fp32', 'int8'] as const).map((p) => [p, vitB32Pack(p)] as const).filter((p): p is readonly ['fp32' | 'int8', string] => p[1] !== undefined);
  if (packs.length === 0) console.log('# ../shared/models/vit-b32-shape not found: cold search and first index skipped');
  const photo = photoSet(1);
  const onePhoto = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-one-'));
  fs.copyFileSync(photo.files[0]!, path.join(onePhoto, path.basename(photo.files[0]!)));
  fs.rmSync(path.dirname(photo.files[0]!), { recursive: true, force: true });
  for (const [precision, dir] of packs) {
    const pack = loadModelPack(dir);
    const library = syntheticLibrary(LIBRARY_PHOTOS, { key: await modelKey(pack), name: pack.name });
    const search = coldRuns(bins, () => ['search', 'boats on a lake at sunset', '--library', library.dir, '--model', dir]);
    emitFigures({ bench: 'cli-search-cold', model: pack.name, precision, photos: LIBRARY_PHOTOS }, GOALS.searchS, search);

    let fresh = '';
    const index = coldRuns(
      bins,
      () => ['index', onePhoto, '--library', fresh, '--model', dir, '--json'],
      () => {
        if (fresh) fs.rmSync(fresh, { recursive: true, force: true });
        fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-fresh-'));
      },
    );
    fs.rmSync(fresh, { recursive: true, force: true });
    emitFigures({ bench: 'cli-first-index', model: pack.name, precision, photos: 1 }, GOALS.firstIndexS, index);
  }
  fs.rmSync(onePhoto, { recursive: true, force: true });
}

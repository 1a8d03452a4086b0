/** Shared by the benchmarks: one JSON line per figure as it is measured, and a table of them all at the end. */
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const SHARED = path.resolve(ROOT, '..', 'shared');
export const CACHE = path.join(ROOT, 'test', '.cache', 'bench');

const rows: Record<string, unknown>[] = [];

export function emit(row: Record<string, unknown>): void {
  rows.push(row);
  console.log(JSON.stringify(row));
}

export function round(x: number): number {
  return Math.round(x * 100) / 100;
}

export async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const value = await fn();
  return [value, (performance.now() - t) / 1000];
}

/** The value below which `q` of the sorted sample lies (nearest rank). */
export function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function emitMachine(): void {
  const cpu = os.cpus()[0]?.model ?? 'unknown';
  emit({ bench: 'machine', cpu, cores: os.availableParallelism(), memoryGiB: round(os.totalmem() / 2 ** 30), node: process.version, platform: `${process.platform}-${process.arch}`, loadAverage: os.loadavg().map(round) });
}

export function printTable(): void {
  console.log('\n| bench | model | figures |\n|---|---|---|');
  for (const row of rows) {
    const { bench, model, ...rest } = row;
    console.log(`| ${bench} | ${model ?? ''} | ${Object.entries(rest).map(([k, v]) => `${k}=${v}`).join(', ')} |`);
  }
}

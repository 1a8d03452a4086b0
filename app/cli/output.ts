import type { IndexReport } from '../indexer/index-report.js';
import type { SearchResult } from '../search/searcher.js';
import { displayName, hasRawBytes } from '../util/fs-names.js';

/**
 * A path as a person reads it: a name that is not UTF-8 in its display form, marked, since it is not what a
 * shell would take; `--json` keeps the exact form, which the CLI takes back (see [Note: file names that are
 * not UTF-8]).
 */
export function shownPath(file: string): string {
  return hasRawBytes(file) ? `${displayName(file)} [name not UTF-8]` : file;
}

export function writeJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export function printResults(results: SearchResult[], json: boolean, emptyMessage: string): void {
  if (json) {
    writeJson({ results: results.map((r) => ({ path: r.path, score: round(r.score) })) });
    return;
  }
  if (results.length === 0) {
    process.stdout.write(`${emptyMessage}\n`);
    return;
  }
  for (const r of results) process.stdout.write(`${r.score.toFixed(3)}  ${shownPath(r.path)}\n`);
}

export function printIndexReport(report: IndexReport, model: string): void {
  process.stdout.write(
    `${report.indexed} indexed, ${report.unchanged} unchanged, ${report.removed} removed, ${report.failed.length} failed in ${report.seconds} s (model ${model})\n`,
  );
  for (const f of report.failed) process.stdout.write(`  failed: ${shownPath(f.path)}: ${f.error}\n`);
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/**
 * `npm run bench [-- part ...]`: every benchmark in one run on this machine, or only the named parts
 * (indexing, import, search, dupes, dupes-dev, grid, cli). Prints machine info and one JSON line per figure, then a table.
 * Scale benchmarks use synthetic libraries cached under test/.cache/bench (see synthetic-library.ts);
 * BENCH_SEARCH_SIZES (default 10000,100000,1000000) and BENCH_DUPES (default 100000) pick their sizes.
 */
import { benchCliColdStart } from './cli-cold-start.js';
import { benchDuplicateScan } from './duplicate-scan.js';
import { benchDuplicatesDev } from './duplicates-dev.js';
import { benchGrid } from './grid.js';
import { benchIndexingAll, vitB32Pack } from './indexing.js';
import { benchLargeImport } from './large-import.js';
import { emit, emitMachine, printTable, round } from './report.js';
import { benchSearch } from './search.js';

const PARTS = ['indexing', 'import', 'search', 'dupes', 'dupes-dev', 'grid', 'cli'] as const;
const asked = process.argv.slice(2).filter((a) => a !== '--');
const unknown = asked.filter((a) => !(PARTS as readonly string[]).includes(a));
if (unknown.length) throw new Error(`unknown bench part ${unknown.join(', ')}: choose from ${PARTS.join(', ')}`);
const run = (part: (typeof PARTS)[number]) => asked.length === 0 || asked.includes(part);

emitMachine();
if (run('indexing')) await benchIndexingAll();
if (run('import')) await benchLargeImport(Number(process.env['BENCH_IMPORT'] ?? 3000));
if (run('search')) {
  const sizes = (process.env['BENCH_SEARCH_SIZES'] ?? '10000,100000,1000000').split(',').map(Number);
  const vit = vitB32Pack();
  for (const size of sizes) await benchSearch(size, vit);
}
if (run('dupes')) await benchDuplicateScan(Number(process.env['BENCH_DUPES'] ?? 100_000));
if (run('dupes-dev')) await benchDuplicatesDev();
if (run('grid')) benchGrid(100_000);
if (run('cli')) await benchCliColdStart();
emit({ bench: 'memory', peakRssMiB: round(process.resourceUsage().maxRSS / 1024) });
printTable();

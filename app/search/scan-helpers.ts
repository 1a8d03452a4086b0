import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { SCAN_BINS, scanSigns, type ScanJob } from './sign-scan.js';

/**
 * [Note: parallel sign scan]
 * At 1 000 000 photos the sign scan is ~50 ms of one core, most of a search's time. Helper threads share the
 * codes and the scores (SharedArrayBuffer) and each scans a slice of the rows while the searching thread scans
 * its own; that thread then waits for them with Atomics.wait, so search stays a synchronous call and no
 * caller changes. A helper that is not listening yet (it starts in the background when the index loads) or
 * does not answer within HELPER_TIMEOUT_MS has its slice scanned by the searching thread instead: a slow or
 * dead helper costs time, never results.
 *
 * A helper runs scanSigns from its source text (it is self-contained), so the thread needs no module loader
 * when Shoebox runs from TypeScript and no separate entry in the Electron bundle, and both threads always run
 * the same code.
 */
const HELPER_TIMEOUT_MS = 2_000;

interface Helper {
  worker: Worker;
  control: Int32Array;
  histogram: Uint32Array;
  broken: boolean;
}

export class ScanHelpers {
  private readonly helpers: Helper[];

  constructor(
    private readonly codes: Uint32Array,
    private readonly words: number,
    private readonly scores: Float32Array,
    count = defaultHelperCount(),
  ) {
    const code = helperSource();
    this.helpers = Array.from({ length: count }, () => {
      const control = new Int32Array(new SharedArrayBuffer(8));
      const histogram = new Uint32Array(new SharedArrayBuffer(SCAN_BINS * 4));
      const workerData: HelperData = { codes, words, scores, histogram, control };
      const worker = new Worker(code, { eval: true, workerData });
      const helper: Helper = { worker, control, histogram, broken: false };
      worker.on('error', () => (helper.broken = true));
      worker.on('exit', () => (helper.broken = true));
      worker.unref(); // an idle helper never keeps the process alive
      return helper;
    });
  }

  /** Helpers listening now (they start in the background). */
  get ready(): number {
    return this.helpers.filter((h) => !h.broken && Atomics.load(h.control, 1) === 1).length;
  }

  /**
   * Scores rows 0..rows into the shared scores, split between the ready helpers and this thread, and returns
   * the histogram of all of them.
   */
  scan(job: Omit<ScanJob, 'from' | 'to'>, rows: number, histogram: Uint32Array): void {
    const working = this.helpers.filter((h) => !h.broken && Atomics.load(h.control, 1) === 1);
    const share = Math.ceil(rows / (working.length + 1));
    const slices = working.map((helper, i) => ({ helper, from: (i + 1) * share, to: Math.min(rows, (i + 2) * share) }));
    for (const { helper, from, to } of slices) {
      Atomics.store(helper.control, 0, 1);
      helper.worker.postMessage({ ...job, from, to });
    }
    scanSigns(this.codes, this.words, { ...job, from: 0, to: Math.min(rows, share) }, this.scores, histogram);
    for (const { helper, from, to } of slices) {
      if (Atomics.wait(helper.control, 0, 1, HELPER_TIMEOUT_MS) === 'timed-out') {
        helper.broken = true;
        void helper.worker.terminate();
        // Its slice again here: a late write from it would be the same scores of the same query.
        scanSigns(this.codes, this.words, { ...job, from, to }, this.scores, histogram);
        continue;
      }
      for (let b = 0; b < SCAN_BINS; b++) histogram[b]! += helper.histogram[b]!;
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.helpers.map((h) => h.worker.terminate()));
  }
}

/** What a helper thread gets once; each query then arrives as a ScanJob message. */
interface HelperData {
  codes: Uint32Array;
  words: number;
  scores: Float32Array;
  histogram: Uint32Array;
  /** [0]: 1 while a job runs, 0 when done; [1]: 1 once the thread listens. */
  control: Int32Array;
}

/** A helper thread's program: scan each job's rows into the shared scores and its histogram, then wake the searcher. */
function helperSource(): string {
  return `
const { parentPort, workerData } = require('node:worker_threads');
const scanSigns = ${scanSigns.toString()};
const { codes, words, scores, histogram, control } = workerData;
parentPort.on('message', (job) => {
  histogram.fill(0);
  scanSigns(codes, words, job, scores, histogram);
  Atomics.store(control, 0, 0);
  Atomics.notify(control, 0);
});
Atomics.store(control, 1, 1);
`;
}

/** One helper per core beyond the searching thread's, at most 3 (the scan is memory-bound beyond that). */
function defaultHelperCount(): number {
  return Math.max(0, Math.min(3, os.availableParallelism() - 1));
}

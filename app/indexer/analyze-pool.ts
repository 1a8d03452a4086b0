import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Piscina } from 'piscina';
import { DecodeError } from '../image/decode.js';
import { appRoot } from '../util/app-root.js';
import { loadPiscina } from '../util/heavy-modules.js';
import type { AnalysisSpec, PhotoAnalysis } from './analyze-photo.js';
import type { AnalyzeResult, AnalyzeTask } from './analyze-worker.js';

/**
 * [Note: analysis off the main thread]
 * A HEIC is decoded by libheif compiled to WebAssembly, which holds the calling thread for the whole decode
 * (a second or more for a 12 MP photo): those photos, and everything cut from them (analyze-photo.ts), go to a
 * piscina pool of worker threads, so the main thread, which also answers searches and the UI, stays free.
 * Every other format stays on the main thread: sharp runs its decode on libuv's thread pool, and the
 * JavaScript left per photo (EXIF, hashes, placeholder: ~3 ms, see [Note: hashes from the grid thumbnail])
 * is short beside the inference batches that thread already runs. All of them went to the pool before issue
 * 15, and measured against decoding on the main thread (same run, real photos ×4, 2 cores, load ~4) the pool
 * lost: int8 ViT-B/32 14.2 against 24.5 photos/s, fp32 9.4 against 10.5; in the run before, 5 of 6 rows. On
 * two cores the worker's JavaScript runs beside ONNX Runtime's two intra-op threads, and a parallel section
 * waits for its slowest thread; on the main thread that JavaScript waits for the batch instead.
 * The worker is a TypeScript file when Shoebox runs from source: workers get tsx's loader then.
 */
export class AnalyzePool {
  /** Created with the first analysis, piscina with it (see [Note: heavy modules on first use]). */
  private pool: Promise<Piscina<AnalyzeTask, AnalyzeResult>> | undefined;
  /** Threads that have analyzed a photo: for diagnostics (and the test that decoding left the main thread). */
  readonly workerThreadIds = new Set<number>();
  /** Photos analyzed here: for diagnostics (and the test that only HEIC comes here). */
  analyzed = 0;

  constructor(readonly threads = defaultDecodeThreads()) {}

  /** Loads piscina and creates the pool (its threads start with the first task); analyze does it too. */
  start(): Promise<Piscina<AnalyzeTask, AnalyzeResult>> {
    this.pool ??= loadPiscina().then((PiscinaPool) => this.create(PiscinaPool));
    return this.pool;
  }

  private create(PiscinaPool: typeof Piscina): Piscina<AnalyzeTask, AnalyzeResult> {
    const fromSource = import.meta.url.endsWith('.ts');
    const pool = new PiscinaPool<AnalyzeTask, AnalyzeResult>({
      // From the bundle this module may sit in out/main/chunks/: the worker entry is out/main/analyze-worker.js.
      filename: fromSource ? fileURLToPath(new URL('./analyze-worker.ts', import.meta.url)) : path.join(appRoot(), 'out', 'main', 'analyze-worker.js'),
      minThreads: 0,
      maxThreads: this.threads,
      // A decode is mostly sharp's native work on libuv's pool, awaited by the worker: one task at a time would
      // leave that pool idle while the worker's JavaScript runs. And each worker takes every file the indexer
      // has in flight, so it keeps decoding while the main thread is held by a batch's inference (see
      // [Note: decoding through a batch]).
      concurrentTasksPerWorker: DECODES_IN_FLIGHT,
      // Idle workers exit, so a library that is not indexing holds no decoder threads.
      idleTimeout: 5_000,
      ...(fromSource ? { execArgv: ['--import', 'tsx'] } : {}),
    });
    // A worker that dies outside a task (its module failed to load, say) is reported as a pool 'error' event;
    // unhandled, that event would end the whole process. Remember it and fail the next analyses instead.
    pool.on('error', (err: unknown) => (this.broken = err instanceof Error ? err : new Error(String(err))));
    return pool;
  }

  private broken: Error | undefined;

  /**
   * analyzeImage in a worker. Throws DecodeError for bad images, like the inline version. Takes the bytes:
   * a buffer that owns its whole memory (a file read whole) moves to the worker instead of being copied
   * (24 MP JPEGs are ~10 MB each) and is empty afterwards.
   */
  async analyze(bytes: Uint8Array, spec: AnalysisSpec, pixels?: Uint8Array): Promise<PhotoAnalysis> {
    if (this.broken) throw new Error(`the decoding threads failed: ${this.broken.message}`);
    const transferList = [bytes, pixels].filter(ownsItsMemory).map((b) => b.buffer as ArrayBuffer);
    const pool = await this.start();
    const result = await pool.run({ bytes, spec, ...(pixels ? { pixels } : {}) }, { transferList });
    if (!result.ok) throw result.decodeError ? new DecodeError(result.message) : new Error(result.message);
    const { analysis } = result;
    this.workerThreadIds.add(result.threadId);
    this.analyzed++;
    // Buffers arrive as plain Uint8Arrays: wrap them again, without copying.
    return {
      ...analysis,
      crop: asBuffer(analysis.crop),
      signature: asBuffer(analysis.signature),
      grid: { jpeg: asBuffer(analysis.grid.jpeg), thumbhash: analysis.grid.thumbhash },
    };
  }

  async close(): Promise<void> {
    const started = this.pool;
    this.pool = undefined;
    await (await started?.catch(() => undefined))?.destroy();
  }
}

/** A view over a whole, non-shared ArrayBuffer: moving that buffer takes nothing from anyone else (Node's small Buffers share a pool). */
function ownsItsMemory(b: Uint8Array | undefined): b is Uint8Array {
  return b !== undefined && b.buffer instanceof ArrayBuffer && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.byteLength > 0;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * [Note: decoding through a batch]
 * ONNX Runtime's `run` holds the main thread for a whole batch (0.2–1 s for ViT-B/32 on 2 cores). Decoding
 * goes on meanwhile only with the files handed out before it started: with two in flight (as before) the
 * decoding thread sat idle for most of each batch. Eight files in flight, in batches of eight, keep it busy;
 * same photos, same run (real photos ×4, 2 cores, photos/s): int8 ViT-B/32 17.7 → 20.7, fp32 11.2 → 12.5,
 * tiny-clip 26.4 → 32.0. Batches of 8 embed as fast as 16 (the threads × batch sweep in docs/benchmarks.md)
 * and hold the main thread half as long.
 */
export const DECODES_IN_FLIGHT = 8;
export const INFERENCE_BATCH = 8;

/** One thread fewer than the cores (inference needs one), at least one. */
export function defaultDecodeThreads(): number {
  return Math.max(1, os.availableParallelism() - 1);
}

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { appRoot } from '../util/app-root.js';
import type { TokenizerSpec } from './pack-types.js';

/**
 * [Note: the first query's tokens on another thread]
 * A cold text search needs two things before it can run the text tower: the tokenizer, which
 * @huggingface/tokenizers builds from the pack's 1.5 MB tokenizer.json (parse, vocabulary and merge tables:
 * 280 ms on the loaded 2-core machine, the largest part of a cold `shoebox search` after the other cuts), and
 * the text session, which ONNX Runtime opens on the calling thread. Both hold their thread, so done one after
 * the other they add up. The first texts of a model are therefore tokenized by a short-lived thread that
 * starts before the session opens; later texts use a tokenizer built on this thread on first need (a process
 * that stays up pays that once, on its second query). Should the thread fail, the texts are tokenized here.
 */

/** What the tokenizer thread is started with: texts to tokenize, or only the tokenizer to build ahead. */
export type TokenizeJob = { spec: TokenizerSpec; texts?: string[]; expected?: string[] };

/**
 * [Note: the tokenizer from the process's start]
 * Started when the search's texts are known, the thread above still finished 200 ms after the text session
 * had opened (quiet 2-core machine, int8 ViT-B/32 cost: session open 345 → 560 ms, tokens ready at 770 ms),
 * because parsing and building the tokenizer (90 + 195 ms) is longer than opening the session. A CLI search
 * therefore starts the thread as its first act, before the core's modules are loaded (190 ms): the pack is
 * found from the library folder here (`tokenizerOfLibrary`, the same rule as the core's), and the thread,
 * given the tokenizer's spec, loads nothing but the tokenizer library (given the library folder instead, it
 * spent 330 ms loading zod and the pack loader beside the core's own import), builds the tokenizer
 * meanwhile and waits for the texts. If the model turns out to use another tokenizer, or none was found, the
 * path above is taken. The thread is unreferenced until used, so a command that never embeds a text exits
 * without waiting for it.
 */
let early: { worker: Worker; built: Promise<string | undefined>; ready: Promise<Map<string, number[]>> } | undefined;

/**
 * Finds the library's tokenizer and starts the thread building it (for the `expected` texts when the caller
 * knows them: [Note: a tokenizer for the texts at hand]); resolves once the thread is started (the
 * caller then loads the core meanwhile: awaited before that import, the pack is read at once instead of
 * after the core's modules, which a concurrent dynamic import waits behind). `built` resolves to the tokenizer
 * file the thread built, or undefined when the library's pack could not be told.
 */
export async function prestartTokenizer(libraryDir: string, modelDir: string | undefined, expected?: string[]): Promise<{ built: Promise<string | undefined> }> {
  const spec = await import('./tokenizer-of-library.js').then(({ tokenizerOfLibrary }) => tokenizerOfLibrary(libraryDir, modelDir)).catch(() => undefined);
  if (!spec) return { built: Promise.resolve(undefined) };
  const worker = startThread({ spec, ...(expected ? { expected } : {}) });
  worker.unref();
  let tokens!: (ids: Map<string, number[]>) => void;
  const ready = new Promise<Map<string, number[]>>((resolve) => (tokens = resolve));
  const built = new Promise<string | undefined>((resolve) => {
    worker.once('message', (m: { texts: string[]; ids: number[][] }) => {
      tokens(new Map(m.texts.map((t, i) => [t, m.ids[i]!])));
      resolve(spec.path);
    });
    worker.once('error', () => resolve(undefined));
    worker.once('exit', () => resolve(undefined));
  });
  early = { worker, built, ready };
  return { built };
}

export async function tokenizeInWorker(spec: TokenizerSpec, texts: string[]): Promise<number[][]> {
  const started = early;
  early = undefined;
  if (started) {
    // Awaited from now on, still building maybe: the process must not exit under it.
    started.worker.ref();
    if ((await started.built) === spec.path) {
      // Texts it expected come tokenized with its "ready"; others are sent to it.
      const known = await started.ready;
      if (texts.every((t) => known.has(t))) {
        void started.worker.terminate();
        return texts.map((t) => known.get(t)!);
      }
      return idsFrom(started.worker, () => started.worker.postMessage(texts));
    }
    void started.worker.terminate();
  }
  return idsFrom(startThread({ spec, texts }), () => {});
}

function startThread(job: TokenizeJob): Worker {
  // From the bundle this module may sit in out/main/chunks/: the thread's entry is out/main/tokenize-worker.js.
  const fromSource = import.meta.url.endsWith('.ts');
  const file = fromSource ? fileURLToPath(new URL('./tokenize-worker.ts', import.meta.url)) : path.join(appRoot(), 'out', 'main', 'tokenize-worker.js');
  return new Worker(file, { workerData: job, ...(fromSource ? { execArgv: ['--import', 'tsx'] } : {}) });
}

function idsFrom(worker: Worker, send: () => void): Promise<number[][]> {
  return new Promise((resolve, reject) => {
    worker.once('message', (ids: number[][]) => resolve(ids));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the tokenizer thread ended (${code}) without tokens`)));
    send();
  });
}

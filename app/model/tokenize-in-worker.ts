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
export function tokenizeInWorker(spec: TokenizerSpec, texts: string[]): Promise<number[][]> {
  // From the bundle this module may sit in out/main/chunks/: the thread's entry is out/main/tokenize-worker.js.
  const fromSource = import.meta.url.endsWith('.ts');
  const file = fromSource ? fileURLToPath(new URL('./tokenize-worker.ts', import.meta.url)) : path.join(appRoot(), 'out', 'main', 'tokenize-worker.js');
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, { workerData: { spec, texts }, ...(fromSource ? { execArgv: ['--import', 'tsx'] } : {}) });
    worker.once('message', (ids: number[][]) => resolve(ids));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the tokenizer thread ended (${code}) without tokens`)));
  });
}

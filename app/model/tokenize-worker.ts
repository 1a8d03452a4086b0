import { parentPort, workerData } from 'node:worker_threads';
import type { TokenizeJob } from './tokenize-in-worker.js';
import { tokenizerOfLibrary } from './tokenizer-of-library.js';
import { ClipTokenizer } from './tokenizer.js';

/**
 * The thread of tokenize-in-worker.ts. Given texts, it builds the pack's tokenizer, posts their ids and ends.
 * Given a library instead (a CLI search that has just started), it finds the library's tokenizer, builds it,
 * posts which one it built, waits for the texts, posts their ids and ends.
 */
const job = workerData as TokenizeJob;
if ('texts' in job) {
  const tokenizer = new ClipTokenizer(job.spec);
  parentPort!.postMessage(job.texts.map((text) => tokenizer.encode(text)));
} else {
  const spec = await tokenizerOfLibrary(job.libraryDir, job.modelDir);
  const tokenizer = spec ? new ClipTokenizer(spec) : undefined;
  parentPort!.postMessage({ built: spec?.path });
  if (tokenizer) {
    parentPort!.once('message', (texts: string[]) => {
      parentPort!.postMessage(texts.map((text) => tokenizer.encode(text)));
      parentPort!.close();
    });
  }
}

import { parentPort, workerData } from 'node:worker_threads';
import type { TokenizeJob } from './tokenize-in-worker.js';
import { ClipTokenizer } from './tokenizer.js';

/**
 * The thread of tokenize-in-worker.ts: builds the pack's tokenizer; given texts, posts their ids and ends;
 * given none (a CLI search that has just started, maybe with the texts it expects), posts that it is ready,
 * waits for the texts, posts their ids and ends. It imports nothing but the tokenizer (see [Note: the tokenizer from the process's start]).
 */
const job = workerData as TokenizeJob;
// Built for the texts known now (the job's, or those a CLI search expects): see [Note: a tokenizer for the texts at hand].
const known = job.texts ?? job.expected;
const tokenizer = known ? ClipTokenizer.forTexts(job.spec, known) : new ClipTokenizer(job.spec);
let whole: ClipTokenizer | undefined;
const encode = (texts: string[]) => {
  const t = tokenizer.covers(texts) ? tokenizer : (whole ??= new ClipTokenizer(job.spec));
  return texts.map((text) => t.encode(text));
};
if (job.texts) {
  parentPort!.postMessage(encode(job.texts));
} else {
  // The expected texts' ids come with "ready": the search then needs no round trip (tokenize-in-worker.ts).
  const expected = job.expected ? [...new Set(job.expected)] : [];
  parentPort!.postMessage({ built: true, texts: expected, ids: encode(expected) });
  parentPort!.once('message', (texts: string[]) => {
    parentPort!.postMessage(encode(texts));
    parentPort!.close();
  });
}

import { parentPort, workerData } from 'node:worker_threads';
import type { TokenizerSpec } from './pack-types.js';
import { ClipTokenizer } from './tokenizer.js';

/** The thread of tokenize-in-worker.ts: builds the pack's tokenizer, encodes the texts it was started with, posts their ids and ends. */
const { spec, texts } = workerData as { spec: TokenizerSpec; texts: string[] };
const tokenizer = new ClipTokenizer(spec);
parentPort!.postMessage(texts.map((text) => tokenizer.encode(text)));

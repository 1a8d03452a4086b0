import { threadId } from 'node:worker_threads';
import { DecodeError } from '../image/decode.js';
import { messageOf } from '../util/errors.js';
import { analyzeImage, type AnalysisSpec, type PhotoAnalysis } from './analyze-photo.js';

export interface AnalyzeTask {
  bytes: Uint8Array;
  pixels?: Uint8Array;
  spec: AnalysisSpec;
}

/** Errors cross the thread boundary as values: a structured clone would lose the DecodeError class. */
export type AnalyzeResult = { ok: true; analysis: PhotoAnalysis; threadId: number } | { ok: false; decodeError: boolean; message: string };

/** The worker side of analyze-pool.ts (piscina calls the default export once per task). */
export default async function analyzeInWorker(task: AnalyzeTask): Promise<AnalyzeResult> {
  try {
    return { ok: true, analysis: await analyzeImage(task.bytes, task.spec, task.pixels ?? task.bytes), threadId };
  } catch (err) {
    return { ok: false, decodeError: err instanceof DecodeError, message: messageOf(err) };
  }
}

import { threadId } from 'node:worker_threads';
import { DecodeError } from '../image/decode.js';
import { messageOf } from '../util/errors.js';
import { loadExifr, loadSharp } from '../util/heavy-modules.js';
import { analyzeImage, type AnalysisSpec, type PhotoAnalysis } from './analyze-photo.js';

// This thread exists to decode: it loads what every photo needs as it starts (piscina waits for this module
// before handing it a task), while the main thread loads the model (ClipModel.prepareVision), rather than on
// its first photo. See [Note: heavy modules on first use].
await Promise.all([loadSharp(), loadExifr()]);

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

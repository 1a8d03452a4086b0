import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { appRoot } from '../util/app-root.js';
import type { ImagePreprocessing } from './pack-types.js';
import type { ExecutionProvider, SessionOptions } from './providers.js';

/**
 * [Note: inference off the main thread]
 * onnxruntime-node's `run` is synchronous under its promise: a batch of eight holds the calling thread for
 * 0.15–0.5 s (ViT-B/32 on two cores). On the core's main thread that stalled everything else for the whole
 * batch: searches and the UI's requests waited, and so did every photo being decoded, whose next libvips step
 * (crop, thumbnail, JPEG) is started from JavaScript, so the CPU that ONNX Runtime's threads left idle
 * between operators went unused (issue 15: indexing at 0.63–0.84 of a plain decode-then-infer loop). The
 * vision session therefore lives on a thread of its own; the main thread sends crops and gets vectors back
 * (8 × 150 KB copied a batch: well under a millisecond). The text tower stays on the main thread: a query is one
 * short run, and a search must not wait behind an indexing batch.
 */
export interface VisionThreadSpec {
  modelPath: string;
  /** Session options that can cross to a thread (the warning callback stays here). */
  options: Omit<SessionOptions, 'onWarning'>;
  preprocessing: ImagePreprocessing;
  declared: { input?: string; output?: string; file: string };
}

export type VisionRequest = { type: 'embed'; id: number; crops: Uint8Array[] } | { type: 'release' };
export type VisionReply =
  | { type: 'opened'; provider: ExecutionProvider }
  | { type: 'open-failed'; message: string }
  | { type: 'warning'; message: string }
  | { type: 'embedded'; id: number; vectors: Float32Array[] }
  | { type: 'failed'; id: number; message: string }
  | { type: 'released' };

type Pending = { resolve: (vectors: Float32Array[]) => void; reject: (err: Error) => void };

/** The vision tower on its own thread (see [Note: inference off the main thread]). */
export class VisionThread {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private ended: Error | undefined;
  private released: Promise<void> | undefined;

  private constructor(private readonly worker: Worker) {}

  /** Starts the thread and opens the session there; rejects with ONNX Runtime's reason when it cannot. */
  static open(spec: VisionThreadSpec, onWarning: (message: string) => void): Promise<{ thread: VisionThread; provider: ExecutionProvider }> {
    // From the bundle this module may sit in out/main/chunks/: the thread's entry is out/main/vision-worker.js.
    const fromSource = import.meta.url.endsWith('.ts');
    const file = fromSource ? fileURLToPath(new URL('./vision-worker.ts', import.meta.url)) : path.join(appRoot(), 'out', 'main', 'vision-worker.js');
    const worker = new Worker(file, { workerData: spec, ...(fromSource ? { execArgv: ['--import', 'tsx'] } : {}) });
    const thread = new VisionThread(worker);
    return new Promise((resolve, reject) => {
      worker.on('message', (reply: VisionReply) => {
        if (reply.type === 'opened') resolve({ thread, provider: reply.provider });
        else if (reply.type === 'open-failed') reject(new Error(reply.message));
        else if (reply.type === 'warning') onWarning(reply.message);
        else thread.settle(reply);
      });
      worker.on('error', (err) => {
        thread.end(err);
        reject(err);
      });
      worker.on('exit', (code) => {
        const err = new Error(`the inference thread ended (exit code ${code})`);
        thread.end(err);
        reject(err);
      });
    });
  }

  /** One batch of crops (clipCrop's RGB), one inference run on the thread; L2-normalized vectors. */
  embedCrops(crops: Buffer[]): Promise<Float32Array[]> {
    if (crops.length === 0) return Promise.resolve([]);
    if (this.ended || this.released) return Promise.reject(this.ended ?? new Error('the vision session was released'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'embed', id, crops } satisfies VisionRequest);
    });
  }

  /** Releases the session and ends the thread (ending it outright if it does not answer within 5 s). */
  release(): Promise<void> {
    if (this.ended) return Promise.resolve();
    this.released ??= new Promise<void>((resolve) => {
      const timer = setTimeout(() => void this.worker.terminate().finally(resolve), 5_000);
      this.worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.worker.postMessage({ type: 'release' } satisfies VisionRequest);
    });
    return this.released;
  }

  private settle(reply: VisionReply): void {
    if (reply.type !== 'embedded' && reply.type !== 'failed') return;
    const waiting = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (reply.type === 'embedded') waiting?.resolve(reply.vectors);
    else waiting?.reject(new Error(reply.message));
  }

  private end(err: Error): void {
    this.ended ??= err;
    for (const { reject } of this.pending.values()) reject(err);
    this.pending.clear();
  }
}

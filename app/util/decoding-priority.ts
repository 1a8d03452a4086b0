import fs from 'node:fs';
import os from 'node:os';

/**
 * [Note: decoding yields to inference]
 * While indexing, ONNX Runtime's intra-op threads (on the inference thread, [Note: inference off the main
 * thread]) share the cores with the threads that decode: libuv's pool, where sharp runs each pipeline, and
 * libvips' own workers. An operator's parallel section waits for its slowest thread, so a decode thread that
 * takes a core from one of them stalls the whole section; the inference thread measured ~425 ms a batch of 8
 * (fp32 ViT-B/32) when decoding kept pace behind it, and 800–1 200 ms for the first batches of a run, while
 * decoding filled the batches queued ahead. The plain pipeline the indexer is held to (issue 15) decodes in
 * the same gaps and paid the same, but the indexer decodes more (a wider working image, the grid JPEG).
 *
 * On Linux a thread has a nice value of its own (setpriority with a thread id), so the decoding threads are
 * lowered to DECODING_NICE: under contention the scheduler gives the core to inference, and decoding runs in
 * the idle time between its operators, which at batch 8 is ~0.5–0.7 of a core. Nothing else changes: when
 * inference waits for photos (a small model, 24 MP files), nothing competes and decoding gets every core, and
 * the threads are never starved (a weight, not a strict priority). Threads are found by the names libuv and
 * libvips give them; new ones (libvips starts and ends its workers as pipelines need them; a thread started by
 * a lowered thread inherits its nice value) are picked up every POLL_MS while a run lasts. Lowering one's own
 * threads needs no privilege; they are not raised again afterwards (that would need one), and idle threads
 * cost nothing at any priority. Elsewhere (macOS, Windows: no per-thread nice through Node) this does nothing.
 */
/**
 * Nice 10's weight in Linux's scheduler is 110 against nice 0's 1 024: ~9 : 1 for a contested core, so a
 * parallel section of inference is rarely held up by a decode, and a decode still moves when nothing idles.
 */
export const DECODING_NICE = 10;
const DECODING_THREADS = /^(libuv-worker|libvips worker)/;
/** New libvips workers within a quarter of a second: a batch of inference lasts 0.15–1 s. */
const POLL_MS = 250;

/** Lowers the decoding threads now and every POLL_MS until the returned function is called. */
export function lowerDecodingPriority(): () => void {
  if (process.platform !== 'linux') return () => {};
  lowerNow();
  const timer = setInterval(lowerNow, POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** Threads of this process that were lowered (or already were): for diagnostics and the test. */
export function lowerNow(): number {
  let lowered = 0;
  let tasks: string[];
  try {
    tasks = fs.readdirSync('/proc/self/task');
  } catch {
    return 0;
  }
  for (const task of tasks) {
    try {
      if (!DECODING_THREADS.test(fs.readFileSync(`/proc/self/task/${task}/comm`, 'utf8'))) continue;
      const tid = Number(task);
      if (os.getPriority(tid) < DECODING_NICE) os.setPriority(tid, DECODING_NICE);
      lowered++;
    } catch {
      // The thread ended meanwhile, or the system refused: it keeps its priority, nothing else changes.
    }
  }
  return lowered;
}

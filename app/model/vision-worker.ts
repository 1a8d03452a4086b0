import { parentPort, workerData } from 'node:worker_threads';
import { messageOf } from '../util/errors.js';
import { ClipImageEncoder } from './image-encoder.js';
import { openSession } from './providers.js';
import type { VisionRequest, VisionReply, VisionThreadSpec } from './vision-thread.js';

/** The thread of vision-thread.ts: opens the vision session, then embeds each batch it is sent. */
const spec = workerData as VisionThreadSpec;
const port = parentPort!;
const post = (reply: VisionReply) => port.postMessage(reply);

try {
  const { session, provider } = await openSession(spec.modelPath, { ...spec.options, onWarning: (message) => post({ type: 'warning', message }) });
  const encoder = new ClipImageEncoder(session, spec.preprocessing, spec.declared);
  // One batch at a time, in order: ONNX Runtime's run holds this thread anyway, and its intra-op threads are
  // the ones doing the work.
  let queue = Promise.resolve();
  port.on('message', (request: VisionRequest) => {
    queue = queue.then(async () => {
      if (request.type === 'release') {
        await encoder.release().catch(() => {});
        post({ type: 'released' });
        port.close();
        return;
      }
      try {
        const crops = request.crops.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength));
        post({ type: 'embedded', id: request.id, vectors: await encoder.embedCrops(crops) });
      } catch (err) {
        post({ type: 'failed', id: request.id, message: messageOf(err) });
      }
    });
  });
  post({ type: 'opened', provider });
} catch (err) {
  post({ type: 'open-failed', message: messageOf(err) });
  port.close();
}

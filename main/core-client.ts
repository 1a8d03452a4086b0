// The main process's handle on the core's utility process: starts it, hands each window an API port, and
// asks it the two lookups only the main process acts on (media files for the protocol, paths to reveal).
import { MessageChannelMain, utilityProcess, type UtilityProcess, type WebContents } from 'electron';
import path from 'node:path';
import type { CoreToMain, MainToCore } from '../app/api/desktop-messages.js';
import type { MediaSize } from '../app/library/media.js';

export class CoreClient {
  private readonly child: UtilityProcess;
  private nextRequest = 1;
  private readonly waiting = new Map<number, (message: CoreToMain) => void>();
  private stopping: Promise<void> | undefined;

  constructor(libraryDir: string, modelDir?: string) {
    this.child = utilityProcess.fork(path.join(import.meta.dirname, 'core-process.js'), [], { serviceName: 'Shoebox core' });
    this.child.on('message', (message: CoreToMain) => {
      if (message.type === 'warning') console.warn(`shoebox core: ${message.message}`);
      if ('requestId' in message) {
        this.waiting.get(message.requestId)?.(message);
        this.waiting.delete(message.requestId);
      }
    });
    this.post({ type: 'start', libraryDir, ...(modelDir ? { modelDir } : {}) });
  }

  /** Gives a window its own port straight to the core (the preload forwards it to the page). */
  connect(contents: WebContents): void {
    const { port1, port2 } = new MessageChannelMain();
    this.child.postMessage({ type: 'connect' } satisfies MainToCore, [port1]);
    contents.postMessage('shoebox:api-port', null, [port2]);
  }

  async media(id: number, size: MediaSize): Promise<{ file: string; contentType: string } | null> {
    const reply = await this.request((requestId) => ({ type: 'media', requestId, id, size }));
    return reply.type === 'media' && reply.file && reply.contentType ? { file: reply.file, contentType: reply.contentType } : null;
  }

  async photoPath(id: number): Promise<string | null> {
    const reply = await this.request((requestId) => ({ type: 'photo-path', requestId, id }));
    return reply.type === 'photo-path' ? reply.path : null;
  }

  /**
   * Asks the core to close its catalog and sessions, and resolves once it says it has (or after `timeoutMs`,
   * so a hung core never keeps the app from quitting). An Electron utility process does not exit on an empty
   * event loop, so it is killed once stopped.
   */
  stop(timeoutMs = 10_000): Promise<void> {
    this.stopping ??= new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.kill();
        resolve();
      };
      const onMessage = (message: CoreToMain) => {
        if (message.type === 'stopped') done();
      };
      const timer = setTimeout(done, timeoutMs);
      this.child.on('message', onMessage);
      this.child.once('exit', done);
      this.post({ type: 'stop' });
    });
    return this.stopping;
  }

  private post(message: MainToCore): void {
    this.child.postMessage(message);
  }

  private request(make: (requestId: number) => MainToCore): Promise<CoreToMain> {
    const requestId = this.nextRequest++;
    return new Promise((resolve) => {
      this.waiting.set(requestId, resolve);
      this.post(make(requestId));
    });
  }
}

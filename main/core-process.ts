// [Note: core in a utility process] The catalog, the model sessions and the watcher live here, in an Electron
// utilityProcess, never in the main process: SQLite queries and inference must not stall window management.
// Each window gets its own MessagePort straight to this process (handed over by main), so API calls do not
// pass through the main process at all. Imports only app/ code; `process.parentPort` is Electron's, no import.
import type { CoreToMain, MainToCore } from '../app/api/desktop-messages.js';
import { createHandlers } from '../app/api/handlers.js';
import { ApiRouter } from '../app/api/router.js';
import { serveChannel } from '../app/api/serve-channel.js';
import { Core } from '../app/core.js';
import { LibraryService } from '../app/library/library-service.js';
import { mediaFile } from '../app/library/media.js';
import { messageOf } from '../app/util/errors.js';

interface Running {
  core: Core;
  library: LibraryService;
  router: ApiRouter;
}

const parent = process.parentPort;
const send = (message: CoreToMain) => parent.postMessage(message);
const warn = (message: string) => send({ type: 'warning', message });
let running: Promise<Running> | undefined;

async function start(libraryDir: string, modelDir: string | undefined): Promise<Running> {
  const core = Core.open({ libraryDir, ...(modelDir ? { modelDir } : {}), onWarning: warn });
  const library = new LibraryService(core, { onWarning: warn });
  const router = new ApiRouter(createHandlers(library), (method, err) => warn(`${method} failed: ${messageOf(err)}`));
  await library.start();
  send({ type: 'ready' });
  return { core, library, router };
}

parent.on('message', (event) => {
  const message = event.data as MainToCore;
  switch (message.type) {
    case 'start':
      running ??= start(message.libraryDir, message.modelDir);
      return;
    case 'connect': {
      const port = event.ports[0];
      if (!port || !running) return;
      void running.then(({ router, library }) => {
        const detach = serveChannel(router, library, {
          send: (m) => port.postMessage(m),
          onMessage: (receive) => {
            port.on('message', (e) => receive(e.data));
            port.start();
          },
        });
        port.on('close', detach);
      });
      return;
    }
    case 'media':
      void running
        ?.then(({ core }) => mediaFile(core, message.id, message.size))
        .then(
          (media) => send({ type: 'media', requestId: message.requestId, file: media?.file ?? null, contentType: media?.contentType ?? null }),
          (err: unknown) => send({ type: 'media', requestId: message.requestId, file: null, contentType: null, error: messageOf(err) }),
        );
      return;
    case 'photo-path':
      void running?.then(({ core }) => send({ type: 'photo-path', requestId: message.requestId, path: core.catalog.photos.byId(message.id)?.path ?? null }));
      return;
    case 'stop':
      void running
        ?.then(async ({ core, library }) => {
          await library.close();
          await core.close();
        })
        .finally(() => send({ type: 'stopped' }));
      return;
  }
});

import path from 'node:path';
import { createHandlers } from '../../app/api/handlers.js';
import { ApiRouter } from '../../app/api/router.js';
import { Core } from '../../app/core.js';
import { LibraryService } from '../../app/library/library-service.js';
import { TINY_CLIP } from './fixtures.js';

/** The API as the transports serve it: a live library on tiny-clip in `root/library`, and its router. */
export async function openApi(root: string, folders: string[] = []): Promise<{ library: LibraryService; router: ApiRouter; close(): Promise<void> }> {
  const library = new LibraryService(Core.open({ libraryDir: path.join(root, 'library'), modelDir: TINY_CLIP }), { debounceMs: 100 });
  // An internal error fails the test loudly instead of becoming an `internal` answer.
  const router = new ApiRouter(createHandlers(library), (method, err) => {
    throw new Error(`${method}: ${String(err)}`);
  });
  await library.start();
  for (const folder of folders) await library.addFolder(folder);
  await library.idle();
  return {
    library,
    router,
    async close() {
      await library.close();
      await library.core.close();
    },
  };
}

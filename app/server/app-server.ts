import fs from 'node:fs';
import path from 'node:path';
import { createHandlers } from '../api/handlers.js';
import { ApiRouter } from '../api/router.js';
import type { Core } from '../core.js';
import { LibraryService } from '../library/library-service.js';
import { UserError, messageOf } from '../util/errors.js';
import { startServer, type RunningServer } from './http-server.js';
import { appRoot } from '../util/app-root.js';

/** Where `npm run build` puts the renderer (electron-vite's default layout). */
export const DEFAULT_RENDERER_DIR = path.join(appRoot(), 'out', 'renderer');

export interface AppServerOptions {
  core: Core;
  rendererDir?: string;
  port?: number;
  debounceMs?: number;
  onWarning?: (message: string) => void;
}

/** `shoebox serve`: the live library, the API router over it, and the HTTP/WebSocket transport. */
export async function startAppServer(options: AppServerOptions): Promise<{ server: RunningServer; library: LibraryService }> {
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new UserError(`the renderer is not built in ${rendererDir}: run \`npm run build\` first (or pass --renderer DIR)`);
  }
  const warn = options.onWarning ?? (() => {});
  const library = new LibraryService(options.core, { ...(options.debounceMs !== undefined ? { debounceMs: options.debounceMs } : {}), onWarning: warn });
  const router = new ApiRouter(createHandlers(library), (method, err) => warn(`${method} failed: ${messageOf(err)}`));
  const server = await startServer({ library, router, rendererDir, ...(options.port !== undefined ? { port: options.port } : {}) });
  await library.start();
  return { server, library };
}

import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebSocket } from 'ws';
import type { ServerMessage } from '../api/messages.js';
import type { ApiRouter } from '../api/router.js';
import { serveChannel } from '../api/serve-channel.js';
import type { LibraryService } from '../library/library-service.js';
import { MEDIA_SIZES, mediaFile, type MediaSize } from '../library/media.js';
import { messageOf } from '../util/errors.js';
import { loadWebSocketServer } from '../util/heavy-modules.js';
import { TOKEN_COOKIE, isAuthorized, isLoopbackHost, isOwnOrigin, newToken, queryToken } from './auth.js';
import { contentSecurityPolicy } from './csp.js';
import { resolveStatic } from './static-files.js';

export interface ServeOptions {
  library: LibraryService;
  router: ApiRouter;
  /** The built renderer (index.html and its assets). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
}

export interface RunningServer {
  /** The address to open, with the token: the first visit trades it for a cookie. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/**
 * Browser mode: the renderer, its media and the API (a WebSocket at /api carrying the message protocol of
 * [Note: API messages]) on 127.0.0.1 only, behind the per-run token of [Note: serve authentication].
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? newToken();
  const WebSocketServer = await loadWebSocketServer(); // see [Note: heavy modules on first use]
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  let port = 0;

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `internal error: ${messageOf(err)}`);
      else res.destroy();
    });
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!isLoopbackHost(req, port)) return send(res, 421, 'text/plain; charset=utf-8', 'wrong host');
    if (!isAuthorized(req, token)) return send(res, 401, 'text/plain; charset=utf-8', 'this address needs the token printed by `shoebox serve`');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    // The first visit carries the token in the address; keep it in a cookie and drop it from the address bar.
    if (queryToken(req) !== undefined) {
      url.searchParams.delete('token');
      res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      res.writeHead(303, { Location: url.pathname + url.search }).end();
      return;
    }
    const media = /^\/media\/(\d+)\/([a-z]+)$/.exec(url.pathname);
    if (media) return serveMedia(res, Number(media[1]), media[2]!);
    const file = resolveStatic(options.rendererDir, url.pathname);
    if (!file) return send(res, 404, 'text/plain; charset=utf-8', 'not found');
    const headers: Record<string, string> = { 'Content-Type': file.contentType, 'X-Content-Type-Options': 'nosniff' };
    if (file.contentType.startsWith('text/html')) {
      headers['Content-Security-Policy'] = contentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]);
      headers['Cache-Control'] = 'no-store';
    }
    streamFile(res, file.file, headers);
  };

  const serveMedia = async (res: ServerResponse, id: number, size: string) => {
    if (!(MEDIA_SIZES as readonly string[]).includes(size)) return send(res, 404, 'text/plain; charset=utf-8', 'unknown size');
    let media;
    try {
      media = await mediaFile(options.library.core, id, size as MediaSize);
    } catch (err) {
      return send(res, 422, 'text/plain; charset=utf-8', `cannot show this photo: ${messageOf(err)}`);
    }
    if (!media) return send(res, 404, 'text/plain; charset=utf-8', 'no such photo in the library');
    streamFile(res, media.file, { 'Content-Type': media.contentType, 'Cache-Control': 'private, max-age=3600', 'X-Content-Type-Options': 'nosniff' });
  };

  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path !== '/api' || !isLoopbackHost(req, port) || !isOwnOrigin(req, port) || !isAuthorized(req, token)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  const attach = (ws: WebSocket) => {
    const detach = serveChannel(options.router, options.library, {
      send: (message: ServerMessage) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
      },
      onMessage: (receive) =>
        ws.on('message', (data) => {
          try {
            receive(JSON.parse(String(data)));
          } catch {
            // Not JSON: ignored, like any other message that is not a call.
          }
        }),
    });
    ws.on('close', detach);
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'X-Content-Type-Options': 'nosniff' }).end(body);
}

function streamFile(res: ServerResponse, file: string, headers: Record<string, string>): void {
  const stream = fs.createReadStream(file);
  stream.once('open', () => {
    res.writeHead(200, headers);
    stream.pipe(res);
  });
  stream.once('error', (err) => {
    if (!res.headersSent) send(res, 404, 'text/plain; charset=utf-8', `cannot read: ${messageOf(err)}`);
    else res.destroy();
  });
}

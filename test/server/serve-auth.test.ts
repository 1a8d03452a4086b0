import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Core } from '../../app/core.js';
import type { LibraryService } from '../../app/library/library-service.js';
import { startAppServer } from '../../app/server/app-server.js';
import type { RunningServer } from '../../app/server/http-server.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/cli.js';

/** A raw request, so the Host header and cookies are exactly what the test says (fetch would set its own). */
function get(port: number, pathName: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: pathName, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
  });
}

function openSocket(port: number, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
  });
}

describe('shoebox serve: loopback, token, catalog-only media', () => {
  let server: RunningServer;
  let library: LibraryService;
  let photoId: number;
  let cookie: string;

  beforeAll(async () => {
    const root = tempDir('shoebox-serve-');
    const renderer = path.join(root, 'renderer');
    fs.mkdirSync(renderer);
    fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Shoebox</title>');
    const photos = path.join(root, 'photos');
    fs.mkdirSync(photos);
    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_000.jpg'), path.join(photos, 'sample_000.jpg'));
    const core = Core.open({ libraryDir: path.join(root, 'library'), modelDir: TINY_CLIP });
    ({ server, library } = await startAppServer({ core, rendererDir: renderer, port: 0, debounceMs: 100 }));
    await library.addFolder(photos);
    await library.idle();
    photoId = core.catalog.photos.byPath(path.join(photos, 'sample_000.jpg'))!.id;
  });

  afterAll(async () => {
    await server.close();
    await library.close();
    await library.core.close();
  });

  it('listens on 127.0.0.1 and gives the token in its URL', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{32}$`));
  });

  it('refuses every request without the token, and a wrong token', async () => {
    for (const p of ['/', '/index.html', `/media/${photoId}/grid`, '/assets/x.js']) expect((await get(server.port, p)).status).toBe(401);
    expect((await get(server.port, '/', { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await get(server.port, '/?token=wrong')).status).toBe(401);
  });

  it('refuses a foreign Host even with the token (DNS rebinding)', async () => {
    expect((await get(server.port, '/', { host: 'evil.example:80', authorization: `Bearer ${server.token}` })).status).toBe(421);
  });

  it('trades the token in the address for an HttpOnly cookie, then serves the page with a strict CSP', async () => {
    const first = await get(server.port, `/?token=${server.token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const setCookie = first.headers['set-cookie']![0]!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    cookie = setCookie.split(';')[0]!;
    const page = await get(server.port, '/', { cookie });
    expect(page.status).toBe(200);
    expect(page.body.toString()).toContain('<title>Shoebox</title>');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
  });

  it('serves only photos in the catalog, never an arbitrary path', async () => {
    const grid = await get(server.port, `/media/${photoId}/grid`, { cookie });
    expect(grid.status).toBe(200);
    expect(grid.headers['content-type']).toBe('image/jpeg');
    expect((await get(server.port, `/media/${photoId}/original`, { cookie })).headers['content-type']).toBe('image/jpeg');
    expect((await get(server.port, '/media/999999/grid', { cookie })).status).toBe(404);
    expect((await get(server.port, `/media/${photoId}/huge`, { cookie })).status).toBe(404);
    for (const attack of ['/media/../../../../etc/passwd', '/..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd']) {
      const res = await get(server.port, attack, { cookie });
      expect(res.body.toString()).not.toContain('root:');
    }
  });

  it('accepts the API socket only with the token and from its own origin', async () => {
    await expect(openSocket(server.port, {})).rejects.toThrow(/401/);
    await expect(openSocket(server.port, { cookie, origin: 'http://evil.example' })).rejects.toThrow(/401/);
    const ws = await openSocket(server.port, { cookie, origin: `http://127.0.0.1:${server.port}` });
    const reply = await new Promise<{ ok: boolean; value: { photoCount: number } }>((resolve) => {
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string; id?: number; ok: boolean; value: { photoCount: number } };
        if (message.type === 'result' && message.id === 1) resolve(message);
      });
      ws.send(JSON.stringify({ type: 'call', id: 1, method: 'status', input: {} }));
    });
    expect(reply.ok).toBe(true);
    expect(reply.value.photoCount).toBe(1);
    ws.close();
  });
});

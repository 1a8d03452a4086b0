import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TINY_CLIP } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/cli.js';
import { startServe, type ServeProcess } from './serve-process.js';

/** A raw GET, so the path reaches the server exactly as written (fetch and URL would normalize `..`). */
function rawGet(origin: string, rawPath: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: rawPath, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a socket and reports whether the server accepted it (and the HTTP status if it refused). */
function trySocket(origin: string, options: { headers?: Record<string, string>; origin?: string }): Promise<{ open: boolean; status?: number; ws?: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${origin.replace('http', 'ws')}/api`, { headers: options.headers ?? {}, ...(options.origin ? { origin: options.origin } : {}) });
    ws.once('open', () => resolve({ open: true, ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ open: false, status: res.statusCode ?? 0 }));
    ws.once('error', () => resolve({ open: false }));
  });
}

describe('serve: token, sockets and media paths', () => {
  let serve: ServeProcess;
  let auth: Record<string, string>;
  const dirs = { renderer: tempDir('e2e-renderer'), library: tempDir('e2e-sec-lib') };

  beforeAll(async () => {
    fs.writeFileSync(path.join(dirs.renderer, 'index.html'), '<!doctype html><title>Shoebox test page</title>');
    serve = await startServe({ library: dirs.library, model: TINY_CLIP, renderer: dirs.renderer });
    auth = { Authorization: `Bearer ${serve.token}` };
  });

  afterAll(async () => {
    await serve?.stop();
    for (const dir of Object.values(dirs)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses requests without the token, and with a wrong one', async () => {
    expect((await fetch(`${serve.origin}/`)).status).toBe(401);
    expect((await fetch(`${serve.origin}/media/1/grid`)).status).toBe(401);
    expect((await fetch(`${serve.origin}/?token=not-the-token`)).status).toBe(401);
    expect((await fetch(`${serve.origin}/`, { headers: { Authorization: 'Bearer nope' } })).status).toBe(401);
  });

  it('trades the token in the address for a cookie, which then authorizes', async () => {
    const first = await fetch(serve.url, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toContain('HttpOnly');
    const page = await fetch(`${serve.origin}/`, { headers: { Cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Shoebox test page');
  });

  it('refuses a WebSocket without the token or from another origin, and accepts ours', async () => {
    const anonymous = await trySocket(serve.origin, {});
    expect(anonymous.open).toBe(false);
    expect(anonymous.status).toBe(401);

    const foreign = await trySocket(serve.origin, { headers: auth, origin: 'http://evil.example' });
    expect(foreign.open).toBe(false);

    const ours = await trySocket(serve.origin, { headers: auth, origin: serve.origin });
    expect(ours.open).toBe(true);
    const reply = await new Promise<{ ok: boolean; value: { photoCount: number } }>((resolve) => {
      ours.ws!.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string; id?: number; ok: boolean; value: { photoCount: number } };
        if (message.type === 'result' && message.id === 1) resolve(message);
      });
      ours.ws!.send(JSON.stringify({ type: 'call', id: 1, method: 'status', input: {} }));
    });
    ours.ws!.close();
    expect(reply.ok).toBe(true);
    expect(reply.value.photoCount).toBe(0);
  });

  it('serves media only for photo ids in the catalog', async () => {
    expect((await fetch(`${serve.origin}/media/999999/grid`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${serve.origin}/media/1/huge`, { headers: auth })).status).toBe(404);
  });

  it('never serves a file outside the renderer for ..-style paths', async () => {
    const attempts = [
      '/media/../../etc/passwd',
      '/../../../../etc/passwd',
      '/..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/media/..%2f..%2f..%2fetc%2fpasswd/grid',
      '/....//....//etc/passwd',
    ];
    for (const attempt of attempts) {
      const { status, body } = await rawGet(serve.origin, attempt, auth);
      expect(body, attempt).not.toMatch(/root:.*:0:0:/);
      // Unknown paths fall back to the app page (client-side routes) or are refused: never another file.
      if (status === 200) expect(body, attempt).toContain('Shoebox test page');
      else expect([400, 404], attempt).toContain(status);
    }
  });
});

import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { TINY_CLIP } from '../helpers/fixtures.js';

/** The files a tiny-clip pack needs, as the registry lists them. */
export const TINY_CLIP_FILES = ['manifest.json', 'vision_model.onnx', 'text_model.onnx', 'tokenizer.json', 'tokenizer_config.json', 'preprocessor_config.json'];

export interface ServedRequest {
  path: string;
  range: string | undefined;
}

export interface PackServer {
  baseUrl: string;
  requests: ServedRequest[];
  /** Cut the next response to `urlPath` after `bytes` bytes by destroying the socket. */
  cutNext(urlPath: string, bytes: number, then?: 'keep-serving' | 'shut-down'): void;
  close(): Promise<void>;
}

/**
 * A real HTTP server for pack files: `GET /<pack>/<file>` with `Range: bytes=N-` support (206), like the
 * Hugging Face CDN. `cutNext` simulates a dropped connection half way, or a server that goes away.
 */
export async function startPackServer(files: Record<string, Buffer>, port = 0): Promise<PackServer> {
  const requests: ServedRequest[] = [];
  const cuts = new Map<string, { bytes: number; then: 'keep-serving' | 'shut-down' }>();
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push({ path: urlPath, range: req.headers.range });
    const body = files[urlPath];
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    let start = 0;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range) {
      start = Number(range[1]);
      if (start >= body.length) {
        res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
        return;
      }
      res.writeHead(206, { 'content-length': body.length - start, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}`, 'accept-ranges': 'bytes' });
    } else {
      res.writeHead(200, { 'content-length': body.length, 'accept-ranges': 'bytes' });
    }
    const cut = cuts.get(urlPath);
    if (!cut) {
      res.end(body.subarray(start));
      return;
    }
    cuts.delete(urlPath);
    res.write(body.subarray(start, start + cut.bytes), () => {
      // Let the bytes reach the client before the connection drops, as a real network failure would.
      setTimeout(() => {
        req.socket.destroy();
        if (cut.then === 'shut-down') {
          server.close();
          server.closeAllConnections();
        }
      }, 50);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    requests,
    cutNext: (urlPath, bytes, then = 'keep-serving') => cuts.set(urlPath, { bytes, then }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        if (!server.listening) resolve();
      }),
  };
}

export function tinyClipFiles(): Record<string, Buffer> {
  return Object.fromEntries(TINY_CLIP_FILES.map((f) => [f, fs.readFileSync(path.join(TINY_CLIP, f))]));
}

/** Serves every pack's files under `/<pack id>/<file>`. */
export function servedFiles(packs: Record<string, Record<string, Buffer>>): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [id, files] of Object.entries(packs)) for (const [name, body] of Object.entries(files)) out[`/${id}/${name}`] = body;
  return out;
}

/**
 * Writes a registry listing `packs` as served by `baseUrl`, with each file's real size and sha256
 * (or a wrong sha256 for the files named in `wrongSha`).
 */
export function writeRegistry(file: string, baseUrl: string, packs: Record<string, Record<string, Buffer>>, wrongSha: string[] = []): void {
  const ids = Object.keys(packs);
  const registry = {
    version: 1,
    default: ids[0],
    packs: ids.map((id) => ({
      id,
      title: `test pack ${id}`,
      description: 'tiny-clip served by a local test server',
      source: `${baseUrl}/${id}`,
      licence: 'MIT (test fixture)',
      languages: ['en'],
      embeddingDim: 64,
      imagenetZeroShotTop1: null,
      approxBytes: 7_000_000,
      files: Object.entries(packs[id]!).map(([name, body]) => ({
        path: name,
        url: `${baseUrl}/${id}/${name}`,
        bytes: body.length,
        sha256: wrongSha.includes(name) ? '0'.repeat(64) : crypto.createHash('sha256').update(body).digest('hex'),
      })),
    })),
  };
  fs.writeFileSync(file, JSON.stringify(registry, null, 2));
}

/** tiny-clip under another name: a different model identity (own vec0 table) with the same weights. */
export function renamedTinyClip(name: string): Record<string, Buffer> {
  const files = tinyClipFiles();
  const manifest = JSON.parse(files['manifest.json']!.toString('utf8')) as { name: string };
  manifest.name = name;
  return { ...files, 'manifest.json': Buffer.from(JSON.stringify(manifest, null, 1)) };
}

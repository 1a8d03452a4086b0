import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { downloadFile, type DownloadProgress } from '../../app/models/download.js';
import { UserError } from '../../app/util/errors.js';
import { tempDir } from '../helpers/cli.js';
import { startPackServer, tinyClipFiles, type PackServer } from './pack-server.js';

const body = tinyClipFiles()['vision_model.onnx']!;
const sha = crypto.createHash('sha256').update(body).digest('hex');
const servers: PackServer[] = [];

async function serve(port = 0): Promise<PackServer> {
  const server = await startPackServer({ '/p/vision_model.onnx': body }, port);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function spec(server: PackServer, dir: string, overrides: { sha256?: string | null; bytes?: number | null } = {}) {
  return { url: `${server.baseUrl}/p/vision_model.onnx`, dest: path.join(dir, 'vision_model.onnx'), label: 'vision_model.onnx', sha256: sha, bytes: body.length, ...overrides };
}

describe('downloadFile', () => {
  it('downloads, verifies and renames into place, reporting bytes, rate and ETA', async () => {
    const server = await serve();
    const dir = tempDir('dl');
    const progress: DownloadProgress[] = [];
    const result = await downloadFile(spec(server, dir), { onProgress: (p) => progress.push(p) });
    expect(result).toEqual({ sha256: sha, bytes: body.length, resumedFrom: 0 });
    expect(fs.readFileSync(path.join(dir, 'vision_model.onnx')).equals(body)).toBe(true);
    expect(fs.existsSync(path.join(dir, 'vision_model.onnx.partial'))).toBe(false);
    const last = progress.at(-1)!;
    expect(last).toMatchObject({ file: 'vision_model.onnx', receivedBytes: body.length, totalBytes: body.length, etaSeconds: 0 });
    expect(last.bytesPerSecond).toBeGreaterThan(0);
  });

  it('resumes with a Range request after the connection drops half way', async () => {
    const server = await serve();
    const dir = tempDir('dl');
    const half = Math.floor(body.length / 2);
    server.cutNext('/p/vision_model.onnx', half);
    const result = await downloadFile(spec(server, dir), { retries: 1, retryDelayMs: 10 });
    expect(result.sha256).toBe(sha);
    const [first, second] = server.requests.map((r) => r.range);
    expect(first).toBeUndefined();
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(second ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(half);
    expect(fs.readFileSync(path.join(dir, 'vision_model.onnx')).equals(body)).toBe(true);
  });

  it('keeps the partial file when the server goes away, and a later run resumes it', async () => {
    const server = await serve();
    const dir = tempDir('dl');
    const half = Math.floor(body.length / 2);
    server.cutNext('/p/vision_model.onnx', half, 'shut-down');
    const port = Number(new URL(server.baseUrl).port);
    const failure = await downloadFile(spec(server, dir), { retries: 1, retryDelayMs: 10 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as Error).message).toMatch(/cannot connect to 127\.0\.0\.1:\d+: connection refused/);
    expect(fs.existsSync(path.join(dir, 'vision_model.onnx'))).toBe(false);
    const kept = fs.statSync(path.join(dir, 'vision_model.onnx.partial')).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(half); // bytes in flight may be lost with the connection

    const back = await serve(port);
    const result = await downloadFile(spec(back, dir));
    expect(result).toEqual({ sha256: sha, bytes: body.length, resumedFrom: kept });
    expect(back.requests.map((r) => r.range)).toEqual([`bytes=${kept}-`]);
    expect(fs.readFileSync(path.join(dir, 'vision_model.onnx')).equals(body)).toBe(true);
  });

  it('refuses a file whose checksum does not match and leaves nothing behind', async () => {
    const server = await serve();
    const dir = tempDir('dl');
    await expect(downloadFile(spec(server, dir, { sha256: 'f'.repeat(64) }))).rejects.toThrow(/checksum mismatch for vision_model\.onnx: expected sha256 f{64}, got [0-9a-f]{64}/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses up front when the disk cannot hold the file', async () => {
    const server = await serve();
    const dir = tempDir('dl');
    await expect(downloadFile(spec(server, dir, { bytes: 10 ** 16 }))).rejects.toThrow(/disk full: vision_model\.onnx needs .* but .* free/);
    expect(fs.existsSync(path.join(dir, 'vision_model.onnx'))).toBe(false);
  });

  it('says so when the server answers with an error status', async () => {
    const server = await serve();
    const dir = tempDir('dl');
    await expect(downloadFile({ ...spec(server, dir), url: `${server.baseUrl}/p/missing.onnx` })).rejects.toThrow(/server answered 404/);
  });

  it('names a missing network when the host cannot be resolved', async () => {
    const dir = tempDir('dl');
    const url = 'http://shoebox-no-such-host.invalid/p/vision_model.onnx';
    await expect(downloadFile({ url, dest: path.join(dir, 'x.onnx'), label: 'x.onnx', sha256: null, bytes: null }, { retries: 0 })).rejects.toThrow(
      /no network: cannot resolve shoebox-no-such-host\.invalid/,
    );
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { sha256File } from '../model/sha256-file.js';
import { UserError, messageOf } from '../util/errors.js';

export interface DownloadProgress {
  /** The file being fetched (its path inside the pack). */
  file: string;
  /** Bytes of this file on disk so far, including what an earlier, interrupted run left. */
  receivedBytes: number;
  totalBytes: number | null;
  /** Average over this run (resumed bytes excluded), bytes per second. */
  bytesPerSecond: number;
  etaSeconds: number | null;
}

export interface DownloadSpec {
  url: string;
  /** Final path; the bytes go to `<dest>.partial` until they are complete and verified. */
  dest: string;
  /** Name shown in progress and errors. */
  label: string;
  sha256: string | null;
  bytes: number | null;
}

export interface DownloadOptions {
  onProgress?: (progress: DownloadProgress) => void;
  /** Further attempts after a dropped connection, each resuming where the last stopped. */
  retries?: number;
  retryDelayMs?: number;
  signal?: AbortSignal;
}

export interface DownloadResult {
  sha256: string;
  bytes: number;
  /** Bytes already on disk from an earlier run when this one started. */
  resumedFrom: number;
}

/** A connection problem worth another attempt (the partial file is kept, the next attempt resumes). */
class TransientError extends UserError {}

/**
 * [Note: atomic resumable download]
 * Bytes are appended to `<dest>.partial`; a later run asks for the rest with an HTTP Range request (a
 * server that ignores Range answers 200 and the file starts over). Only when the file is complete, fsynced
 * and its sha256 matches is it renamed to `dest`, so a half-downloaded or damaged file is never at the path
 * a model is loaded from. A checksum mismatch deletes the partial: resuming a wrong file cannot fix it.
 */
export async function downloadFile(spec: DownloadSpec, options: DownloadOptions = {}): Promise<DownloadResult> {
  const partial = `${spec.dest}.partial`;
  fs.mkdirSync(path.dirname(spec.dest), { recursive: true });
  const resumedFrom = sizeOf(partial);
  const retries = options.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      await fetchInto(spec, partial, options);
      break;
    } catch (err) {
      if (!(err instanceof TransientError) || attempt >= retries || options.signal?.aborted) throw err;
      await new Promise((resolve) => setTimeout(resolve, (options.retryDelayMs ?? 1000) * (attempt + 1)));
    }
  }
  const bytes = sizeOf(partial);
  if (spec.bytes !== null && bytes !== spec.bytes) {
    fs.rmSync(partial, { force: true });
    throw new UserError(`download of ${spec.label} has ${bytes} bytes, expected ${spec.bytes}; the partial file was removed, try again`);
  }
  const sha256 = await sha256File(partial);
  if (spec.sha256 !== null && sha256 !== spec.sha256) {
    fs.rmSync(partial, { force: true });
    throw new UserError(`checksum mismatch for ${spec.label}: expected sha256 ${spec.sha256}, got ${sha256}; the file was removed (wrong or damaged file on the server?)`);
  }
  fs.renameSync(partial, spec.dest);
  return { sha256, bytes, resumedFrom };
}

async function fetchInto(spec: DownloadSpec, partial: string, options: DownloadOptions): Promise<void> {
  let have = sizeOf(partial);
  if (spec.bytes !== null && have === spec.bytes) return; // complete from an earlier run, only unverified
  if (spec.bytes !== null && have > spec.bytes) {
    fs.rmSync(partial, { force: true });
    have = 0;
  }

  let response: Response;
  try {
    response = await fetch(spec.url, {
      headers: have > 0 ? { Range: `bytes=${have}-` } : {},
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    throw networkError(err, spec, have);
  }
  if (response.status === 416 && have > 0) return; // the server says we already have every byte
  if (response.status !== 200 && response.status !== 206) {
    await response.body?.cancel();
    throw new UserError(`cannot download ${spec.label}: server answered ${response.status} ${response.statusText} for ${spec.url}`);
  }
  if (response.status === 200) have = 0; // Range ignored: the whole file comes again
  const length = Number(response.headers.get('content-length') ?? NaN);
  const total = spec.bytes ?? (Number.isFinite(length) ? have + length : null);
  await ensureFreeSpace(path.dirname(partial), total === null ? 0 : total - have, spec.label);

  const handle = await openFile(partial, have > 0 ? 'a' : 'w', spec.label);
  const started = performance.now();
  let received = have;
  let lastReport = 0;
  const report = (force: boolean) => {
    const now = performance.now();
    if (!options.onProgress || (!force && now - lastReport < 100)) return;
    lastReport = now;
    const seconds = (now - started) / 1000;
    const bytesPerSecond = seconds > 0 ? (received - have) / seconds : 0;
    const etaSeconds = total !== null && bytesPerSecond > 0 ? Math.max(0, (total - received) / bytesPerSecond) : null;
    options.onProgress({ file: spec.label, receivedBytes: received, totalBytes: total, bytesPerSecond, etaSeconds });
  };
  try {
    if (!response.body) throw new TransientError(`empty response for ${spec.label}`);
    try {
      for await (const chunk of response.body) {
        await writeAll(handle, chunk, spec.label);
        received += chunk.byteLength;
        report(false);
      }
    } catch (err) {
      if (err instanceof UserError) throw err;
      throw networkError(err, spec, received);
    }
    if (total !== null && received < total) {
      throw new TransientError(`connection closed during the download of ${spec.label} after ${received} of ${total} bytes; run again to resume`);
    }
    await handle.sync();
    report(true);
  } finally {
    await handle.close();
  }
}

async function openFile(file: string, flags: 'a' | 'w', label: string): Promise<fs.promises.FileHandle> {
  try {
    return await fs.promises.open(file, flags);
  } catch (err) {
    throw new UserError(`cannot write ${label} to ${path.dirname(file)}: ${messageOf(err)}`);
  }
}

async function writeAll(handle: fs.promises.FileHandle, chunk: Uint8Array, label: string): Promise<void> {
  try {
    await handle.write(chunk);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC') throw new UserError(`disk full while downloading ${label}: free some space and run again (the download resumes)`);
    throw new UserError(`cannot write ${label}: ${messageOf(err)}`);
  }
}

/** Refuses up front when the disk clearly cannot hold the file (statfs is a hint; ENOSPC is still handled). */
async function ensureFreeSpace(dir: string, needed: number, label: string): Promise<void> {
  if (needed <= 0) return;
  let free: number;
  try {
    const stats = await fs.promises.statfs(dir);
    free = stats.bavail * stats.bsize;
  } catch {
    return;
  }
  if (free < needed) {
    throw new UserError(`disk full: ${label} needs ${formatBytes(needed)} more but ${dir} has ${formatBytes(free)} free`);
  }
}

function networkError(err: unknown, spec: DownloadSpec, received: number): UserError {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (err as NodeJS.ErrnoException).code;
  const host = safeHost(spec.url);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new UserError(`no network: cannot resolve ${host} (download of ${spec.label}); connect to the internet, or install the pack from a folder or zip`);
  }
  if (code === 'ECONNREFUSED') return new TransientError(`cannot connect to ${host}: connection refused (download of ${spec.label})`);
  if (err instanceof DOMException && err.name === 'AbortError') return new UserError(`download of ${spec.label} cancelled`);
  return new TransientError(
    `connection to ${host} lost during the download of ${spec.label} after ${received} bytes (${cause?.message ?? code ?? messageOf(err)}); run again to resume`,
  );
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

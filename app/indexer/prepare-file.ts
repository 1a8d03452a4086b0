import fs from 'node:fs';
import type { Catalog } from '../catalog/catalog.js';
import type { EmbeddingStore } from '../catalog/embeddings.js';
import type { FailureStage } from '../catalog/file-errors.js';
import type { PhotoInput } from '../catalog/photos.js';
import { DecodeError } from '../image/decode.js';
import { looksLikeHeic } from '../image/heic.js';
import { isRawPath } from '../image/formats.js';
import type { RawPreviews } from '../image/raw-preview.js';
import { thumbnailPath, writeOnce } from '../image/thumbnails.js';
import type { ClipModel } from '../model/clip-model.js';
import { contentHash } from '../util/hash.js';
import { messageOf } from '../util/errors.js';
import { toFsPath } from '../util/fs-names.js';
import type { AnalyzePool } from './analyze-pool.js';
import { analysisSpec, analyzePhoto, type PhotoAnalysis } from './analyze-photo.js';

export type Prepared =
  | { kind: 'unchanged' }
  /** `transient`: worth another try later (file busy, too many open files); else the file itself is bad. */
  | { kind: 'failed'; stage: FailureStage; message: string; transient?: boolean }
  /** Same bytes as a photo already embedded by this model: copy its vector, skip decode and inference. */
  | { kind: 'reuse'; photo: PhotoInput; embedding: Float32Array; thumbhash: Uint8Array | null; signature: Buffer | null }
  /** The same bytes under a new path while the old path is gone: a move or rename, identity kept. */
  | { kind: 'moved'; photoId: number }
  | { kind: 'embed'; photo: PhotoInput; crop: Buffer; thumbhash: Uint8Array; signature: Buffer };

export interface PrepareContext {
  catalog: Catalog;
  embeddings: EmbeddingStore;
  model: ClipModel;
  /** Where grid thumbnails are written (see [Note: thumbnails]). */
  thumbsDir: string;
  /** Worker threads for decoding (see [Note: analysis off the main thread]); inline when absent. */
  analyzePool?: AnalyzePool;
  /** Embedded JPEGs of camera RAW files (see [Note: RAW previews]). */
  rawPreviews: RawPreviews;
  /** Reads a file; tests pass one that raises the OS errors a root user cannot provoke (EBUSY, EACCES). */
  readFile?: (path: string) => Promise<Buffer>;
  /**
   * How many image files the run has, when the count (see [Note: index total]) is done soon enough to say:
   * what a short-lived process opens its vision session for (see ClipModel.prepareVision).
   */
  expectedImages?: () => Promise<number | undefined>;
}

/** Paths are stored in their exact string form (see [Note: file names that are not UTF-8]). */
const readPhoto = (file: string) => fs.promises.readFile(toFsPath(file));

/** Errors that say "not now" rather than "never": the file is retried with backoff. */
const TRANSIENT_CODES = new Set(['EBUSY', 'EAGAIN', 'EMFILE', 'ENFILE', 'ETXTBSY', 'ETIMEDOUT']);

/** The cheap check the indexer makes before queueing a file: same size and mtime as a complete photo. */
export function isUnchanged(ctx: Pick<PrepareContext, 'catalog' | 'embeddings'>, file: { path: string; size: number; mtimeMs: number }): boolean {
  const existing = ctx.catalog.photos.byPath(file.path);
  if (!existing || existing.dhash === null || existing.size !== file.size || existing.mtimeMs !== file.mtimeMs) return false;
  return ctx.embeddings.has(existing.id);
}

/**
 * Everything one file needs before inference: the unchanged check (size + mtime, then content hash), one
 * read, the hash, and one decode with everything cut from it (analyze-photo.ts). Never throws: a bad file comes
 * back as `failed` with the stage and a reason a photographer can act on.
 */
export async function prepareFile(
  ctx: PrepareContext,
  file: { path: string; size: number; mtimeMs: number },
  folderId: number,
): Promise<Prepared> {
  const existing = ctx.catalog.photos.byPath(file.path);
  // A photo indexed before perceptual hashes existed (dhash NULL) is decoded again to get one.
  const complete = existing !== undefined && existing.dhash !== null && ctx.embeddings.has(existing.id);
  if (existing && complete && existing.size === file.size && existing.mtimeMs === file.mtimeMs) {
    return { kind: 'unchanged' };
  }

  let bytes: Buffer;
  try {
    bytes = await (ctx.readFile ?? readPhoto)(file.path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file vanished before it could be read' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : messageOf(err);
    if (code && TRANSIENT_CODES.has(code)) return { kind: 'failed', stage: 'read', message: `file busy (${code}): ${messageOf(err)}`, transient: true };
    return { kind: 'failed', stage: 'read', message: reason };
  }
  const hash = await contentHash(bytes);

  if (existing && existing.contentHash === hash) {
    // Touched (copied back, metadata tool) but the same bytes: keep the photo, note the new size/mtime.
    ctx.catalog.photos.touch(existing.id, bytes.byteLength, file.mtimeMs);
    if (complete) return { kind: 'unchanged' };
  }

  const twins = ctx.catalog.photos.byHash(hash).filter((p) => p.path !== file.path && p.dhash !== null && ctx.embeddings.has(p.id));
  const moved = existing ? undefined : twins.find((p) => !fs.existsSync(toFsPath(p.path)));
  if (moved) {
    ctx.catalog.photos.move(moved.id, file.path, folderId, file.mtimeMs);
    return { kind: 'moved', photoId: moved.id };
  }
  const twin = twins[0];
  if (twin) {
    const embedding = ctx.embeddings.get(twin.id)!;
    const { id: _id, ...rest } = twin;
    const photo = { ...rest, path: file.path, folderId, size: bytes.byteLength, mtimeMs: file.mtimeMs };
    return { kind: 'reuse', photo, embedding, thumbhash: ctx.catalog.photos.thumbhash(twin.id), signature: ctx.catalog.signatures.get(twin.id) ?? null };
  }

  let analysis: PhotoAnalysis;
  const size = bytes.byteLength; // the pool takes the bytes
  try {
    const pixels = isRawPath(file.path) ? await ctx.rawPreviews.extract(file.path) : bytes;
    // The decoding thread is started first, then the vision session, whose load holds this thread for a second
    // or two: the thread starts up and decodes meanwhile (see ClipModel.prepareVision).
    // Only a HEIC goes to the decoding thread (see [Note: analysis off the main thread]).
    const pool = ctx.analyzePool && looksLikeHeic(pixels) ? ctx.analyzePool : undefined;
    await pool?.start();
    const analyzing = pool
      ? pool.analyze(bytes, analysisSpec(ctx.model), pixels === bytes ? undefined : pixels)
      : analyzePhoto(bytes, ctx.model, pixels);
    analyzing.catch(() => {}); // awaited below: not unhandled while the count is waited for
    ctx.model.prepareVision(ctx.model.shortLived ? await ctx.expectedImages?.() : undefined);
    analysis = await analyzing;
  } catch (err) {
    return { kind: 'failed', stage: 'decode', message: err instanceof DecodeError ? err.message : `cannot decode: ${messageOf(err)}` };
  }
  const { crop, grid, signature, ...facts } = analysis;
  try {
    // Written before the photo row: a crash in between leaves a cached file named by content hash, which the
    // next run reuses; never a row whose thumbnail is missing.
    await writeOnce(thumbnailPath(ctx.thumbsDir, hash, 'grid'), grid.jpeg);
  } catch (err) {
    return { kind: 'failed', stage: 'decode', message: `cannot write thumbnail: ${messageOf(err)}` };
  }
  const photo = { path: file.path, folderId, size, mtimeMs: file.mtimeMs, contentHash: hash, ...facts };
  return { kind: 'embed', crop, photo, thumbhash: grid.thumbhash, signature };
}

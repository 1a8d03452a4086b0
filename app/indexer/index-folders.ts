import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Catalog } from '../catalog/catalog.js';
import type { EmbeddingStore } from '../catalog/embeddings.js';
import type { FailureStage } from '../catalog/file-errors.js';
import type { PhotoInput } from '../catalog/photos.js';
import { RawPreviews } from '../image/raw-preview.js';
import { thumbsDir } from '../library-paths.js';
import type { ClipModel } from '../model/clip-model.js';
import { lowerDecodingPriority } from '../util/decoding-priority.js';
import { messageOf } from '../util/errors.js';
import { displayName, toFsPath } from '../util/fs-names.js';
import { DECODES_IN_FLIGHT, INFERENCE_BATCH, type AnalyzePool } from './analyze-pool.js';
import { Batcher, Semaphore } from './batcher.js';
import { countImageFiles } from './count-files.js';
import { hasPairedJpeg, isMissing, pairedJpegCandidates, removeVanished, statFile } from './file-checks.js';
import type { IndexProgress, IndexReport } from './index-report.js';
import { IndexingController } from './indexing-controller.js';
import { isUnchanged, prepareFile } from './prepare-file.js';
import { scanFolder, type ScanOptions } from './scan.js';

export interface IndexContext {
  catalog: Catalog;
  embeddings: EmbeddingStore;
  model: ClipModel;
  /** The library folder, never indexed even when it sits inside a photo folder. */
  libraryDir: string;
  /** Progress, pause/resume and search priority (see [Note: indexing controller]); a private one if absent. */
  controller?: IndexingController;
  /** Decoding threads (see [Note: analysis off the main thread]); decodes inline when absent. */
  analyzePool?: AnalyzePool;
  /** Camera RAW preview extraction (an ExifTool process); a private one, ended after the run, if absent. */
  rawPreviews?: RawPreviews;
}

export interface RetryPolicy {
  /** Tries per file within one run before a transient error is reported (the next run tries again). */
  attempts: number;
  /** Wait before the second try; each later try waits four times longer. */
  baseDelayMs: number;
}

export interface IndexOptions {
  /** Images per inference run (default: see [Note: decoding through a batch]). */
  batchSize?: number;
  /** Files read and decoded at once (sharp runs them on libuv's thread pool; default: see [Note: decoding through a batch]). */
  decodeConcurrency?: number;
  onProgress?: (progress: IndexProgress) => void;
  /** Called for each photo stored (new or changed), inside its batch's transaction. */
  onStored?: (photoId: number, path: string) => void;
  retry?: RetryPolicy;
  /** Test seams for OS errors a root user cannot provoke on real files (EBUSY, EACCES); see prepare-file.ts. */
  readFile?: (path: string) => Promise<Buffer>;
  readdir?: ScanOptions['readdir'];
}

/**
 * How long the first photo of a short-lived process waits for the run's count before its vision session is
 * opened (see ClipModel.prepareVision): a folder of a few photos is counted in a few milliseconds, and one that
 * is not counted by then is large enough to be worth weight prepacking; waited once a run.
 */
const COUNT_WAIT_MS = 100;

const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 250 };
/** A file still busy after a run's retries is tried again by a run at least this much later. */
const NEXT_RUN_DELAY_MS = 60_000;

type FileEntry = { path: string; size: number; mtimeMs: number };
type Ready = { photo: PhotoInput; crop: Buffer; thumbhash: Uint8Array | null; signature: Buffer | null };

/**
 * One-shot indexing of folders: resume the queue left by an interrupted run, scan, skip what is unchanged,
 * decode and embed the rest in batches, store. Decoding runs ahead of inference by at most one batch (see
 * Batcher). Each photo row, its vector and its job's `done` are written in one transaction per batch, so a
 * crash loses at most the batch in flight and never leaves a photo without its vector or a vector without its
 * photo. A bad file is recorded (file_errors, and its job `failed`, so it is not decoded again until it
 * changes) and the run goes on; a busy file is retried with backoff. A root that is missing, or empty while
 * the catalog has photos under it (an unmounted share leaves an empty mount point), is marked offline and its
 * photos are kept.
 */
export async function indexFolders(ctx: IndexContext, folders: string[], options: IndexOptions = {}): Promise<IndexReport> {
  const started = performance.now();
  const report: IndexReport = { indexed: 0, unchanged: 0, removed: 0, failed: [], offline: [], seconds: 0 };
  const progress: IndexProgress = { seen: 0, done: 0, indexed: 0, unchanged: 0, failed: 0 };
  const notify = (current?: string) => options.onProgress?.({ ...progress, ...(current ? { current } : {}) });
  const { catalog, embeddings, model } = ctx;
  const controller = ctx.controller ?? new IndexingController();
  const retry = options.retry ?? DEFAULT_RETRY;
  const rawPreviews = ctx.rawPreviews ?? new RawPreviews();
  let expectedImages: Promise<number | undefined> | undefined;
  const prepareCtx = {
    catalog,
    embeddings,
    model,
    rawPreviews,
    ...(ctx.analyzePool ? { analyzePool: ctx.analyzePool } : {}),
    thumbsDir: thumbsDir(ctx.libraryDir),
    ...(options.readFile ? { readFile: options.readFile } : {}),
    expectedImages: () => (expectedImages ??= Promise.race([counted.then(() => progress.total), delay(COUNT_WAIT_MS, undefined, { ref: false })])),
  };

  const fail = (file: string, folderId: number | null, stage: FailureStage, message: string, queued = true) => {
    catalog.errors.record({ path: file, folderId, stage, message, at: Date.now() });
    const failed = { path: file, error: message, stage };
    report.failed.push(failed);
    progress.failed++;
    if (queued) progress.done++;
    controller.failed(failed, queued);
    notify();
  };
  /**
   * A bad file: recorded, and its job failed for good (until the file changes). A file that could not be read
   * (permission denied, deleted) is not bad in itself: it gets no job, so the next run tries again; fixing
   * permissions changes neither size nor mtime.
   */
  const failForGood = (file: string, folderId: number | null, stage: FailureStage, message: string) => {
    if (stage === 'read') catalog.jobs.forget(file);
    else catalog.jobs.fail(file, message);
    fail(file, folderId, stage, message);
  };
  const store = (item: Ready, embedding: Float32Array) => {
    const id = catalog.photos.upsert(item.photo);
    embeddings.put(id, embedding);
    if (item.thumbhash) catalog.photos.setThumbhash(id, item.thumbhash);
    if (item.signature) catalog.signatures.put(id, item.signature);
    catalog.errors.clear(item.photo.path);
    catalog.jobs.done(item.photo.path);
    options.onStored?.(id, item.photo.path);
  };
  /** Stores photos with their vectors in one transaction; counts them only once it has committed. */
  const storeAll = (items: { item: Ready; embedding: Float32Array }[]) => {
    try {
      catalog.transaction(() => items.forEach(({ item, embedding }) => store(item, embedding)));
      report.indexed += items.length;
      progress.indexed += items.length;
      progress.done += items.length;
      controller.finished('indexed', items.length);
      notify();
    } catch (err) {
      for (const { item } of items) failForGood(item.photo.path, item.photo.folderId, 'embed', `cannot store: ${messageOf(err)}`);
    }
  };
  const embedOne = async (item: Ready) => {
    try {
      const [vector] = await model.embedCrops([item.crop]);
      storeAll([{ item, embedding: vector! }]);
    } catch (err) {
      failForGood(item.photo.path, item.photo.folderId, 'embed', `model failed on this image: ${messageOf(err)}`);
    }
  };
  // Inference starts as soon as a batch is full; storing stays in order (see [Note: the next batch already queued]).
  const batcher = new Batcher<Ready, Float32Array[]>(
    options.batchSize ?? INFERENCE_BATCH,
    (batch) => model.embedCrops(batch.map((b) => b.crop)),
    async (batch, embedded) => {
      if (!embedded.ok) {
        // A batch-level failure is isolated to the item that causes it by running them one at a time.
        for (const item of batch) await embedOne(item);
        return;
      }
      storeAll(batch.map((item, i) => ({ item, embedding: embedded.value[i]! })));
    },
  );
  const finishUnchanged = () => {
    report.unchanged++;
    progress.unchanged++;
    progress.done++;
    controller.finished('unchanged');
    notify();
  };

  const limit = new Semaphore(options.decodeConcurrency ?? DECODES_IN_FLIGHT);
  /** Folders scanned completely, whose done jobs are dropped at the end. */
  const scanned: number[] = [];
  controller.startRun();
  // See [Note: decoding yields to inference].
  const stopLowering = lowerDecodingPriority();
  const scanOptions: ScanOptions = { exclude: [ctx.libraryDir], ...(options.readdir ? { readdir: options.readdir } : {}) };
  // Counted only for someone who shows progress (see [Note: index total]).
  let stopCount = false;
  const counted = options.onProgress
    ? countImageFiles(folders, scanOptions, () => stopCount).then(
        (total) => {
          if (total === undefined) return;
          progress.total = total;
          notify();
        },
        () => {}, // no total then: the run itself reports what went wrong with the folders
      )
    : Promise.resolve();
  try {
    for (const folder of folders) {
      const root = path.resolve(folder);
      const known = catalog.folders.byPath(root);
      try {
        if (!fs.statSync(toFsPath(root)).isDirectory()) throw new Error('not a folder');
      } catch (err) {
        if (known && isMissing(err)) {
          catalog.folders.markOffline(known.id);
          report.offline.push(root);
        } else fail(root, null, 'scan', `cannot index ${displayName(root)}: ${messageOf(err)}`, false);
        continue;
      }
      const folderId = known?.id ?? catalog.folders.ensure(root);
      const seen = new Set<string>();
      const inFlight = new Set<Promise<void>>();
      /** RAW files with a JPEG beside them: the second file of the JPEG's photo. */
      const rawPairs: FileEntry[] = [];
      /** Transient failures of this run, retried after the scan: path → the file as found. */
      const retries = new Map<string, FileEntry>();

      const handle = async (entry: FileEntry) => {
        const job = catalog.jobs.get(entry.path);
        if (job?.state === 'failed' && job.size === entry.size && job.mtimeMs === entry.mtimeMs) {
          // Failed before on these very bytes: report it again without decoding it again.
          fail(entry.path, folderId, 'decode', job.reason ?? 'failed before');
          return;
        }
        await controller.gate();
        await limit.acquire();
        controller.started(entry.path);
        catalog.jobs.enqueue(entry.path, folderId, entry.size, entry.mtimeMs);
        catalog.jobs.start(entry.path);
        const task = prepareFile(prepareCtx, entry, folderId)
          .then(async (prepared) => {
            switch (prepared.kind) {
              case 'unchanged':
              case 'moved': // nothing decoded or embedded: a moved photo only changed its path
                catalog.jobs.done(entry.path);
                catalog.errors.clear(entry.path);
                finishUnchanged();
                break;
              case 'failed':
                if (prepared.transient) retryLater(entry, prepared.message, prepared.stage);
                else failForGood(entry.path, folderId, prepared.stage, prepared.message);
                break;
              case 'reuse':
                storeAll([{ item: { photo: prepared.photo, crop: Buffer.alloc(0), thumbhash: prepared.thumbhash, signature: prepared.signature }, embedding: prepared.embedding }]);
                break;
              case 'embed':
                // Released before waiting on the batcher: decoding slots are for decoding, not for queueing.
                limit.release();
                await batcher.add({ photo: prepared.photo, crop: prepared.crop, thumbhash: prepared.thumbhash, signature: prepared.signature });
                return;
            }
            limit.release();
          })
          .catch((err: unknown) => {
            limit.release();
            failForGood(entry.path, folderId, 'decode', messageOf(err));
          });
        const tracked = task.finally(() => inFlight.delete(tracked));
        inFlight.add(tracked);
      };
      const retryLater = (entry: FileEntry, message: string, stage: FailureStage) => {
        const attempts = catalog.jobs.get(entry.path)?.attempts ?? 1;
        if (attempts < retry.attempts) {
          catalog.jobs.retryLater(entry.path, message, Date.now() + retry.baseDelayMs * 4 ** (attempts - 1));
          retries.set(entry.path, entry);
          return;
        }
        // Still busy after this run's tries: reported, and left pending for a later run (not failed for good).
        catalog.jobs.retryLater(entry.path, message, Date.now() + NEXT_RUN_DELAY_MS);
        fail(entry.path, folderId, stage, `${message} (gave up after ${attempts} tries; will try again later)`);
      };
      const consider = async (entry: FileEntry, pairing = true) => {
        if (seen.has(entry.path)) return;
        seen.add(entry.path);
        if (pairing && hasPairedJpeg(entry.path)) {
          rawPairs.push(entry); // attached to its JPEG's photo once that is stored (see [Note: RAW+JPEG pairs])
          return;
        }
        progress.seen++;
        controller.queued();
        if (isUnchanged(prepareCtx, entry)) {
          // No queue row for unchanged files: a rescan of 100 000 photos costs a stat each, no writes.
          finishUnchanged();
          return;
        }
        await handle(entry);
      };

      // 1. What an interrupted run left: pending and processing jobs, first.
      for (const job of catalog.jobs.due(folderId)) {
        const st = statFile(job.path);
        if (st) await consider(st);
        else catalog.jobs.forget(job.path);
      }
      // 2. The scan.
      let rootOk = true;
      let files = 0;
      /** Folders (and files) the scan could not read: their photos are kept, not taken for deleted. */
      const unreadable: string[] = [];
      for await (const entry of scanFolder(root, scanOptions)) {
        if (entry.kind === 'error') {
          if (entry.path === root) rootOk = false;
          unreadable.push(entry.path);
          fail(entry.path, folderId, 'scan', entry.message, false);
          continue;
        }
        files++;
        await consider(entry);
      }
      await Promise.all(inFlight);
      // 3. Busy files, with backoff, until they go through or run out of tries.
      while (retries.size > 0) {
        const soonest = Math.min(...[...retries.keys()].map((p) => catalog.jobs.get(p)?.nextAttemptAt ?? 0));
        await new Promise((r) => setTimeout(r, Math.max(0, soonest - Date.now())));
        for (const [file, entry] of retries) {
          if ((catalog.jobs.get(file)?.nextAttemptAt ?? 0) > Date.now()) continue;
          retries.delete(file);
          await handle(entry);
        }
        await Promise.all(inFlight);
      }
      // 4. RAW+JPEG pairs, once the JPEGs' photos are stored; a RAW whose JPEG failed is indexed on its own.
      if (rawPairs.length > 0) {
        await batcher.flush();
        for (const raw of rawPairs) {
          const photo = pairedJpegCandidates(raw.path).map((j) => catalog.photos.byPath(j)).find((p) => p !== undefined);
          const alone = catalog.photos.byPath(raw.path);
          if (photo && alone) {
            // The RAW was a photo of its own until its JPEG arrived: one photo now, keeping what the user gave it.
            catalog.transaction(() => {
              catalog.carryOver(photo.id, [alone.id]);
              catalog.removePhoto(alone.id);
              catalog.photoFiles.attach({ path: raw.path, photoId: photo.id, role: 'raw', size: raw.size, mtimeMs: raw.mtimeMs });
            });
          } else if (photo) catalog.photoFiles.attach({ path: raw.path, photoId: photo.id, role: 'raw', size: raw.size, mtimeMs: raw.mtimeMs });
          else {
            seen.delete(raw.path);
            await consider(raw, false);
          }
        }
        await Promise.all(inFlight);
      }

      if (rootOk && files === 0 && catalog.photos.countUnder(root, path.sep) > 0) {
        catalog.folders.markOffline(folderId);
        report.offline.push(root);
        continue;
      }
      catalog.folders.markOnline(folderId);
      if (rootOk) report.removed += removeVanished(catalog, root, seen, unreadable);
      catalog.folders.markIndexed(folderId);
      scanned.push(folderId);
    }
    controller.scanFinished();
    await batcher.flush();
    // After the flush: the last batch's jobs turn `done` only when it commits.
    for (const folderId of scanned) catalog.jobs.pruneDone(folderId);
  } catch (err) {
    stopCount = true;
    throw err;
  } finally {
    stopLowering();
    controller.endRun();
    if (!ctx.rawPreviews) await rawPreviews.close();
  }
  await counted; // walks what the run walked, without the work: done already, or nearly
  notify();
  report.seconds = Math.round((performance.now() - started) / 10) / 100;
  return report;
}

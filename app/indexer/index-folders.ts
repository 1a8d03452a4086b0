import fs from 'node:fs';
import path from 'node:path';
import type { Catalog } from '../catalog/catalog.js';
import type { EmbeddingStore } from '../catalog/embeddings.js';
import type { FailureStage } from '../catalog/file-errors.js';
import type { PhotoInput } from '../catalog/photos.js';
import type { ClipModel } from '../model/clip-model.js';
import { messageOf } from '../util/errors.js';
import { Batcher, Semaphore } from './batcher.js';
import type { IndexProgress, IndexReport } from './index-report.js';
import { prepareFile } from './prepare-file.js';
import { scanFolder } from './scan.js';

export interface IndexContext {
  catalog: Catalog;
  embeddings: EmbeddingStore;
  model: ClipModel;
  /** The library folder, never indexed even when it sits inside a photo folder. */
  libraryDir: string;
}

export interface IndexOptions {
  /** Images per inference run. */
  batchSize?: number;
  /** Files read and decoded at once (sharp runs them on libuv's thread pool). */
  decodeConcurrency?: number;
  onProgress?: (progress: IndexProgress) => void;
  /** Awaited before each file is read: resolves at once unless the user paused indexing. */
  whilePaused?: () => Promise<void>;
  /** Called for each photo stored (new or changed), inside its batch's transaction. */
  onStored?: (photoId: number, path: string) => void;
}

type Ready = { photo: PhotoInput; crop: Buffer };

/**
 * One-shot indexing of folders: scan, skip what is unchanged, decode and embed the rest in batches, store.
 * Decoding runs ahead of inference by at most one batch (see Batcher). Each photo row and its vector are
 * written in one transaction per batch, so a crash loses at most the batch in flight and never leaves a
 * photo without its vector or a vector without its photo. A bad file is recorded and the run goes on.
 */
export async function indexFolders(ctx: IndexContext, folders: string[], options: IndexOptions = {}): Promise<IndexReport> {
  const started = performance.now();
  const report: IndexReport = { indexed: 0, unchanged: 0, removed: 0, failed: [], seconds: 0 };
  const progress: IndexProgress = { seen: 0, indexed: 0, unchanged: 0, failed: 0 };
  const notify = (current?: string) => options.onProgress?.({ ...progress, ...(current ? { current } : {}) });
  const { catalog, embeddings, model } = ctx;

  const fail = (file: string, folderId: number | null, stage: FailureStage, message: string) => {
    catalog.errors.record({ path: file, folderId, stage, message, at: Date.now() });
    report.failed.push({ path: file, error: message, stage });
    progress.failed++;
  };
  const store = (photo: PhotoInput, embedding: Float32Array) => {
    const id = catalog.photos.upsert(photo);
    embeddings.put(id, embedding);
    catalog.errors.clear(photo.path);
    options.onStored?.(id, photo.path);
  };
  /** Stores photos with their vectors in one transaction; counts them only once it has committed. */
  const storeAll = (items: { photo: PhotoInput; embedding: Float32Array }[]) => {
    try {
      catalog.transaction(() => items.forEach((item) => store(item.photo, item.embedding)));
      report.indexed += items.length;
      progress.indexed += items.length;
    } catch (err) {
      for (const item of items) fail(item.photo.path, item.photo.folderId, 'embed', `cannot store: ${messageOf(err)}`);
    }
  };

  const batcher = new Batcher<Ready>(options.batchSize ?? 16, async (batch) => {
    let vectors: Float32Array[];
    try {
      vectors = await model.embedCrops(batch.map((b) => b.crop));
    } catch (err) {
      // A batch-level failure is isolated to the item that causes it by running them one at a time.
      if (batch.length > 1) {
        for (const item of batch) await batcherProcessOne(item);
        return;
      }
      fail(batch[0]!.photo.path, batch[0]!.photo.folderId, 'embed', `model failed on this image: ${messageOf(err)}`);
      return;
    }
    storeAll(batch.map((item, i) => ({ photo: item.photo, embedding: vectors[i]! })));
    notify();
  });
  const batcherProcessOne = async (item: Ready) => {
    try {
      const [vector] = await model.embedCrops([item.crop]);
      storeAll([{ photo: item.photo, embedding: vector! }]);
    } catch (err) {
      fail(item.photo.path, item.photo.folderId, 'embed', `model failed on this image: ${messageOf(err)}`);
    }
  };

  const limit = new Semaphore(options.decodeConcurrency ?? 2);
  for (const folder of folders) {
    const root = path.resolve(folder);
    let rootOk = true;
    try {
      if (!fs.statSync(root).isDirectory()) throw new Error('not a folder');
    } catch (err) {
      fail(root, null, 'scan', `cannot index ${root}: ${messageOf(err)}`);
      continue;
    }
    const folderId = catalog.folders.ensure(root);
    const seen = new Set<string>();
    const inFlight = new Set<Promise<void>>();
    for await (const entry of scanFolder(root, { exclude: [ctx.libraryDir] })) {
      if (entry.kind === 'error') {
        if (entry.path === root) rootOk = false;
        fail(entry.path, folderId, 'scan', entry.message);
        continue;
      }
      seen.add(entry.path);
      progress.seen++;
      if (options.whilePaused) await options.whilePaused();
      await limit.acquire();
      const task = prepareFile({ catalog, embeddings, model }, entry, folderId)
        .then(async (prepared) => {
          switch (prepared.kind) {
            case 'unchanged':
            case 'moved': // nothing decoded or embedded: a moved photo only changed its path
              report.unchanged++;
              progress.unchanged++;
              catalog.errors.clear(entry.path);
              break;
            case 'failed':
              fail(entry.path, folderId, prepared.stage, prepared.message);
              break;
            case 'reuse':
              storeAll([{ photo: prepared.photo, embedding: prepared.embedding }]);
              break;
            case 'embed':
              // Released before waiting on the batcher: decoding slots are for decoding, not for queueing.
              limit.release();
              await batcher.add({ photo: prepared.photo, crop: prepared.crop });
              return;
          }
          limit.release();
        })
        .catch((err: unknown) => {
          limit.release();
          fail(entry.path, folderId, 'decode', messageOf(err));
        });
      const tracked = task.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
    }
    await Promise.all(inFlight);
    if (rootOk) report.removed += removeVanished(catalog, root, seen);
    catalog.folders.markIndexed(folderId);
  }
  await batcher.flush();
  notify();
  report.seconds = Math.round((performance.now() - started) / 10) / 100;
  return report;
}

/**
 * Photos under a folder that the scan did not see are gone from disk (deleted or moved away).
 * Only called after a complete scan of a readable folder, so an unplugged drive never empties the catalog.
 */
function removeVanished(catalog: Catalog, root: string, seen: Set<string>): number {
  let removed = 0;
  for (const photo of catalog.photos.under(root, path.sep)) {
    if (seen.has(photo.path) || fs.existsSync(photo.path)) continue;
    catalog.removePhoto(photo.id);
    removed++;
  }
  return removed;
}

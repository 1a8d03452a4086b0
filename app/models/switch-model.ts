import fs from 'node:fs';
import type { Catalog } from '../catalog/catalog.js';
import type { EmbeddingStore, ModelRecord } from '../catalog/embeddings.js';
import { decodePhoto } from '../image/decode.js';
import type { ClipModel } from '../model/clip-model.js';
import { modelKey, verifyPackChecksums } from '../model/model-identity.js';
import { VerifiedFiles } from '../model/verified-files.js';
import { UserError, messageOf } from '../util/errors.js';

export interface ReindexProgress {
  phase: 'index';
  /** Photos that have a vector of the new model. */
  done: number;
  /** Photos in the catalog. */
  total: number;
  failed: number;
}

export interface ModelIndexResult {
  record: ModelRecord;
  embeddings: EmbeddingStore;
  /** Photos embedded by this run (earlier, interrupted runs' vectors are kept and not counted). */
  embedded: number;
  failed: { path: string; error: string }[];
}

/**
 * Registers `model` with the catalog (checking its declared checksums first, as Core.binding does) and
 * returns its record and vector table. Files unchanged since the pack last hashed them are not read again,
 * so a new library costs no hashing (see [Note: verified pack record]).
 */
export async function registerModel(
  catalog: Catalog,
  model: ClipModel,
  verified: VerifiedFiles = VerifiedFiles.open(model.pack.dir),
): Promise<{ record: ModelRecord; embeddings: EmbeddingStore }> {
  const key = await modelKey(model.pack, verified);
  let record = catalog.models.list().find((m) => m.key === key);
  if (!record) {
    const mismatches = await verifyPackChecksums(model.pack, verified);
    if (mismatches.length > 0) {
      throw new UserError(`model pack ${model.pack.dir} is damaged: checksum mismatch for ${mismatches.map((m) => m.file).join(', ')}`);
    }
    const dim = model.pack.embeddingDim ?? (await verified.embeddingDim(model.pack.text.path, () => model.embeddingDim()));
    record = catalog.models.ensure(key, model.pack.name, dim);
  }
  return { record, embeddings: catalog.embeddings(record) };
}

/**
 * [Note: model switch]
 * Builds the new model's vectors for every catalogued photo while the old model keeps answering searches:
 * both live side by side in their own vec0 tables (see [Note: one vec0 table per model]) and nothing here
 * touches the old one. Each batch is stored in one transaction and the work yields to the event loop
 * between batches, so searches run in between. The loop repeats until no photo lacks a vector (photos
 * indexed by the old model meanwhile are picked up); photos that cannot be read are reported and skipped.
 * An interrupted run keeps what it stored; running the switch again embeds only what is missing. The caller
 * (Core.useModel) flips the library's setting only after this returns, then drops the old table.
 */
export async function buildModelIndex(
  catalog: Catalog,
  model: ClipModel,
  options: { batchSize?: number; onProgress?: (progress: ReindexProgress) => void } = {},
): Promise<ModelIndexResult> {
  const { record, embeddings } = await registerModel(catalog, model);
  const batchSize = options.batchSize ?? 16;
  const failed = new Map<number, { path: string; error: string }>();
  let embedded = 0;
  const notify = () =>
    options.onProgress?.({ phase: 'index', done: embeddings.count(), total: catalog.photos.count(), failed: failed.size });
  notify();
  for (;;) {
    const todo = embeddings.photosWithout().filter((id) => !failed.has(id));
    if (todo.length === 0) break;
    for (let start = 0; start < todo.length; start += batchSize) {
      const batch: { id: number; crop: Buffer }[] = [];
      for (const id of todo.slice(start, start + batchSize)) {
        const photo = catalog.photos.byId(id);
        if (!photo) continue; // removed meanwhile
        try {
          const decoded = await decodePhoto(await fs.promises.readFile(photo.path), model.decodeSizes);
          batch.push({ id, crop: await model.cropFor(decoded) });
        } catch (err) {
          failed.set(id, { path: photo.path, error: messageOf(err) });
        }
      }
      if (batch.length === 0) continue;
      const vectors = await model.embedCrops(batch.map((b) => b.crop));
      catalog.transaction(() => {
        batch.forEach((b, i) => {
          if (catalog.photos.byId(b.id)) embeddings.put(b.id, vectors[i]!);
        });
      });
      embedded += batch.length;
      notify();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  notify();
  return { record, embeddings, embedded, failed: [...failed.values()] };
}

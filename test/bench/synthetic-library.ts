/**
 * Synthetic libraries for the scale benchmarks: `count` photos in 100 folders over ten years, each with a
 * 512-d CLIP-like vector (test/helpers/synthetic-vectors.ts: ~1 000 photos per subject, 2 % near-copies)
 * and a perceptual hash (copies differ from their original by two bits). Built once per size into
 * test/.cache/bench/library-<count> through the real catalog (migrations, stores, both vector tables) and
 * reused while its marker matches: 1 000 000 photos take minutes and ~2.5 GB.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Catalog, CATALOG_FILE } from '../../app/catalog/catalog.js';
import { EMPTY_METADATA } from '../../app/image/metadata.js';
import { random, syntheticCatalog, syntheticTopics, type SyntheticCatalog } from '../helpers/synthetic-vectors.js';
import { CACHE } from './report.js';

export const MODEL_KEY = 'synthetic#512';
/** Which model the vectors are filed under: the synthetic key, or a real pack's (modelKey) so the CLI can search them. */
export interface SyntheticModel {
  key: string;
  name: string;
}
const SYNTHETIC: SyntheticModel = { key: MODEL_KEY, name: 'synthetic' };
/** 3: planted copies keep their original's capture time (a copy of a file keeps its EXIF), so older caches are rebuilt. */
const VERSION = 3;
const BATCH = 10_000;

export interface SyntheticLibrary {
  dir: string;
  count: number;
  /** Planted near-copies as photo ids: [copy, original]. */
  copies: [number, number][];
  topics: Float32Array[];
}

export function syntheticLibrary(count: number, model: SyntheticModel = SYNTHETIC): SyntheticLibrary {
  const dir = path.join(CACHE, model === SYNTHETIC ? `library-${count}` : `library-${count}-${model.name.replace(/[^\w.-]/g, '_')}`);
  const marker = path.join(dir, 'built.json');
  const topics = syntheticTopics(count, 512, 7);
  if (fs.existsSync(marker)) {
    const built = JSON.parse(fs.readFileSync(marker, 'utf8')) as { version: number; count: number; copies: [number, number][]; key?: string };
    if (built.version === VERSION && built.count === count && (built.key ?? MODEL_KEY) === model.key) return { dir, count, copies: built.copies, topics };
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const synthetic = syntheticCatalog(count, 512, 7);
  build(dir, count, synthetic, model);
  // Photo ids are row + 1 (a fresh catalog numbers rows from 1 in insertion order).
  const copies = synthetic.copies.map(([c, o]) => [c + 1, o + 1] as [number, number]);
  fs.writeFileSync(marker, JSON.stringify({ version: VERSION, count, copies, key: model.key }));
  console.log(`# built ${dir} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return { dir, count, copies, topics };
}

function build(dir: string, count: number, synthetic: SyntheticCatalog, model: SyntheticModel): void {
  const catalog = Catalog.open(dir);
  const store = catalog.embeddings(catalog.models.ensure(model.key, model.name, 512));
  const folders = Array.from({ length: 100 }, (_, f) => catalog.folders.ensure(`/synthetic/folder-${f}`));
  const rnd = random(1234);
  const hashes: string[] = [];
  const takenAts: (string | null)[] = [];
  const copyOf = new Map(synthetic.copies);
  const start = Date.parse('2015-01-01T00:00:00Z');
  const span = 10 * 365 * 86400_000;
  for (let from = 0; from < count; from += BATCH) {
    catalog.transaction(() => {
      for (let i = from; i < Math.min(count, from + BATCH); i++) {
        const original = copyOf.get(i);
        const hash = original === undefined ? randomHash(rnd) : flipBits(hashes[original]!, 2, rnd);
        hashes.push(hash);
        const taken = new Date(start + Math.floor(rnd() * span)).toISOString().slice(0, 19);
        const own = rnd() < 0.9 ? taken : null;
        // A copy (re-encode, resize, crop) carries its original's EXIF capture time, as real copies do.
        const takenAt = original === undefined ? own : takenAts[original]!;
        takenAts.push(takenAt);
        const id = catalog.photos.upsert({ path: `/synthetic/folder-${i % 100}/${i}.jpg`, folderId: folders[i % 100]!, size: 3_000_000, mtimeMs: start + i,
          contentHash: `h${i}`, format: 'jpeg', width: 4000, height: 3000, ...EMPTY_METADATA, takenAt, dhash: hash, dhashStableBits: 40, sharpness: 100 });
        store.put(id, synthetic.data.subarray(i * 512, (i + 1) * 512));
      }
    });
  }
  catalog.db.pragma('wal_checkpoint(TRUNCATE)');
  catalog.close();
}

function randomHash(rnd: () => number): string {
  return Array.from({ length: 16 }, () => Math.floor(rnd() * 16).toString(16)).join('');
}

function flipBits(hex: string, bits: number, rnd: () => number): string {
  let value = BigInt(`0x${hex}`);
  for (let b = 0; b < bits; b++) value ^= 1n << BigInt(Math.floor(rnd() * 64));
  return value.toString(16).padStart(16, '0');
}

export function catalogBytes(dir: string): number {
  return [CATALOG_FILE, `${CATALOG_FILE}-wal`].map((f) => path.join(dir, f)).filter((f) => fs.existsSync(f)).reduce((s, f) => s + fs.statSync(f).size, 0);
}

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodePhoto } from '../../app/image/decode.js';
import { ClipModel } from '../../app/model/clip-model.js';
import { loadModelPack } from '../../app/model/load-pack.js';

/**
 * Vectors of the development photos (../shared/datasets/tiny-clip-dev and tiny-clip's samples) for one model,
 * embedded once through the app's own decode, crop and ONNX session and cached in test/.cache/search-dev/,
 * so that the relevance and tagging harness (test/bench/search-dev.ts) can replay every library mix in
 * memory. The cache is keyed by the model folder's manifest hash and the photo list.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..', '..');
export const SHARED = path.resolve(ROOT, '..', 'shared');
export const DEV_DIR = path.join(SHARED, 'datasets', 'tiny-clip-dev');
export const SAMPLES_DIR = path.join(ROOT, 'test', 'fixtures', 'tiny-clip', 'samples');
export const MODELS = { 'tiny-clip': path.join(ROOT, 'test', 'fixtures', 'tiny-clip'), 'tiny-clip-gap': path.join(SHARED, 'models', 'tiny-clip-gap') } as const;
export type ModelName = keyof typeof MODELS;
const CACHE = path.join(ROOT, 'test', '.cache', 'search-dev');

export interface PhotoSet {
  files: string[];
  vectors: Float32Array[];
}

export async function embedFolder(model: ClipModel, dir: string, files: string[]): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let i = 0; i < files.length; i += 32) {
    const crops: Buffer[] = [];
    for (const f of files.slice(i, i + 32)) {
      const decoded = await decodePhoto(fs.readFileSync(path.join(dir, f)), model.decodeSizes);
      crops.push(await model.cropFor(decoded));
    }
    out.push(...(await model.embedCrops(crops)));
  }
  return out;
}

export async function photoVectors(name: ModelName, set: 'dev' | 'samples', model?: ClipModel): Promise<PhotoSet> {
  const dir = set === 'dev' ? DEV_DIR : SAMPLES_DIR;
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.jpg')).sort();
  const file = path.join(CACHE, `${name}-${set}.json`);
  if (fs.existsSync(file)) {
    const cached = JSON.parse(fs.readFileSync(file, 'utf8')) as { files: string[]; vectors: number[][] };
    if (cached.files.join() === files.join()) return { files, vectors: cached.vectors.map((v) => Float32Array.from(v)) };
  }
  const m = model ?? new ClipModel(loadModelPack(MODELS[name]));
  const vectors = await embedFolder(m, dir, files);
  fs.mkdirSync(CACHE, { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ files, vectors: vectors.map((v) => Array.from(v)) }));
  return { files, vectors };
}

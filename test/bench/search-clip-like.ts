import path from 'node:path';
import type { EmbeddingStore } from '../../app/catalog/embeddings.js';
import { BinaryIndex } from '../../app/search/binary-index.js';
import { gaussian, random } from '../helpers/synthetic-vectors.js';

/**
 * Recall of the sign-bit first pass ([Note: quantized first pass]) on vectors with real CLIP's statistics
 * rather than isotropic ones (issue 13): every photo vector shares a large common component (the image cone:
 * √0.5 of its norm, so unrelated photos have cosine ≈ 0.5 as with ViT-B/32), topics inside the cone
 * (~1 000 photos each), and text queries from another cone (their own common component, plus a varying
 * share along the image cone: real CLIP's per-query shift). The real BinaryIndex scans bits made the way
 * the catalog makes them (bit set where the value is > 0, as sqlite-vec's vec_quantize_binary), then the best
 * 50 × 16 are re-scored exactly, as VectorSearch does; recall@50 is against the exact top 50.
 *
 *   node_modules/.bin/node --import tsx test/bench/search-clip-like.ts [photos...]   (default 100000)
 *
 * `pack centre` quantizes x − c, c the mean of 128 calibration vectors with topics of their own (what the
 * catalog stores: [Note: centred sign bits]); `library mean` uses the mean of the library's first 2 000 vectors
 * instead (the ideal the pack centre approximates, for comparison). Prints JSON lines.
 */
const DIM = 512;
const K = 50;
const OVERSAMPLE = 16;

function unit(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  for (let i = 0; i < v.length; i++) v[i]! /= n;
  return v;
}

function direction(g: () => number): Float32Array {
  return unit(Float32Array.from({ length: DIM }, g));
}

export function clipLikeLibrary(count: number, seed = 7, calibrationCount = 128) {
  const g = gaussian(random(seed));
  const imageCone = direction(g);
  const textCone = direction(g);
  const topics = Array.from({ length: Math.max(1, Math.round(count / 1000)) }, () => direction(g));
  const data = new Float32Array(count * DIM);
  const share = Math.SQRT1_2;
  const photo = (v: Float32Array, topic: Float32Array) => {
    // Inside the cone: topic (cosine ≈ 0.4 between two photos of one topic, after the cone) + noise.
    for (let d = 0; d < DIM; d++) v[d] = 0.6 * topic[d]! + (0.75 * g()) / Math.sqrt(DIM);
    unit(v);
    for (let d = 0; d < DIM; d++) v[d] = share * imageCone[d]! + share * v[d]!;
    unit(v);
  };
  for (let i = 0; i < count; i++) photo(data.subarray(i * DIM, (i + 1) * DIM), topics[i % topics.length]!);
  // The pack's calibration images as this model sees them: 128 pictures of their own (topics no library photo
  // has), in the same cone. Their mean is the centre the app takes the sign bits around ([Note: centred sign bits]).
  const calibrationTopics = Array.from({ length: 16 }, () => direction(g));
  const calibration = Array.from({ length: calibrationCount }, (_, i) => {
    const v = new Float32Array(DIM);
    photo(v, calibrationTopics[i % calibrationTopics.length]!);
    return v;
  });
  const queries = Array.from({ length: 40 }, (_, q) => {
    const topic = topics[(q * 7) % topics.length]!;
    const shift = 0.1 + 0.2 * ((q * 37) % 11) / 10;
    const v = new Float32Array(DIM);
    for (let d = 0; d < DIM; d++) v[d] = 0.45 * topic[d]! + 0.8 * textCone[d]! + shift * imageCone[d]! + (0.3 * g()) / Math.sqrt(DIM);
    return unit(v);
  });
  return { data, queries, calibration };
}

function signBits(data: Float32Array, count: number, centre?: Float32Array): Uint8Array {
  const bytes = DIM / 8;
  const out = new Uint8Array(count * bytes);
  for (let i = 0; i < count; i++) {
    for (let d = 0; d < DIM; d++) {
      if (data[i * DIM + d]! - (centre ? centre[d]! : 0) > 0) out[i * bytes + (d >> 3)]! |= 1 << (d & 7);
    }
  }
  return out;
}

function topK(scores: Float32Array, ids: Iterable<number>, k: number): number[] {
  return [...ids].sort((a, b) => scores[b]! - scores[a]!).slice(0, k);
}

export function measure(count: number): Record<string, { mean: number; min: number }> {
  const t0 = Date.now();
  const { data, queries, calibration } = clipLikeLibrary(count);
  const libraryMean = new Float32Array(DIM);
  const sample = Math.min(count, 2000);
  for (let i = 0; i < sample; i++) for (let d = 0; d < DIM; d++) libraryMean[d]! += data[i * DIM + d]! / sample;
  const packCentre = new Float32Array(DIM);
  for (const v of calibration) for (let d = 0; d < DIM; d++) packCentre[d]! += v[d]! / calibration.length;
  let cosSum = 0;
  for (let i = 0; i < 200; i++) {
    let c = 0;
    for (let d = 0; d < DIM; d++) c += data[i * DIM + d]! * data[(i + 1) * DIM + d]!;
    cosSum += c;
  }
  const ids = Int32Array.from({ length: count }, (_, i) => i + 1);
  const exactScores = new Float32Array(count + 1);
  const results: Record<string, { mean: number; min: number }> = {};
  for (const variant of ['raw signs', 'pack centre', 'library mean'] as const) {
    const bits = signBits(data, count, variant === 'pack centre' ? packCentre : variant === 'library mean' ? libraryMean : undefined);
    const store = { model: { dim: DIM }, allBits: () => ({ ids, vectors: bits, bytesPerVector: DIM / 8 }) } as unknown as EmbeddingStore;
    const index = BinaryIndex.load(store, { helperThreads: 0 });
    const recalls: number[] = [];
    for (const q of queries) {
      for (let i = 0; i < count; i++) {
        let s = 0;
        for (let d = 0; d < DIM; d++) s += data[i * DIM + d]! * q[d]!;
        exactScores[i + 1] = s;
      }
      const exact = new Set(topK(exactScores, ids, K));
      const candidates = index.nearest(q, K * OVERSAMPLE);
      const found = topK(exactScores, candidates, K);
      recalls.push(found.filter((id) => exact.has(id)).length / K);
    }
    void index.close();
    results[variant] = { mean: recalls.reduce((a, b) => a + b, 0) / recalls.length, min: Math.min(...recalls) };
    console.log(
      JSON.stringify({
        bench: 'search-recall-clip-like',
        photos: count,
        variant,
        oversample: OVERSAMPLE,
        meanPhotoPhotoCosine: Math.round((cosSum / 200) * 1000) / 1000,
        recallAt50Mean: Math.round((recalls.reduce((a, b) => a + b, 0) / recalls.length) * 1000) / 1000,
        recallAt50Min: Math.min(...recalls),
        seconds: Math.round((Date.now() - t0) / 100) / 10,
      }),
    );
  }
  return results;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const sizes = process.argv.slice(2).map(Number);
  for (const n of sizes.length ? sizes : [100_000]) measure(n);
}

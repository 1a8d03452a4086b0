/**
 * Synthetic CLIP-like catalogs for scale tests and benchmarks: unit vectors around topic centres (~1 000
 * photos of one subject resemble each other, cosine ≈ 0.4, so a query must rank within a crowd), with a share of planted near-copies (cosine ≈ 0.93) of
 * earlier photos. Deterministic for a seed, so a bench cache and a test see the same vectors.
 */
export interface SyntheticCatalog {
  dim: number;
  /** Row-major [count, dim], row i is photo i + 1. */
  data: Float32Array;
  /** Planted near-copies: [row of the copy, row of its original]. */
  copies: [number, number][];
  topics: Float32Array[];
}

export function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  // xorshift32: fast, and good enough for noise.
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

export function gaussian(rnd: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(rnd() || 1e-12)) * Math.cos(2 * Math.PI * rnd());
}

function normalize(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  for (let i = 0; i < v.length; i++) v[i]! /= n;
  return v;
}

/** `spread`² × dim = how far a point sits from its centre relative to the centre's unit length. */
export function nearPoint(centre: Float32Array, spread: number, g: () => number): Float32Array {
  const s = Math.sqrt(spread / centre.length);
  return normalize(centre.map((x) => x + s * g()));
}

/** The subjects' centres of `syntheticCatalog` with the same arguments, without generating the photos. */
export function syntheticTopics(count: number, dim = 512, seed = 7, perTopic = 1000): Float32Array[] {
  const g = gaussian(random(seed));
  return Array.from({ length: Math.max(1, Math.ceil(count / perTopic)) }, () => nearPoint(new Float32Array(dim), 1, g));
}

export function syntheticCatalog(count: number, dim = 512, seed = 7, copyShare = 0.02, perTopic = 1000): SyntheticCatalog {
  const rnd = random(seed);
  const g = gaussian(rnd);
  const topics = Array.from({ length: Math.max(1, Math.ceil(count / perTopic)) }, () => nearPoint(new Float32Array(dim), 1, g));
  const data = new Float32Array(count * dim);
  const copies: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    let v: Float32Array;
    if (i > 0 && rnd() < copyShare) {
      const original = Math.floor(rnd() * i);
      v = nearPoint(data.subarray(original * dim, (original + 1) * dim), 0.15, g);
      copies.push([i, original]);
    } else {
      v = nearPoint(topics[Math.floor(rnd() * topics.length)]!, 1.5, g);
    }
    data.set(v, i * dim);
  }
  return { dim, data, copies, topics };
}

import type { Catalog } from '../catalog/catalog.js';
import type { EmbeddingStore } from '../catalog/embeddings.js';
import type { Photo } from '../catalog/photos.js';
import { dot } from '../util/vector.js';
import { candidatePairs, type VectorMatrix } from './candidate-pairs.js';
import { hashCandidatePairs } from './hash-candidates.js';
import { suggestKeeper, type Keeper } from './keeper.js';
import { DEFAULT_THRESHOLDS, isBurst, mirroredHash, takenApart, type DuplicateThresholds } from './pair-rules.js';
import { SignatureSource } from './signature-source.js';
import { UnionFind } from './union-find.js';
import { verifyPair, type Verdict } from './verify-pair.js';

/** exact: same bytes; near: the same picture (copies to trash); edit: the same shot processed differently; similar: bursts. */
export type GroupKind = 'exact' | 'near' | 'edit' | 'similar';

export interface DuplicateGroup {
  kind: GroupKind;
  photos: Photo[];
  keep: Keeper;
  /** An edit group holding a left-right mirrored copy. */
  mirrored: boolean;
}

export interface FindOptions {
  thresholds?: Partial<DuplicateThresholds>;
  /** Neighbours looked up per photo in the vector index. */
  neighbours?: number;
  /** At or below this many photos the candidate search compares every pair (see candidate-pairs.ts). */
  exactBelow?: number;
  /** The candidate search, the long part of the scan: photos compared out of all (see candidatePairs). */
  onProgress?: (progress: { done: number; total: number }) => void;
  /** The library's thumbnail cache: photos indexed before picture signatures get theirs from it. */
  thumbsDir?: string;
}

/**
 * Exact duplicates (same bytes), near-duplicates (the same picture), edits (the same shot processed
 * differently) and similar shots (bursts). Candidates come from the vector index and the perceptual hash,
 * never from comparing all pairs; each is verified on the pixels ([Note: near-duplicate rules]). A near
 * group is its keeper and the photos verified as copies of the keeper (not merely of each other: two crops
 * of one original may not contain each other, but each is a copy of the photo kept). An edit group is the
 * keepers and lone photos that are edits of each other, each shown once.
 */
export async function findDuplicates(catalog: Catalog, embeddings: EmbeddingStore, options: FindOptions = {}): Promise<DuplicateGroup[]> {
  const t = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const k = options.neighbours ?? 12;
  const photos = new Map<number, Photo>();
  const byHash = new Map<string, Photo[]>();
  for (const p of catalog.photos.all()) {
    photos.set(p.id, p);
    byHash.set(p.contentHash, [...(byHash.get(p.contentHash) ?? []), p]);
  }
  const notDuplicates = catalog.notDuplicates.pairs();
  const keyOf = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);
  const groups: DuplicateGroup[] = [];

  for (const copies of byHash.values()) if (copies.length > 1) groups.push(group('exact', copies));

  // One representative per content (the copy we would keep): exact copies are already a group of their own.
  const representatives = [...byHash.values()].map((copies) => (copies.length > 1 ? suggestKeeper(copies).photo : copies[0]!));
  const isRepresentative = new Set(representatives.map((p) => p.id));
  const matrix = centred(embeddings.matrix((id) => isRepresentative.has(id)));
  const onProgress = options.onProgress;
  const candidates = await candidatePairs(matrix, {
    k,
    minCosine: t.candidateCosine,
    ...(options.exactBelow === undefined ? {} : { exactBelow: options.exactBelow }),
    ...(onProgress ? { onProgress: (done: number, total: number) => onProgress({ done, total }) } : {}),
  });
  const pairs = new Map<string, [number, number]>();
  for (const { a, b } of candidates) pairs.set(keyOf(a, b), [a, b]);
  // Copies a weak model does not pair: their hash, or their mirror image's hash, is within a few bits.
  const hashed = representatives.filter((p): p is Photo & { dhash: string } => p.dhash !== null);
  const mirrors = hashed.map((p) => ({ id: -p.id, dhash: mirroredHash(p.dhash) }));
  for (const [a, b] of hashCandidatePairs([...hashed, ...mirrors], t.hashBits)) {
    const [x, y] = [Math.abs(a), Math.abs(b)];
    if (x !== y) pairs.set(keyOf(x, y), [x, y]);
  }

  const signatures = new SignatureSource(catalog, options.thumbsDir);
  const verdicts = new Map<string, Verdict>();
  const verdictOf = async (a: number, b: number): Promise<Verdict> => {
    const key = keyOf(a, b);
    let v = verdicts.get(key);
    if (!v) {
      const [pa, pb] = [photos.get(a)!, photos.get(b)!];
      const [sa, sb] = [await signatures.of(pa), await signatures.of(pb)];
      v = notDuplicates.has(key) || !sa || !sb ? { kind: 'different' } : verifyPair(sa, sb, t.verify);
      // Two camera originals shot at different times are two shots: a burst at most, never copies.
      if (v.kind === 'near' && takenApart(pa.takenAt, pb.takenAt)) v = { kind: 'different' };
      verdicts.set(key, v);
    }
    return v;
  };
  const near: [number, number][] = [];
  const edits: [number, number, Verdict][] = [];
  for (const [a, b] of pairs.values()) {
    const v = await verdictOf(a, b);
    if (v.kind === 'near') near.push([a, b]);
    else if (v.kind === 'edit') edits.push([a, b, v]);
  }

  // Near groups: each component of near pairs around its keeper, keeping only verified copies of the keeper;
  // the rest of a component is grouped again on its own.
  const headOf = new Map<number, number>();
  for (let component of components(near)) {
    while (component.length > 1) {
      const keeper = suggestKeeper(component.map((id) => photos.get(id)!)).photo;
      const copies: number[] = [];
      const rest: number[] = [];
      for (const id of component) {
        if (id === keeper.id) continue;
        ((await verdictOf(keeper.id, id)).kind === 'near' ? copies : rest).push(id);
      }
      if (copies.length) {
        groups.push(group('near', [keeper, ...copies.map((id) => photos.get(id)!)]));
        for (const id of [keeper.id, ...copies]) headOf.set(id, keeper.id);
      }
      // A keeper with no verified copy stands alone; the others are grouped among themselves.
      component = copies.length ? rest : rest.filter((id) => near.some(([a, b]) => (a === id && rest.includes(b)) || (b === id && rest.includes(a))));
    }
  }

  // Edit groups: keepers of near groups (or lone photos) that are edits of each other.
  const head = (id: number) => headOf.get(id) ?? id;
  const editPairs = edits.map(([a, b]) => [head(a), head(b)] as [number, number]).filter(([a, b]) => a !== b);
  const mirroredPairs = new Set(edits.filter(([, , v]) => v.edit === 'mirrored').map(([a, b]) => keyOf(head(a), head(b))));
  for (const ids of components(editPairs)) {
    const members = ids.map((id) => photos.get(id)!);
    const mirrored = ids.some((a) => ids.some((b) => a < b && mirroredPairs.has(keyOf(a, b))));
    groups.push({ ...group('edit', members), mirrored });
  }

  // Bursts: CLIP-alike frames taken within seconds, not already copies or edits of each other.
  const grouped = new Set([...headOf.keys(), ...editPairs.flat()]);
  const bursts: [number, number][] = [];
  for (const { a, b } of candidates) {
    if (grouped.has(a) || grouped.has(b) || notDuplicates.has(keyOf(a, b))) continue;
    const [pa, pb] = [photos.get(a)!, photos.get(b)!];
    // The capture times first: a vector read per pair is the costly part, and most pairs are years apart.
    if (!isBurst({ cosine: 1, takenA: pa.takenAt, takenB: pb.takenAt }, t)) continue;
    const va = embeddings.get(a);
    const vb = embeddings.get(b);
    if (va && vb && isBurst({ cosine: dot(va, vb), takenA: pa.takenAt, takenB: pb.takenAt }, t)) bursts.push([a, b]);
  }
  for (const ids of components(bursts)) groups.push(group('similar', ids.map((id) => photos.get(id)!)));
  return groups;
}

/** Connected components of two or more photo ids. */
function components(edges: [number, number][]): number[][] {
  const sets = new UnionFind<number>();
  for (const [a, b] of edges) sets.union(a, b);
  return sets.groups().filter((g) => g.length > 1);
}

function group(kind: GroupKind, members: Photo[]): DuplicateGroup {
  return { kind, photos: members, keep: suggestKeeper(members, kind === 'similar'), mirrored: false };
}

/**
 * [Note: centred candidates]
 * The vectors less the library's mean, normalised again. Real CLIP (and tiny-clip-gap) puts every photo in
 * a narrow cone (unrelated photos at cosine ≈ 0.5–0.8), tiny-clip does not (≈ 0–0.5); without the common
 * component both spread alike, so one candidate floor means the same on either and bounds the work.
 */
function centred(m: VectorMatrix): VectorMatrix {
  const n = m.ids.length;
  if (n < 2) return m;
  const mean = new Float64Array(m.dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < m.dim; d++) mean[d]! += m.data[i * m.dim + d]!;
  for (let d = 0; d < m.dim; d++) mean[d]! /= n;
  const data = new Float32Array(m.data.length);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let d = 0; d < m.dim; d++) {
      const v = m.data[i * m.dim + d]! - mean[d]!;
      data[i * m.dim + d] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < m.dim; d++) data[i * m.dim + d]! /= norm;
  }
  return { ids: m.ids, dim: m.dim, data };
}

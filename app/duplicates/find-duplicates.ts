import type { Catalog } from '../catalog/catalog.js';
import type { EmbeddingStore } from '../catalog/embeddings.js';
import type { Photo } from '../catalog/photos.js';
import { hammingDistance } from '../image/perceptual-hash.js';
import { dot } from '../util/vector.js';
import { candidatePairs } from './candidate-pairs.js';
import { suggestKeeper, type Keeper } from './keeper.js';
import { hashCandidatePairs } from './hash-candidates.js';
import { classifyPair, DEFAULT_THRESHOLDS, hashFloor, mirroredHash, type DuplicateThresholds, type PairKind } from './pair-rules.js';
import { UnionFind } from './union-find.js';

export type GroupKind = 'exact' | 'near' | 'similar';

export interface DuplicateGroup {
  kind: GroupKind;
  photos: Photo[];
  keep: Keeper;
  /** A near group holding a left-right mirrored copy. */
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
}

interface Edge {
  a: number;
  b: number;
  cosine: number;
  kind: PairKind;
}

/**
 * Exact duplicates (same bytes), near-duplicates (copies: resized, re-encoded, cropped, edited, mirrored) and
 * similar shots (bursts) — three kinds, never mixed. Candidates come from the vector index (k nearest per
 * photo), never from comparing all pairs; pairs are judged by [Note: near-duplicate rules]; groups grow
 * transitively but a merge is refused when any two members of the result are not similar enough to each
 * other, so a chain of small differences does not glue unrelated photos together.
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
  const groups: DuplicateGroup[] = [];

  for (const copies of byHash.values()) if (copies.length > 1) groups.push(group('exact', copies));

  // One representative per content (the copy we would keep): exact copies are already a group of their own.
  const representatives = [...byHash.values()].map((copies) => (copies.length > 1 ? suggestKeeper(copies).photo : copies[0]!));
  const vectors = new Map<number, Float32Array>();
  const vector = (id: number) => {
    let v = vectors.get(id);
    if (!v) {
      v = embeddings.get(id);
      if (v) vectors.set(id, v);
    }
    return v;
  };
  const isRepresentative = new Set(representatives.map((p) => p.id));
  const judge = (a: number, b: number, cosine: number): PairKind => {
    const pa = photos.get(a)!;
    const pb = photos.get(b)!;
    return classifyPair(
      { cosine, dhashA: pa.dhash, dhashB: pb.dhash, stableA: pa.dhashStableBits, stableB: pb.dhashStableBits, takenA: pa.takenAt, takenB: pb.takenAt },
      t,
    );
  };

  // The pair rules accept nothing under the lowest of their cosine bars, so no candidate needs to be below it.
  // Textured photos matching by hash below this cosine are found by hashCandidatePairs below, so CLIP's
  // candidates need only reach the floor of photos whose hash stability is unknown.
  const minCosine = Math.min(t.unknownStabilityFloorCosine, t.cosine, t.similarCosine);
  const matrix = embeddings.matrix((id) => isRepresentative.has(id));
  const onProgress = options.onProgress;
  const candidates = await candidatePairs(matrix, {
    k,
    minCosine,
    ...(options.exactBelow === undefined ? {} : { exactBelow: options.exactBelow }),
    ...(onProgress ? { onProgress: (done: number, total: number) => onProgress({ done, total }) } : {}),
  });
  const edges = new Map<string, Edge>();
  for (const { a, b, cosine } of candidates) {
    const key = `${a}:${b}`;
    if (notDuplicates.has(key)) continue;
    const kind = judge(a, b, cosine);
    if (kind !== 'unrelated') edges.set(key, { a, b, cosine, kind });
  }

  // Textured photos whose hashes match but whose vectors are not neighbours (see hash-candidates.ts).
  const textured = representatives.filter((p): p is Photo & { dhash: string } => p.dhash !== null && (p.dhashStableBits ?? 0) >= t.minStableBits && vector(p.id) !== undefined);
  for (const [a, b] of hashCandidatePairs(textured, t.hashBits)) {
    const key = `${a}:${b}`;
    if (edges.has(key) || notDuplicates.has(key)) continue;
    const cosine = dot(vector(a)!, vector(b)!);
    const kind = judge(a, b, cosine);
    if (kind !== 'unrelated') edges.set(key, { a, b, cosine, kind });
  }

  const cosineOf = (a: number, b: number) => dot(vector(a)!, vector(b)!);
  const nearEdges = [...edges.values()].filter((e) => e.kind === 'near' || e.kind === 'mirrored');
  // Members of one group need not all be copies of each other by the pair rule (a crop and a brightened
  // copy of one original may differ more than either differs from it), but each pair must stay close.
  const nearGroups = linkage(nearEdges, (a, b) => {
    if (notDuplicates.has(a < b ? `${a}:${b}` : `${b}:${a}`)) return false;
    const kind = judge(a, b, cosineOf(a, b));
    return kind === 'near' || kind === 'mirrored' || mutuallyClose(photos.get(a)!, photos.get(b)!, cosineOf(a, b), t);
  });
  const inNearGroup = new Set(nearGroups.flat());
  for (const ids of nearGroups) {
    const mirrored = ids.some((a) => ids.some((b) => a < b && judge(a, b, cosineOf(a, b)) === 'mirrored'));
    groups.push({ ...group('near', ids.map((id) => photos.get(id)!)), mirrored });
  }

  const similarEdges = [...edges.values()].filter((e) => e.kind === 'similar' && !inNearGroup.has(e.a) && !inNearGroup.has(e.b));
  for (const ids of linkage(similarEdges, (a, b) => judge(a, b, cosineOf(a, b)) !== 'unrelated')) {
    groups.push(group('similar', ids.map((id) => photos.get(id)!)));
  }
  return groups;
}

/**
 * Complete-linkage grouping: edges are taken strongest first, and two groups merge only when every pair
 * across them passes `together`. Returns groups of two or more photo ids.
 */
function linkage(edges: Edge[], together: (a: number, b: number) => boolean): number[][] {
  const sets = new UnionFind<number>();
  const members = new Map<number, number[]>();
  const membersOf = (id: number) => members.get(sets.find(id)) ?? [id];
  for (const e of [...edges].sort((x, y) => y.cosine - x.cosine)) {
    const ga = membersOf(e.a);
    const gb = membersOf(e.b);
    if (sets.find(e.a) === sets.find(e.b)) continue;
    if (!ga.every((a) => gb.every((b) => together(a, b)))) continue;
    const root = sets.union(e.a, e.b);
    members.set(root, [...ga, ...gb]);
  }
  return sets.groups().filter((g) => g.length > 1);
}

function group(kind: GroupKind, photos: Photo[]): DuplicateGroup {
  return { kind, photos, keep: suggestKeeper(photos, kind === 'similar'), mirrored: false };
}

/**
 * Looser than the pair rule, never looser than its CLIP floor: within the loose hash distance (of the photo
 * or of its mirror image: a mirrored copy and a brightened copy of one original differ in both), or nearly
 * as similar by CLIP.
 */
function mutuallyClose(a: Photo, b: Photo, cosine: number, t: DuplicateThresholds): boolean {
  const bits = a.dhash && b.dhash ? Math.min(hammingDistance(a.dhash, b.dhash), hammingDistance(a.dhash, mirroredHash(b.dhash))) : 64;
  return cosine >= hashFloor({ stableA: a.dhashStableBits, stableB: b.dhashStableBits }, t) && (bits <= t.looseHashBits || cosine >= t.cosine - 0.05);
}

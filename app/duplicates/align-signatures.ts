import { COLOUR_SIDE, GREY_SIDE } from '../image/picture-signature.js';
import type { SignatureView } from './signature-view.js';

/**
 * Where one picture sits in the other: `inner` shows the rectangle (x, y, w, h) of `outer`, in fractions of
 * outer's width and height, mirrored left-right when `mirrored`.
 */
export interface Alignment {
  innerIsA: boolean;
  x: number;
  y: number;
  w: number;
  h: number;
  mirrored: boolean;
  /** Zero-mean normalised cross-correlation of the grey grids at this alignment, −1…1. */
  tone: number;
}

/** What the pair's pixels say once aligned: structure, tone and colour, independent of any model. */
export interface AlignedEvidence {
  alignment: Alignment;
  /** The best alignment's correlation without mirroring and with it (mirror evidence is their difference). */
  toneUpright: number;
  toneMirrored: number;
  /** Correlation of gradient magnitudes: the same edges whatever the tones (light/dark, black and white). */
  edge: number;
  /** Correlation of the fine detail (each cell minus its 3×3 neighbourhood): what smooth look-alikes lack. */
  detail: number;
  /**
   * Correlation of the two-dimensional structure: the grey grids less their row and column means (see
   * [Note: pair verification]). A horizon, a vertical gradient or a frame lives in the row and column
   * profiles that many unrelated photos of one composition share; what is left is the picture's own.
   */
  plane: number;
  /** How much structure the pictures have: the smaller grey standard deviation of the two (0–255). */
  contrast: number;
  /** Mean L* of inner minus outer over the aligned colour grid (brightness change). */
  lightness: number;
  /** Mean a*b* distance of the aligned colour cells (colour change, lightness aside). */
  chromaShift: number;
  /** Distance between the mean a*b* of the aligned cells: a colour cast over the whole picture. */
  castShift: number;
  /** Mean chroma of each picture: a black-and-white picture has ≈ 0. */
  chromaA: number;
  chromaB: number;
}

/**
 * Crop sizes tried, as fractions of the largest rectangle of the outer picture with the inner one's aspect
 * ratio. 1 is a resize or re-encode; down to 0.7 covers the crops a photographer makes to straighten or
 * tighten a shot. Tighter crops are a new picture (and their grid would be upsampled 1.4× or more).
 */
const SCALES = [1, 0.9, 0.8, 0.7];
/**
 * Offset step of the coarse search, in fractions of the outer picture (2.4 cells of 32): the refinement
 * tries half a step either way, so no offset is further than a quarter step (0.6 cell) from one tried.
 */
const STEP = 0.075;
/** The refinement stops at a tenth of a cell: closer than the grids' own rounding. */
const MIN_STEP = 0.1 / GREY_SIDE;
/**
 * The inner picture covers at least this share of the outer one: the tightest crop searched (0.7²), and it
 * keeps a strip of one picture (a half, a detail) from matching a whole smooth other.
 */
const MIN_AREA = 0.49;
/** The coarse search compares 16×16 samples (a quarter of the work); the best is refined at full 32×32. */
const COARSE = 16;
/**
 * A pair of one aspect ratio whose unaligned correlation reaches this is a plain resize or re-encode: no
 * search needed. Re-encodes and resizes reach 0.99–1 (the finest pixel patterns the lowest; below this they
 * are merely searched), and crops of smooth pictures must not pass: a 90 % crop of a soft gradient still correlates 0.98 with its uncropped original, and judging it
 * unaligned then compares the wrong colour cells (at 0.97, such crops were judged colour edits). A pair of
 * two aspect ratios is always searched: its unaligned grids are two different stretches.
 */
const NO_SEARCH = 0.995;
/** Aspect ratios this close (1 %) are one frame: a resize rounds each side to whole pixels. */
const SAME_ASPECT = 0.01;
/**
 * Under this coarse correlation an alignment is not refined: it cannot reach the verdict's bars (0.9 and
 * up, see [Note: pair verification]), and most candidate pairs stop here, at a third of the cost.
 */
const REJECT = 0.6;

interface Grid {
  side: number;
  values: Float32Array;
}

/** Aligns two signatures by searching scales, offsets and a mirror, then measures what differs. */
export function alignSignatures(a: SignatureView, b: SignatureView): AlignedEvidence {
  return measureAligned(a, b, alignPair(a, b));
}

/** The best alignment, upright or mirrored, and the best correlation of each. */
export interface PairAlignment {
  alignment: Alignment;
  toneUpright: number;
  toneMirrored: number;
}

/** The alignment search alone: a pair whose best correlation misses the verdict's bar needs no measures. */
export function alignPair(a: SignatureView, b: SignatureView): PairAlignment {
  const upright = bestAlignment(a, b, false);
  // Crops are searched mirrored too once the upright picture aligns (most candidate pairs do not, and stop
  // at the full frame): a crop of a nearly symmetric picture aligns upright with its mirrored copy almost
  // as well as with its original, and only the mirrored crop's better fit shows it is the mirror.
  const mirrored = bestAlignment(a, b, true, upright.tone >= REJECT);
  return { alignment: mirrored.tone > upright.tone ? mirrored : upright, toneUpright: upright.tone, toneMirrored: mirrored.tone };
}

/** What differs between the two pictures once aligned. */
export function measureAligned(a: SignatureView, b: SignatureView, aligned: PairAlignment): AlignedEvidence {
  return evidence(a, b, aligned.alignment, aligned.toneUpright, aligned.toneMirrored);
}

function bestAlignment(a: SignatureView, b: SignatureView, mirrored: boolean, searchCrops = !mirrored): Alignment {
  const full = (innerIsA: boolean): Alignment => ({ innerIsA, x: 0, y: 0, w: 1, h: 1, mirrored, tone: -1 });
  const identity = refine(a, b, full(true));
  const sameAspect = Math.abs(Math.log(a.aspect / b.aspect)) < SAME_ASPECT;
  if (identity.tone >= NO_SEARCH && sameAspect) return identity;
  // A mirrored copy is a mirrored whole picture: unless asked, only the full frame is refined, and only when it is close.
  if (!searchCrops) return identity.tone >= REJECT ? best(identity, refineAround(a, b, identity)) : identity;
  let found = identity;
  for (const innerIsA of [true, false]) {
    const inner = innerIsA ? a : b;
    const outer = innerIsA ? b : a;
    const innerCoarse = unitGrid(inner, 'coarse');
    // The largest rectangle of the outer picture with the inner one's aspect ratio.
    const w0 = Math.min(1, inner.aspect / outer.aspect);
    const h0 = Math.min(1, outer.aspect / inner.aspect);
    let coarseBest: Alignment = { ...full(innerIsA), tone: -2 };
    for (const s of SCALES) {
      const w = s * w0;
      const h = s * h0;
      if (w * h < MIN_AREA) continue;
      for (const x of positions(1 - w)) {
        for (const y of positions(1 - h)) {
          const tone = correlateRegion(innerCoarse, COARSE, coarseGrid(outer), COARSE, x, y, w, h, mirrored);
          if (tone > coarseBest.tone) coarseBest = { innerIsA, x, y, w, h, mirrored, tone };
        }
      }
    }
    // Each direction is refined on its own: a crop seen from the wrong side converges to the full frame.
    if (coarseBest.tone >= REJECT) found = best(found, refineAround(a, b, coarseBest));
  }
  // A crop must fit clearly better than the whole frame: a brightened copy of a smooth picture (its tones
  // bent by clipping) fits a 96 % crop by 0.003 better than itself, and its colour was then compared on
  // shifted cells (dev set); real crops of smooth pictures fit by 0.02 and more.
  return sameAspect && found !== identity && identity.tone >= found.tone - CROP_MARGIN ? identity : found;
}

/** How much better than the whole frame a crop of one aspect ratio must fit to be taken for a crop. */
const CROP_MARGIN = 0.005;

function best(x: Alignment, y: Alignment): Alignment {
  return y.tone > x.tone ? y : x;
}

/**
 * The coarse optimum refined at full resolution by coordinate descent: offsets and scale are nudged by a
 * step that halves each round, down to a tenth of a cell, keeping any nudge that raises the correlation;
 * each step is repeated while it still helps (up to MAX_MOVES times), so that the search walks the whole
 * way from the coarse grid's nearest point (up to half a coarse step off) instead of one step of it. One
 * pass per step left a 90 % crop of a fine-textured picture at 86 % and 3 % off, where its colour cells
 * then differed by 7 in a*b*.
 */
function refineAround(a: SignatureView, b: SignatureView, at: Alignment): Alignment {
  let found = refine(a, b, at);
  for (let step = STEP / 2; step >= MIN_STEP; step /= 2) {
    for (let move = 0; move < MAX_MOVES; move++) {
      const before = found;
      found = nudge(a, b, found, step);
      if (found === before) break;
    }
  }
  return found;
}

/** Moves per step size: two reach the previous (twice as long) step, four leave room for a diagonal walk. */
const MAX_MOVES = 4;

function nudge(a: SignatureView, b: SignatureView, from: Alignment, step: number): Alignment {
  let found = from;
  for (const [dx, dy, ds] of NUDGES) {
    const grow = 1 + ds * step;
    const w = Math.min(1, found.w * grow);
    const h = Math.min(1, found.h * grow);
    if (w * h < MIN_AREA) continue;
    const x = clamp(found.x + dx * step + (found.w - w) / 2, 0, 1 - w);
    const y = clamp(found.y + dy * step + (found.h - h) / 2, 0, 1 - h);
    found = best(found, refine(a, b, { ...found, x, y, w, h }));
  }
  return found;
}

const NUDGES: [number, number, number][] = [[-1, 0, 0], [1, 0, 0], [0, -1, 0], [0, 1, 0], [0, 0, -1], [0, 0, 1]];

function refine(a: SignatureView, b: SignatureView, at: Alignment): Alignment {
  const inner = at.innerIsA ? a : b;
  const outer = at.innerIsA ? b : a;
  return { ...at, tone: correlateRegion(unitGrid(inner, 'fine'), GREY_SIDE, outer.grey, GREY_SIDE, at.x, at.y, at.w, at.h, at.mirrored) };
}

const unitGrids = new WeakMap<SignatureView, { fine: Float32Array; coarse: Float32Array; coarseGrey: Float32Array }>();

/** The grey grid box-averaged to COARSE cells: what the coarse search samples (sampling the fine grid aliases textures). */
function coarseGrid(view: SignatureView): Float32Array {
  unitGrid(view, 'fine');
  return unitGrids.get(view)!.coarseGrey;
}

/** A signature's grey grid, zero-mean and unit length, at full and coarse resolution (computed once per view). */
function unitGrid(view: SignatureView, level: 'fine' | 'coarse'): Float32Array {
  let grids = unitGrids.get(view);
  if (!grids) {
    const coarseGrey = downsample(view.grey, GREY_SIDE, COARSE);
    grids = { fine: zeroMeanUnit(view.grey), coarse: zeroMeanUnit(coarseGrey), coarseGrey };
    unitGrids.set(view, grids);
  }
  return grids[level];
}

/**
 * Correlation of `unit` (out² values, zero-mean unit length) with bilinear samples of the outer grey grid
 * over the rectangle (x, y, w, h), without allocating: the search's inner loop.
 */
function correlateRegion(unit: Float32Array, out: number, grey: Float32Array, side: number, x: number, y: number, w: number, h: number, mirrored: boolean): number {
  // Column positions once per region; the inner loop is then four loads and three blends a sample.
  const cx0 = SCRATCH_X0;
  const cx1 = SCRATCH_X1;
  const cfx = SCRATCH_FX;
  for (let i = 0; i < out; i++) {
    const t = (i + 0.5) / out;
    const u = (x + (mirrored ? 1 - t : t) * w) * side - 0.5;
    const x0 = clamp(Math.floor(u), 0, side - 1);
    cx0[i] = x0;
    cx1[i] = Math.min(side - 1, x0 + 1);
    cfx[i] = clamp(u - x0, 0, 1);
  }
  let sum = 0;
  let sumSq = 0;
  let dot = 0;
  for (let j = 0; j < out; j++) {
    const v = (y + ((j + 0.5) / out) * h) * side - 0.5;
    const y0 = clamp(Math.floor(v), 0, side - 1);
    const fy = clamp(v - y0, 0, 1);
    const r0 = y0 * side;
    const r1 = Math.min(side - 1, y0 + 1) * side;
    const row = j * out;
    for (let i = 0; i < out; i++) {
      const x0 = cx0[i]!;
      const x1 = cx1[i]!;
      const fx = cfx[i]!;
      const top = grey[r0 + x0]! + (grey[r0 + x1]! - grey[r0 + x0]!) * fx;
      const bottom = grey[r1 + x0]! + (grey[r1 + x1]! - grey[r1 + x0]!) * fx;
      const value = top + (bottom - top) * fy;
      sum += value;
      sumSq += value * value;
      dot += unit[row + i]! * value;
    }
  }
  // The unit vector has zero mean, so its dot with the raw values equals its dot with the centred ones.
  const n = out * out;
  const variance = sumSq - (sum * sum) / n;
  return variance > 1e-6 ? dot / Math.sqrt(variance) : 0;
}

const SCRATCH_X0 = new Int32Array(GREY_SIDE);
const SCRATCH_X1 = new Int32Array(GREY_SIDE);
const SCRATCH_FX = new Float64Array(GREY_SIDE);

function evidence(a: SignatureView, b: SignatureView, at: Alignment, toneUpright: number, toneMirrored: number): AlignedEvidence {
  const inner = at.innerIsA ? a : b;
  const outer = at.innerIsA ? b : a;
  const outerGrey = sample({ side: GREY_SIDE, values: outer.grey }, at.x, at.y, at.w, at.h, at.mirrored, GREY_SIDE);
  const edge = correlate(zeroMeanUnit(gradient(inner.grey, GREY_SIDE)), gradient(outerGrey, GREY_SIDE));
  const detail = correlate(zeroMeanUnit(highPass(inner.grey, GREY_SIDE)), highPass(outerGrey, GREY_SIDE));
  const plane = correlate(zeroMeanUnit(lessProfiles(inner.grey, GREY_SIDE)), lessProfiles(outerGrey, GREY_SIDE));
  const contrast = Math.min(deviation(a.grey), deviation(b.grey));
  const { lightness, chromaShift, castShift } = compareColour(inner, outer, at);
  return {
    alignment: at,
    toneUpright,
    toneMirrored,
    edge,
    detail,
    plane,
    contrast,
    lightness,
    chromaShift,
    castShift,
    chromaA: meanChroma(a),
    chromaB: meanChroma(b),
  };
}

/** Outer cells compared for colour cover at least this share of their area inside the inner picture. */
const COVERED = 0.95;
/**
 * Cells whose brightest channel (in either picture) reaches this are left out of the colour comparison:
 * brightening by 12 % (what `near` allows, see [Note: pair verification]) clips a channel above 255 / 1.12
 * ≈ 228, and a clipped colour loses chroma and turns in hue (a brightened copy of a saturated picture moved
 * its mean a*b* by 3 to 8 on the dev set, all of it in such cells), which is the copy's, not a grade's.
 */
const CLIPPING = 228;
/** Fewer unclipped colour cells than this (a quarter of the 16 × 16 grid) are too few to judge colour on. */
const MIN_COLOUR_CELLS = 64;

/**
 * [Note: colour compared on the outer grid]
 * The colours of the aligned pictures compared cell by cell on the outer picture's 8×8 grid: each outer
 * cell lying inside the inner picture against the inner cells' area-weighted mean over the same footprint.
 * The inner picture's cells are the smaller ones (a crop's 8 cells span less of the scene), so integrating
 * them over an outer cell reproduces what the outer cell averaged; sampling the coarse outer grid at the
 * inner cells' centres instead blurs the outer picture against a sharper inner one, and made an 80 % crop
 * of a colourful picture differ by 10 in a*b* from its own original (its colour unchanged), more than a
 * strong colour grade of a dark picture (3). For a resize both grids are one and the same.
 */
function compareColour(inner: SignatureView, outer: SignatureView, at: Alignment): { lightness: number; chromaShift: number; castShift: number } {
  const S = COLOUR_SIDE;
  const cells: { dL: number; da: number; db: number; clipped: boolean }[] = [];
  for (let cy = 0; cy < S; cy++) {
    // The outer cell's rows in the inner picture's fractions.
    const v0 = (cy / S - at.y) / at.h;
    const v1 = ((cy + 1) / S - at.y) / at.h;
    for (let cx = 0; cx < S; cx++) {
      let u0 = (cx / S - at.x) / at.w;
      let u1 = ((cx + 1) / S - at.x) / at.w;
      if (at.mirrored) [u0, u1] = [1 - u1, 1 - u0];
      const inside = (Math.min(1, u1) - Math.max(0, u0)) * (Math.min(1, v1) - Math.max(0, v0));
      if (u1 <= 0 || u0 >= 1 || v1 <= 0 || v0 >= 1 || inside < COVERED * (u1 - u0) * (v1 - v0)) continue;
      const o = cy * S + cx;
      let area = 0;
      let peak = outer.peak[o]!;
      let L = 0;
      let a = 0;
      let b = 0;
      for (let j = Math.max(0, Math.floor(v0 * S)); j < Math.min(S, Math.ceil(v1 * S)); j++) {
        const hj = Math.min(v1, (j + 1) / S) - Math.max(v0, j / S);
        if (hj <= 0) continue;
        for (let i = Math.max(0, Math.floor(u0 * S)); i < Math.min(S, Math.ceil(u1 * S)); i++) {
          const wi = Math.min(u1, (i + 1) / S) - Math.max(u0, i / S);
          if (wi <= 0) continue;
          const k = j * S + i;
          area += wi * hj;
          peak = Math.max(peak, inner.peak[k]!);
          L += wi * hj * inner.L[k]!;
          a += wi * hj * inner.a[k]!;
          b += wi * hj * inner.b[k]!;
        }
      }
      cells.push({ dL: L / area - outer.L[o]!, da: a / area - outer.a[o]!, db: b / area - outer.b[o]!, clipped: peak >= CLIPPING });
    }
  }
  if (cells.length === 0) return { lightness: 0, chromaShift: Infinity, castShift: Infinity };
  // The colour is judged where neither picture clips, unless that leaves too little of it (a picture
  // bright nearly all over): then on every cell, clipping and all.
  const unclipped = cells.filter((c) => !c.clipped);
  const judged = unclipped.length >= MIN_COLOUR_CELLS ? unclipped : cells;
  let lightness = 0;
  for (const c of cells) lightness += c.dL;
  let chromaShift = 0;
  let da = 0;
  let db = 0;
  for (const c of judged) {
    chromaShift += Math.hypot(c.da, c.db);
    da += c.da;
    db += c.db;
  }
  const n = judged.length;
  return { lightness: lightness / cells.length, chromaShift: chromaShift / n, castShift: Math.hypot(da / n, db / n) };
}

function positions(room: number): number[] {
  if (room <= 1e-6) return [0];
  const count = Math.round(room / STEP) + 1;
  return Array.from({ length: count }, (_, i) => (room * i) / (count - 1));
}

/**
 * `out`² bilinear samples of a square grid over the rectangle (x, y, w, h) in fractions of the grid, at the
 * centres of `out` equal cells, mirrored left-right when asked.
 */
function sample(grid: Grid, x: number, y: number, w: number, h: number, mirrored: boolean, out: number): Float32Array {
  const { side, values } = grid;
  const result = new Float32Array(out * out);
  for (let j = 0; j < out; j++) {
    const v = (y + ((j + 0.5) / out) * h) * side - 0.5;
    const y0 = clamp(Math.floor(v), 0, side - 1);
    const y1 = Math.min(side - 1, y0 + 1);
    const fy = clamp(v - y0, 0, 1);
    for (let i = 0; i < out; i++) {
      const t = (i + 0.5) / out;
      const u = (x + (mirrored ? 1 - t : t) * w) * side - 0.5;
      const x0 = clamp(Math.floor(u), 0, side - 1);
      const x1 = Math.min(side - 1, x0 + 1);
      const fx = clamp(u - x0, 0, 1);
      const top = values[y0 * side + x0]! * (1 - fx) + values[y0 * side + x1]! * fx;
      const bottom = values[y1 * side + x0]! * (1 - fx) + values[y1 * side + x1]! * fx;
      result[j * out + i] = top * (1 - fy) + bottom * fy;
    }
  }
  return result;
}

function downsample(values: Float32Array, side: number, out: number): Float32Array {
  const k = side / out;
  const result = new Float32Array(out * out);
  for (let j = 0; j < out; j++) {
    for (let i = 0; i < out; i++) {
      let sum = 0;
      for (let y = j * k; y < (j + 1) * k; y++) for (let x = i * k; x < (i + 1) * k; x++) sum += values[y * side + x]!;
      result[j * out + i] = sum / (k * k);
    }
  }
  return result;
}

/** Each cell minus the mean of its 3×3 neighbourhood (clamped at the border). */
function highPass(values: Float32Array, side: number): Float32Array {
  const result = new Float32Array(side * side);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      let sum = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) sum += values[clamp(y + dy, 0, side - 1) * side + clamp(x + dx, 0, side - 1)]!;
      result[y * side + x] = values[y * side + x]! - sum / 9;
    }
  }
  return result;
}

/** Each cell less its row's and its column's mean, plus the grid's mean: the structure no 1-D profile explains. */
function lessProfiles(values: Float32Array, side: number): Float32Array {
  const rows = new Float64Array(side);
  const cols = new Float64Array(side);
  let mean = 0;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const v = values[y * side + x]!;
      rows[y]! += v / side;
      cols[x]! += v / side;
      mean += v / (side * side);
    }
  }
  const result = new Float32Array(side * side);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) result[y * side + x] = values[y * side + x]! - rows[y]! - cols[x]! + mean;
  return result;
}

/** |∂x| + |∂y| by central differences (one-sided at the border). */
function gradient(values: Float32Array, side: number): Float32Array {
  const result = new Float32Array(side * side);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const l = values[y * side + Math.max(0, x - 1)]!;
      const r = values[y * side + Math.min(side - 1, x + 1)]!;
      const u = values[Math.max(0, y - 1) * side + x]!;
      const d = values[Math.min(side - 1, y + 1) * side + x]!;
      result[y * side + x] = Math.abs(r - l) + Math.abs(d - u);
    }
  }
  return result;
}

/** The values with their mean removed, scaled to unit length (all zeros for a flat grid). */
function zeroMeanUnit(values: Float32Array): Float32Array {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let norm = 0;
  const result = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    result[i] = values[i]! - mean;
    norm += result[i]! ** 2;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < result.length; i++) result[i]! /= norm;
  return result;
}

/** Correlation of a zero-mean unit vector with raw values: −1…1, 0 when either is flat. */
function correlate(unit: Float32Array, values: Float32Array): number {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let dot = 0;
  let norm = 0;
  for (let i = 0; i < values.length; i++) {
    const d = values[i]! - mean;
    dot += unit[i]! * d;
    norm += d * d;
  }
  return norm > 0 ? dot / Math.sqrt(norm) : 0;
}

function deviation(values: Float32Array): number {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let sq = 0;
  for (const v of values) sq += (v - mean) ** 2;
  return Math.sqrt(sq / values.length);
}

function meanChroma(s: SignatureView): number {
  let sum = 0;
  for (let i = 0; i < s.a.length; i++) sum += Math.hypot(s.a[i]!, s.b[i]!);
  return sum / s.a.length;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

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
/** A pair whose unaligned correlation reaches this is a plain resize or re-encode: no search needed. */
const NO_SEARCH = 0.97;
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
  const best = { upright: bestAlignment(a, b, false), mirrored: bestAlignment(a, b, true) };
  const alignment = best.mirrored.tone > best.upright.tone ? best.mirrored : best.upright;
  return evidence(a, b, alignment, best.upright.tone, best.mirrored.tone);
}

function bestAlignment(a: SignatureView, b: SignatureView, mirrored: boolean): Alignment {
  const full = (innerIsA: boolean): Alignment => ({ innerIsA, x: 0, y: 0, w: 1, h: 1, mirrored, tone: -1 });
  const identity = refine(a, b, full(true));
  if (identity.tone >= NO_SEARCH) return identity;
  // A mirrored copy is a mirrored whole picture: only the full frame is refined, and only when it is close.
  if (mirrored) return identity.tone >= REJECT ? best(identity, refineAround(a, b, identity)) : identity;
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
  return found;
}

function best(x: Alignment, y: Alignment): Alignment {
  return y.tone > x.tone ? y : x;
}

/**
 * The coarse optimum refined at full resolution by coordinate descent: offsets and scale are nudged by a
 * step that halves each round, down to a tenth of a cell, keeping any nudge that raises the correlation.
 */
function refineAround(a: SignatureView, b: SignatureView, at: Alignment): Alignment {
  let found = refine(a, b, at);
  for (let step = STEP / 2; step >= MIN_STEP; step /= 2) {
    for (const [dx, dy, ds] of NUDGES) {
      const grow = 1 + ds * step;
      const w = Math.min(1, found.w * grow);
      const h = Math.min(1, found.h * grow);
      if (w * h < MIN_AREA) continue;
      const x = clamp(found.x + dx * step + (found.w - w) / 2, 0, 1 - w);
      const y = clamp(found.y + dy * step + (found.h - h) / 2, 0, 1 - h);
      found = best(found, refine(a, b, { ...found, x, y, w, h }));
    }
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
  const colour = (values: Float32Array) => sample({ side: COLOUR_SIDE, values }, at.x, at.y, at.w, at.h, at.mirrored, COLOUR_SIDE);
  const oL = colour(outer.L);
  const oa = colour(outer.a);
  const ob = colour(outer.b);
  let lightness = 0;
  let chromaShift = 0;
  const n = COLOUR_SIDE * COLOUR_SIDE;
  for (let i = 0; i < n; i++) {
    lightness += inner.L[i]! - oL[i]!;
    chromaShift += Math.hypot(inner.a[i]! - oa[i]!, inner.b[i]! - ob[i]!);
  }
  return {
    alignment: at,
    toneUpright,
    toneMirrored,
    edge,
    detail,
    plane,
    contrast,
    lightness: lightness / n,
    chromaShift: chromaShift / n,
    chromaA: meanChroma(a),
    chromaB: meanChroma(b),
  };
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

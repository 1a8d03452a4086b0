import { COLOUR_SIDE, GREY_SIDE, SIGNATURE_BYTES } from '../image/picture-signature.js';

/** A stored picture signature (see [Note: picture signature]) unpacked for comparison. */
export interface SignatureView {
  /** Grey 0–255, GREY_SIDE² row-major. */
  grey: Float32Array;
  /** CIE L*a*b* of the colour grid, COLOUR_SIDE² each. */
  L: Float32Array;
  a: Float32Array;
  b: Float32Array;
  /** The colour grid's largest sRGB channel (0–255) per cell: where a brightened copy clips. */
  peak: Float32Array;
  /** Width over height of the upright photo: the grids are stretched squares. */
  aspect: number;
}

export function signatureView(blob: Uint8Array, width: number, height: number): SignatureView | undefined {
  if (blob.byteLength !== SIGNATURE_BYTES || width <= 0 || height <= 0) return undefined;
  const cells = GREY_SIDE * GREY_SIDE;
  const grey = new Float32Array(cells);
  for (let i = 0; i < cells; i++) grey[i] = blob[i]!;
  const n = COLOUR_SIDE * COLOUR_SIDE;
  const L = new Float32Array(n);
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  const peak = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    peak[i] = Math.max(blob[cells + i * 3]!, blob[cells + i * 3 + 1]!, blob[cells + i * 3 + 2]!);
    const [l, aa, bb] = lab(blob[cells + i * 3]!, blob[cells + i * 3 + 1]!, blob[cells + i * 3 + 2]!);
    L[i] = l;
    a[i] = aa;
    b[i] = bb;
  }
  return { grey, L, a, b, peak, aspect: width / height };
}

/** sRGB (0–255) to CIE L*a*b* (D65): distances in it follow what the eye sees as a colour change. */
export function lab(r8: number, g8: number, b8: number): [number, number, number] {
  const r = linear(r8);
  const g = linear(g8);
  const b = linear(b8);
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const fx = labF(x);
  const fy = labF(y);
  const fz = labF(z);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** sRGB 0–255 to linear light, from a table: a scan converts 256 cells of every photo it verifies. */
const LINEAR = Float64Array.from({ length: 256 }, (_, c) => {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
});

function linear(c: number): number {
  const v = c / 255;
  return LINEAR[c] ?? (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
}

function labF(t: number): number {
  return t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116;
}

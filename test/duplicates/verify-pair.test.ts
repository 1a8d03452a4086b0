import { describe, expect, it } from 'vitest';
import { alignSignatures } from '../../app/duplicates/align-signatures.js';
import { signatureView, type SignatureView } from '../../app/duplicates/signature-view.js';
import { DEFAULT_VERIFY, verifyPair } from '../../app/duplicates/verify-pair.js';
import { pictureSignature } from '../../app/image/picture-signature.js';
import { random } from '../helpers/synthetic-vectors.js';

const W = 320;
const H = 240;

/**
 * A sky over a sea (the row profile many photos share) with a few faint spots of the given seed in the sea:
 * two seeds correlate at tone 0.998 and edge 0.94 (the horizon), and only the spots tell them apart.
 */
function seascape(seed: number, flip = false): Buffer {
  const rnd = random(seed);
  const blobs = Array.from({ length: 12 }, () => ({ x: rnd() * W, y: H * 0.4 + rnd() * H * 0.6, r: 4 + rnd() * 4, v: 20 + rnd() * 20 }));
  const pixels = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const sx = flip ? W - 1 - x : x;
      let grey = y < H * 0.4 ? 200 - y * 0.3 : 70;
      for (const b of blobs) if ((sx - b.x) ** 2 + (y - b.y) ** 2 < b.r ** 2) grey += b.v;
      const p = (y * W + x) * 3;
      pixels[p] = Math.min(255, grey * 0.6);
      pixels[p + 1] = Math.min(255, grey * 0.8);
      pixels[p + 2] = Math.min(255, grey);
    }
  }
  return pixels;
}

/** The same pixels with ±3 levels of noise: what a re-encode does. */
function reencoded(pixels: Buffer, seed: number): Buffer {
  const rnd = random(seed);
  return Buffer.from(pixels.map((v) => Math.max(0, Math.min(255, v + Math.round((rnd() * 2 - 1) * 3)))));
}

function view(pixels: Buffer, width = W, height = H): SignatureView {
  return signatureView(pictureSignature({ pixels, width, height }), width, height)!;
}

/** A colourful picture: a bright, saturated sky (it clips when brightened) over colour gradients and spots. */
function colourful(seed: number): Buffer {
  const rnd = random(seed);
  const spots = Array.from({ length: 40 }, () => ({ x: rnd() * W, y: rnd() * H, r: 6 + rnd() * 14, c: [rnd() * 200, rnd() * 200, rnd() * 200] }));
  const pixels = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let c = y < H * 0.35 ? [250, 200 + 40 * (x / W), 90] : [60 + 80 * (x / W), 110, 150 - 60 * (y / H)];
      for (const s of spots) if ((x - s.x) ** 2 + (y - s.y) ** 2 < s.r ** 2) c = s.c;
      pixels.set(c.map(Math.round), (y * W + x) * 3);
    }
  }
  return pixels;
}

/** Each pixel through `f`, clipped to 0–255 as an editor writes it. */
function mapped(pixels: Buffer, f: (r: number, g: number, b: number) => number[]): Buffer {
  const out = Buffer.alloc(pixels.length);
  for (let i = 0; i < pixels.length; i += 3) out.set(f(pixels[i]!, pixels[i + 1]!, pixels[i + 2]!).map((v) => Math.max(0, Math.min(255, Math.round(v)))), i);
  return out;
}

describe('pair verification ([Note: pair verification])', () => {
  it('takes a re-encoded copy for the same picture', () => {
    const scene = seascape(1);
    expect(verifyPair(view(scene), view(reencoded(scene, 2))).kind).toBe('near');
  });

  it('does not take two scenes of one composition (the same horizon, other things in the sea) for one picture', () => {
    expect(verifyPair(view(seascape(1)), view(seascape(3))).kind).toBe('different');
  });

  it('calls a mirrored copy an edit', () => {
    expect(verifyPair(view(seascape(1)), view(seascape(1, true)))).toEqual({ kind: 'edit', edit: 'mirrored' });
  });

  it('proves nothing from a flat backdrop', () => {
    const flat = Buffer.alloc(W * H * 3, 120);
    expect(verifyPair(view(flat), view(reencoded(flat, 4))).kind).toBe('different');
  });

  it('finds an 80 % crop at its place and takes it for the same picture', () => {
    const scene = colourful(5);
    const [w, h, left, top] = [Math.round(W * 0.8), Math.round(H * 0.8), Math.round(W * 0.1), Math.round(H * 0.1)];
    const crop = Buffer.alloc(w * h * 3);
    for (let y = 0; y < h; y++) scene.copy(crop, y * w * 3, ((y + top) * W + left) * 3, ((y + top) * W + left + w) * 3);
    const e = alignSignatures(view(scene), view(crop, w, h));
    expect(e.alignment.x).toBeCloseTo(0.1, 1);
    expect(e.alignment.w).toBeCloseTo(0.8, 1);
    expect(verifyPair(view(scene), view(crop, w, h)).kind).toBe('near');
  });

  it('takes a brightened copy for the same picture though its sky clips (clipped cells are not judged on colour)', () => {
    const scene = colourful(5);
    expect(verifyPair(view(scene), view(mapped(scene, (r, g, b) => [r * 1.12, g * 1.12, b * 1.12]))).kind).toBe('near');
  });

  it('calls a faint cast over the whole picture a colour edit, though no cell moves more than a copy may', () => {
    const scene = colourful(5);
    const cast = mapped(scene, (r, g, b) => [r - 5, g + 1.5, b + 5]);
    const e = alignSignatures(view(scene), view(cast));
    // Each cell moves less than a crop's resampling may move it; the mean of all of them moves more than a copy's.
    expect(e.chromaShift).toBeLessThan(DEFAULT_VERIFY.chromaShift);
    expect(e.castShift).toBeGreaterThan(DEFAULT_VERIFY.castShift);
    expect(verifyPair(view(scene), view(cast))).toEqual({ kind: 'edit', edit: 'colour' });
  });
});

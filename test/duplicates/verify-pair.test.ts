import { describe, expect, it } from 'vitest';
import { signatureView, type SignatureView } from '../../app/duplicates/signature-view.js';
import { verifyPair } from '../../app/duplicates/verify-pair.js';
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

function view(pixels: Buffer): SignatureView {
  return signatureView(pictureSignature({ pixels, width: W, height: H }), W, H)!;
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
});

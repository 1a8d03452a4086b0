import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Photo } from '../../app/catalog/photos.js';
import { suggestKeeper } from '../../app/duplicates/keeper.js';
import { DEFAULT_THRESHOLDS, isBurst, mirroredHash, takenApart } from '../../app/duplicates/pair-rules.js';
import { decodePhoto } from '../../app/image/decode.js';
import { differenceHash, greyPlane, hammingDistance, perceptualHash } from '../../app/image/perceptual-hash.js';
import { TEST_PHOTOS_DIR } from '../helpers/fixtures.js';
import { EMPTY_METADATA } from '../../app/image/metadata.js';

/** What a textured photo's dHash keeps stable (image/perceptual-hash.ts: copies ≥ 15, flat scenes ≤ 9). */
const MIN_STABLE_BITS = 12;

const hashOf = async (bytes: Buffer) => {
  const photo = await decodePhoto(bytes, { workingShortSide: 448 });
  return differenceHash(greyPlane(photo), photo.width, photo.height);
};

describe('pair rules', () => {
  it('derives the hash of the mirror image from the hash alone (real photos: few ties between neighbours)', async () => {
    const bytes = fs.readFileSync(path.join(TEST_PHOTOS_DIR, 'LadyBird.jpg'));
    const original = await hashOf(bytes);
    const flopped = await hashOf(await sharp(bytes).flop().jpeg({ quality: 95 }).toBuffer());
    expect(hammingDistance(original, flopped)).toBeGreaterThan(DEFAULT_THRESHOLDS.hashBits);
    expect(hammingDistance(mirroredHash(original), flopped)).toBeLessThanOrEqual(4);
  });

  it('counts stable hash bits: many on a textured photo, few on a flat synthetic scene', async () => {
    const stable = async (bytes: Buffer) => {
      const photo = await decodePhoto(bytes, { workingShortSide: 448 });
      return perceptualHash(greyPlane(photo), photo.width, photo.height).stableBits;
    };
    expect(await stable(fs.readFileSync(path.join(TEST_PHOTOS_DIR, 'LadyBird.jpg')))).toBeGreaterThanOrEqual(MIN_STABLE_BITS);
    const flat = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#7a3fa0' } })
      .composite([{ input: Buffer.from('<svg width="40" height="40"><circle cx="20" cy="20" r="18" fill="#ccc"/></svg>'), left: 120, top: 200 }])
      .jpeg()
      .toBuffer();
    expect(await stable(flat)).toBeLessThan(MIN_STABLE_BITS);
  });

  it('tells bursts from copies by capture time, and bursts from unrelated shots by CLIP', () => {
    const burst = { takenA: '2024-06-01T18:42:07', takenB: '2024-06-01T18:42:09' };
    expect(isBurst({ ...burst, cosine: 0.92 }, DEFAULT_THRESHOLDS)).toBe(true);
    expect(isBurst({ ...burst, cosine: 0.8 }, DEFAULT_THRESHOLDS)).toBe(false);
    expect(isBurst({ ...burst, takenB: '2024-06-01T19:42:09', cosine: 0.92 }, DEFAULT_THRESHOLDS)).toBe(false);
    expect(takenApart(burst.takenA, burst.takenB)).toBe(true);
    // A copy keeps its original's capture time, or has none: never "taken apart".
    expect(takenApart(burst.takenA, burst.takenA)).toBe(false);
    expect(takenApart(burst.takenA, null)).toBe(false);
  });
});

describe('suggested keeper', () => {
  const photo = (over: Partial<Photo>): Photo => ({
    id: 1, path: '/p/a.jpg', folderId: null, size: 1000, mtimeMs: 1, contentHash: 'h', format: 'jpeg', width: 100, height: 100,
    ...EMPTY_METADATA, dhash: null, dhashStableBits: null, sharpness: 1, ...over,
  });

  it('prefers the file not named or filed as a copy, even without camera EXIF', () => {
    const original = photo({ id: 1, path: '/p/beach.jpg', mtimeMs: 2000 });
    const copy = photo({ id: 2, path: '/p/copy-of-beach.jpg', mtimeMs: 1000 });
    const keeper = suggestKeeper([copy, original]);
    expect(keeper.photo).toBe(original);
    expect(keeper.reason).toMatch(/copies or exports/);
  });

  it('prefers RAW, then the camera original over a larger export, then resolution', () => {
    const raw = photo({ path: '/p/IMG_1.CR2', format: 'cr2' });
    const jpeg = photo({ path: '/p/IMG_1.JPG', width: 6000, height: 4000, cameraModel: 'EOS R5' });
    expect(suggestKeeper([jpeg, raw]).photo).toBe(raw);
    const original = photo({ path: '/p/IMG_2.JPG', size: 4_000_000, cameraModel: 'EOS R5', takenAt: '2024-01-01T10:00:00' });
    const exported = photo({ path: '/p/export/IMG_2.jpg', size: 9_000_000, mtimeMs: 0 });
    const keep = suggestKeeper([exported, original]);
    expect(keep.photo).toBe(original);
    expect(keep.reason).toMatch(/camera original/);
    const small = photo({ path: '/p/b.jpg', width: 800, height: 600, size: 5_000_000 });
    const large = photo({ path: '/p/c.jpg', width: 4000, height: 3000, size: 3_000_000 });
    expect(suggestKeeper([small, large]).reason).toMatch(/largest resolution/);
  });

  it('keeps the sharpest frame of a burst, but never ranks copies by sharpness', () => {
    const blurry = photo({ path: '/p/1.jpg', sharpness: 10, mtimeMs: 1 });
    const sharp = photo({ path: '/p/2.jpg', sharpness: 90, mtimeMs: 2 });
    expect(suggestKeeper([blurry, sharp], true).photo).toBe(sharp);
    expect(suggestKeeper([blurry, sharp], false).photo).toBe(blurry); // the older file is the original
  });
});

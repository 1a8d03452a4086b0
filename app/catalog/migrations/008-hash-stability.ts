import type { Migration } from './migration.js';

/**
 * How many of a photo's 64 dHash bits are stable (image/perceptual-hash.ts): tells a textured photo, whose
 * hash identifies it, from a flat one, whose hash collides with other flat pictures. NULL for photos hashed
 * before; the duplicate rules then fall back to their older, stricter CLIP floor.
 */
export const hashStability: Migration = {
  version: 8,
  name: 'hash-stability',
  up: `ALTER TABLE photos ADD COLUMN dhash_stable_bits INTEGER;`,
};

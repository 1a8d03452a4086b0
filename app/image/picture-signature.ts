import { boxAverage, type RgbImage } from './box-average.js';

/**
 * [Note: picture signature]
 * What the duplicate finder needs of a photo's pixels to prove that two files show the same picture without
 * decoding either again and without the CLIP model (see [Note: pair verification]): a 32×32 grey thumbnail
 * and a 16×16 colour thumbnail of the upright image, box-averaged from the grid thumbnail the indexer makes
 * anyway, each stretched to a square (the photos' aspect ratios are in the catalog, and the alignment
 * search undoes the stretch). 1 792 bytes a photo, beside a 2 KB vector.
 * - 32 cells a side: a 90 % crop moves the picture by 1.6 cells, which the alignment search resolves; at 16
 *   cells unrelated photos with the same composition (sky over land) correlate as well as a crop does.
 * - Colour at 16×16, from the same 32×32 cells (no extra pass over the pixels): colour edits are global or
 *   smooth, but a crop's colour is compared on cells resampled from the other picture's, and at 8×8 each
 *   cell spans so much of a colourful picture that an 80 % crop differed from its own original by 10 in
 *   a*b* (version 1); at 16×16 by ≤ 6.5, and enough cells remain once clipped ones are left out.
 */
export const GREY_SIDE = 32;
export const COLOUR_SIDE = 16;
export const SIGNATURE_BYTES = GREY_SIDE * GREY_SIDE + COLOUR_SIDE * COLOUR_SIDE * 3;
/**
 * Bumped when the layout or the way it is computed changes: older signatures are then recomputed from the
 * grid thumbnail (duplicates/signature-source.ts). 2: colour at 16×16 instead of 8×8.
 */
export const SIGNATURE_VERSION = 2;

/** Grey (BT.601 luma, as the dHash) row-major 32×32, then RGB row-major COLOUR_SIDE², one byte each. */
export function pictureSignature(photo: RgbImage): Buffer {
  const rgb = boxAverage(photo, GREY_SIDE, GREY_SIDE);
  const out = Buffer.alloc(SIGNATURE_BYTES);
  for (let i = 0; i < GREY_SIDE * GREY_SIDE; i++) out[i] = Math.round(0.299 * rgb[i * 3]! + 0.587 * rgb[i * 3 + 1]! + 0.114 * rgb[i * 3 + 2]!);
  const per = GREY_SIDE / COLOUR_SIDE;
  for (let cy = 0; cy < COLOUR_SIDE; cy++) {
    for (let cx = 0; cx < COLOUR_SIDE; cx++) {
      for (let ch = 0; ch < 3; ch++) {
        let sum = 0;
        for (let y = cy * per; y < (cy + 1) * per; y++) for (let x = cx * per; x < (cx + 1) * per; x++) sum += rgb[(y * GREY_SIDE + x) * 3 + ch]!;
        out[GREY_SIDE * GREY_SIDE + (cy * COLOUR_SIDE + cx) * 3 + ch] = Math.round(sum / (per * per));
      }
    }
  }
  return out;
}

import { decodePhoto } from '../image/decode.js';
import { readMetadata, type PhotoMetadata } from '../image/metadata.js';
import { gridFromWorkingImage, type GridThumbnail } from '../image/thumbnails.js';
import { differenceHash, greyPlane, laplacianVariance } from '../image/perceptual-hash.js';
import type { ClipModel } from '../model/clip-model.js';

export interface PhotoAnalysis extends PhotoMetadata {
  format: string;
  width: number;
  height: number;
  /** The model's input crop, ready for batching. */
  crop: Buffer;
  dhash: string;
  sharpness: number;
  /** The grid thumbnail (WebP) and thumbhash placeholder (see [Note: thumbnails]). */
  grid: GridThumbnail;
}

/**
 * Everything the indexer learns from a photo's bytes, from one decode (see [Note: decode once]): the
 * model's crop, the perceptual hash, sharpness, the grid thumbnail and placeholder, and EXIF metadata.
 * `pixels` is what to decode when it is not the file itself: a RAW file's embedded JPEG (see [Note: RAW previews]). Throws DecodeError for bad images.
 */
export async function analyzePhoto(bytes: Uint8Array, model: ClipModel, pixels: Uint8Array = bytes): Promise<PhotoAnalysis> {
  const [decoded, metadata] = await Promise.all([decodePhoto(pixels, { workingShortSide: model.workingShortSide }), readMetadata(bytes)]);
  const [crop, grid] = await Promise.all([model.cropFor(decoded), gridFromWorkingImage(decoded)]);
  const grey = greyPlane(decoded);
  const dhash = differenceHash(grey, decoded.width, decoded.height);
  const sharpness = laplacianVariance(grey, decoded.width, decoded.height);
  return { ...metadata, format: decoded.format, width: decoded.sourceWidth, height: decoded.sourceHeight, crop, dhash, sharpness, grid };
}

import { clipCrop } from '../image/clip-preprocess.js';
import { decodePhoto } from '../image/decode.js';
import { readMetadata, type PhotoMetadata } from '../image/metadata.js';
import { greyPlane, laplacianVariance, perceptualHash } from '../image/perceptual-hash.js';
import { pictureSignature } from '../image/picture-signature.js';
import { gridFromWorkingImage, type GridThumbnail } from '../image/thumbnails.js';
import type { ClipModel } from '../model/clip-model.js';
import type { ImagePreprocessing } from '../model/pack-types.js';

export interface PhotoAnalysis extends PhotoMetadata {
  format: string;
  width: number;
  height: number;
  /** The model's input crop, ready for batching. */
  crop: Buffer;
  dhash: string;
  dhashStableBits: number;
  sharpness: number;
  /** What the duplicate finder verifies pairs with (see [Note: picture signature]); stored on its own table. */
  signature: Buffer;
  /** The grid thumbnail (JPEG) and thumbhash placeholder (see [Note: thumbnails]). */
  grid: GridThumbnail;
}

/** What analysis needs to know of the model: plain data, so it can cross to a worker thread. */
export interface AnalysisSpec {
  preprocessing: ImagePreprocessing;
  workingShortSide: number;
}

export function analysisSpec(model: ClipModel): AnalysisSpec {
  return { preprocessing: model.pack.preprocessing, workingShortSide: model.workingShortSide };
}

/**
 * Everything the indexer learns from a photo's bytes, from one decode (see [Note: decode once]): the
 * model's crop, the perceptual hash, the picture signature, sharpness, the grid thumbnail and placeholder, and EXIF metadata.
 * `pixels` is what to decode when it is not the file itself: a RAW file's embedded JPEG (see
 * [Note: RAW previews]). Throws DecodeError for bad images. Runs inline or in the worker pool
 * (analyze-pool.ts): it depends on nothing but its arguments.
 */
export async function analyzeImage(bytes: Uint8Array, spec: AnalysisSpec, pixels: Uint8Array = bytes): Promise<PhotoAnalysis> {
  const [decoded, metadata] = await Promise.all([decodePhoto(pixels, { workingShortSide: spec.workingShortSide }), readMetadata(bytes)]);
  const [crop, grid] = await Promise.all([clipCrop(decoded, spec.preprocessing), gridFromWorkingImage(decoded)]);
  const grey = greyPlane(decoded);
  const { dhash, stableBits: dhashStableBits } = perceptualHash(grey, decoded.width, decoded.height);
  const sharpness = laplacianVariance(grey, decoded.width, decoded.height);
  const signature = pictureSignature(decoded);
  return { ...metadata, format: decoded.format, width: decoded.sourceWidth, height: decoded.sourceHeight, crop, dhash, dhashStableBits, sharpness, signature, grid };
}

/** `analyzeImage` for a model, on the calling thread. */
export function analyzePhoto(bytes: Uint8Array, model: ClipModel, pixels: Uint8Array = bytes): Promise<PhotoAnalysis> {
  return analyzeImage(bytes, analysisSpec(model), pixels);
}

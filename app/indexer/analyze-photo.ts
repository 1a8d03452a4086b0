import { clipCrop } from '../image/clip-preprocess.js';
import { decodePhoto, type DecodeOptions } from '../image/decode.js';
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
  decode: DecodeOptions;
}

export function analysisSpec(model: ClipModel): AnalysisSpec {
  return { preprocessing: model.pack.preprocessing, decode: model.decodeSizes };
}

/**
 * [Note: hashes from the grid thumbnail]
 * The dHash, the sharpness and the picture signature are computed from the grid thumbnail's pixels (224 px on
 * the short side, before JPEG; see [Note: grid thumbnail at the model's resize]): a fixed size whatever the
 * photo's resolution or the model, so sharpness compares shots of one scene at different sizes fairly, and few
 * pixels for the JavaScript loops (~1 ms a photo). All three summarise at most 32 cells a side (the Laplacian
 * excepted, which at 224 px still ranks a burst's frames by focus); the duplicate finder computes signatures of
 * old photos from this same thumbnail (duplicates/signature-source.ts). Libraries indexed before the fifth
 * session of issue 15 have 320 px long-side thumbnails: the signatures summarise cells, so they compare across
 * the two sizes.
 */

/**
 * Everything the indexer learns from a photo's bytes, from one decode (see [Note: decode once]): the
 * model's crop, the perceptual hash, the picture signature, sharpness, the grid thumbnail and placeholder, and EXIF metadata.
 * `pixels` is what to decode when it is not the file itself: a RAW file's embedded JPEG (see
 * [Note: RAW previews]). Throws DecodeError for bad images. Runs inline or in the worker pool
 * (analyze-pool.ts): it depends on nothing but its arguments.
 */
export async function analyzeImage(bytes: Uint8Array, spec: AnalysisSpec, pixels: Uint8Array = bytes): Promise<PhotoAnalysis> {
  const [decoded, metadata] = await Promise.all([decodePhoto(pixels, spec.decode), readMetadata(bytes)]);
  const [crop, { image: thumb, ...grid }] = await Promise.all([clipCrop(decoded, spec.preprocessing), gridFromWorkingImage(decoded)]);
  // See [Note: hashes from the grid thumbnail].
  const grey = greyPlane(thumb);
  const { dhash, stableBits: dhashStableBits } = perceptualHash(grey, thumb.width, thumb.height);
  const sharpness = laplacianVariance(grey, thumb.width, thumb.height);
  const signature = pictureSignature(thumb);
  return { ...metadata, format: decoded.format, width: decoded.sourceWidth, height: decoded.sourceHeight, crop, dhash, dhashStableBits, sharpness, signature, grid };
}

/** `analyzeImage` for a model, on the calling thread. */
export function analyzePhoto(bytes: Uint8Array, model: ClipModel, pixels: Uint8Array = bytes): Promise<PhotoAnalysis> {
  return analyzeImage(bytes, analysisSpec(model), pixels);
}

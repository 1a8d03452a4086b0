import { decodePhoto } from '../image/decode.js';
import { readMetadata, type PhotoMetadata } from '../image/metadata.js';
import { greyPlane, laplacianVariance, perceptualHash } from '../image/perceptual-hash.js';
import type { ClipModel } from '../model/clip-model.js';

export interface PhotoAnalysis extends PhotoMetadata {
  format: string;
  width: number;
  height: number;
  /** The model's input crop, ready for batching. */
  crop: Buffer;
  dhash: string;
  dhashStableBits: number;
  sharpness: number;
}

/**
 * Everything the indexer learns from a photo's bytes, from one decode (see [Note: decode once]): the
 * model's crop, the perceptual hash, sharpness, and EXIF metadata. Throws DecodeError for bad images.
 */
export async function analyzePhoto(bytes: Uint8Array, model: ClipModel): Promise<PhotoAnalysis> {
  const [decoded, metadata] = await Promise.all([decodePhoto(bytes, { workingShortSide: model.workingShortSide }), readMetadata(bytes)]);
  const crop = await model.cropFor(decoded);
  const grey = greyPlane(decoded);
  const { dhash, stableBits: dhashStableBits } = perceptualHash(grey, decoded.width, decoded.height);
  const sharpness = laplacianVariance(grey, decoded.width, decoded.height);
  return { ...metadata, format: decoded.format, width: decoded.sourceWidth, height: decoded.sourceHeight, crop, dhash, dhashStableBits, sharpness };
}

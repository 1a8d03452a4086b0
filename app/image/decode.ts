import type { Metadata, Sharp, SharpOptions } from 'sharp';
import { loadSharp } from '../util/heavy-modules.js';
import { decodeHeic, isHevcHeif, type RgbaImage } from './heic.js';

/**
 * [Note: decode once]
 * A photo is decoded once, by one libvips pipeline, into an upright, alpha-flattened 8-bit RGB "working image"
 * at exactly the size of the model's resize step (shortest side to the pack's resize edge, 224 for every CLIP
 * ViT, with PIL's truncated long side and the pack's kernel). The CLIP crop is a centred square copied out of
 * it, and at that edge the working image is the grid thumbnail too (see [Note: grid thumbnail at the model's
 * resize]), from which the hashes and the placeholder are computed: the file is neither read nor decoded twice,
 * and no second resize runs. Asking libvips for the final size lets it use JPEG shrink-on-load at the scale the
 * crop needs (80 ms instead of 250 ms for a 24 MP file), as a plain decode-to-crop pipeline does.
 *
 * [Note: one pipeline instead of three]
 * Until the fifth session of issue 15 the working image was larger (shortest side 224–448) and the crop and
 * the grid thumbnail were each resized from it by a pipeline of their own. A libvips pipeline has a fixed cost
 * whatever its size (a raw-to-raw copy of a 512 × 320 image: ~1.3 ms CPU, measured), and those two resizes were
 * most of what the indexer did per photo beyond a plain decode-to-crop pipeline: the whole analysis cost 37–39
 * ms CPU per photo against the plain decode's 27, and 30–32 with one pipeline (the 23 real photos, 8 in
 * flight, same run). The crops stay as close to PIL's: the image-encoder test prints their mean absolute
 * difference to the reference crops.
 */
export interface DecodedPhoto {
  /** Upright RGB pixels, 3 bytes per pixel, row-major. */
  pixels: Buffer;
  width: number;
  height: number;
  /** Size of the upright original. */
  sourceWidth: number;
  sourceHeight: number;
  /** Container format as sharp reports it: jpeg, png, webp, gif, tiff, heif… */
  format: string;
}

export interface DecodeOptions {
  /** Shortest side of the working image; smaller originals are kept at their size unless `upscale`. */
  workingShortSide: number;
  /** Enlarge originals whose shortest side is below `workingShortSide` (the model's resize does, as PIL's). */
  upscale?: boolean;
  /** The resampling kernel (the pack's interpolation); bicubic when absent. */
  kernel?: 'cubic' | 'linear' | 'nearest';
  /** Refuse images with more pixels than this before allocating them (decompression bombs). */
  maxPixels?: number;
}

/** 200 megapixels: above any camera's output (the largest medium format backs are ~150 MP). */
export const DEFAULT_MAX_PIXELS = 200_000_000;

export class DecodeError extends Error {
  override name = 'DecodeError';
}

export async function decodePhoto(bytes: Uint8Array, options: DecodeOptions): Promise<DecodedPhoto> {
  if (bytes.byteLength === 0) throw new DecodeError('empty file (0 bytes)');
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  // `failOn: 'error'`: decode what libjpeg/libpng can recover from (stray bytes before a marker are common in
  // camera files and every viewer shows them), refuse what they cannot.
  const input = { failOn: 'error' as const, limitInputPixels: maxPixels, animated: false };
  const sharp = await loadSharp(); // see [Note: heavy modules on first use]
  let meta: Metadata;
  try {
    meta = await sharp(bytes, input).metadata();
  } catch (err) {
    throw new DecodeError(describeSharpError(err));
  }
  if (!meta.width || !meta.height) throw new DecodeError(`not a decodable image (${meta.format ?? 'unknown format'})`);
  if (meta.width * meta.height > maxPixels) {
    throw new DecodeError(`image too large: ${meta.width}×${meta.height} exceeds ${Math.round(maxPixels / 1e6)} megapixels`);
  }
  try {
    const source = await uprightSource(bytes, meta, input);
    const { width: sourceWidth, height: sourceHeight } = source;
    const [width, height] = shortestSideTo(sourceWidth, sourceHeight, options.workingShortSide, options.upscale ?? false);
    const { data, info } = await source.image
      .flatten({ background: { r: 255, g: 255, b: 255 } })
      .toColourspace('srgb')
      .resize(width, height, { kernel: options.kernel ?? 'cubic', fit: 'fill' })
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new DecodeError(`unexpected ${info.channels} channels after conversion`);
    return { pixels: data, width: info.width, height: info.height, sourceWidth, sourceHeight, format: meta.format ?? 'unknown' };
  } catch (err) {
    if (err instanceof DecodeError) throw err;
    throw new DecodeError(describeSharpError(err));
  }
}

/**
 * A sharp pipeline over the upright image: sharp's own decoders with the EXIF orientation applied, or for
 * HEIC (see [Note: HEIC]) the pixels libheif decoded, already upright. `meta` is sharp's metadata of `bytes`.
 */
export async function uprightSource(bytes: Uint8Array, meta: Metadata, input: SharpOptions): Promise<{ image: Sharp; width: number; height: number }> {
  const sharp = await loadSharp();
  if (!isHevcHeif(meta)) {
    const sideways = (meta.orientation ?? 1) >= 5;
    const [width, height] = [meta.width ?? 0, meta.height ?? 0];
    return { image: sharp(bytes, input).autoOrient(), width: sideways ? height : width, height: sideways ? width : height };
  }
  let rgba: RgbaImage;
  try {
    rgba = await decodeHeic(bytes);
  } catch (err) {
    throw new DecodeError(`cannot decode HEIC: ${firstLine(err instanceof Error ? err.message : String(err))}`);
  }
  return { image: sharp(rgba.data, { raw: { width: rgba.width, height: rgba.height, channels: 4 } }), width: rgba.width, height: rgba.height };
}

/**
 * Size after scaling the shortest side to `target`, never upscaling, keeping the aspect ratio.
 * The long side is truncated, as PIL's CLIP preprocessing does (`int(target * long / short)`).
 */
export function shortestSideTo(width: number, height: number, target: number, allowUpscale = false): [number, number] {
  const short = Math.min(width, height);
  if (short <= target && !allowUpscale) return [width, height];
  if (width <= height) return [target, Math.max(target, Math.floor((target * height) / width))];
  return [Math.max(target, Math.floor((target * width) / height)), target];
}

function describeSharpError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/unsupported image format/i.test(message)) return 'not an image, or a format we cannot decode';
  if (/pixel limit/i.test(message)) return 'image too large (pixel count over the limit)';
  if (/premature end|truncated|unexpected end/i.test(message)) return `truncated image: ${firstLine(message)}`;
  return `cannot decode: ${firstLine(message)}`;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

import type { Metadata } from 'sharp';
import { loadHeicDecode } from '../util/heavy-modules.js';

/**
 * [Note: HEIC]
 * iPhone photos are HEIF containers holding HEVC-coded images. sharp's prebuilt libvips reads the container
 * (so `metadata()` gives the size, and the pixel-count guard still runs before anything is decoded) but has no
 * HEVC decoder (patent licensing). heic-decode (libheif compiled to WebAssembly, no native build, no system
 * library) decodes the primary image to RGBA with its rotation/mirror transforms applied, i.e. upright; sharp
 * takes it from there. AVIF, also HEIF, is AV1-coded and stays with sharp.
 */
export function isHevcHeif(meta: Metadata): boolean {
  return meta.format === 'heif' && meta.compression === 'hevc';
}

/** ISO-BMFF major brands of HEVC-coded HEIF files; `mif1`/`msf1` are generic HEIF (an AVIF may say so too). */
const HEVC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1']);

/**
 * Whether these bytes look like a HEIC, from the file's `ftyp` box (first 12 bytes), before sharp is asked:
 * the photos whose decode runs in WebAssembly on the calling thread (see [Note: analysis off the main thread]).
 */
export function looksLikeHeic(bytes: Uint8Array): boolean {
  if (bytes.byteLength < 12) return false;
  const ascii = (from: number) => String.fromCharCode(bytes[from]!, bytes[from + 1]!, bytes[from + 2]!, bytes[from + 3]!);
  return ascii(4) === 'ftyp' && HEVC_BRANDS.has(ascii(8));
}

export interface RgbaImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** The primary image of a HEIC file, upright, as RGBA. Throws for anything libheif cannot decode. */
export async function decodeHeic(bytes: Uint8Array): Promise<RgbaImage> {
  const decodeHeicImage = await loadHeicDecode(); // see [Note: heavy modules on first use]
  const { data, width, height } = await decodeHeicImage({ buffer: bytes });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height };
}

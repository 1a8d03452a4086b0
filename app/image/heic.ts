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

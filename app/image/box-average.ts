/** Upright 8-bit RGB pixels, 3 bytes per pixel, row-major: the working image, the grid thumbnail. */
export interface RgbImage {
  pixels: Buffer;
  width: number;
  height: number;
}

/**
 * Means of RGB over an `outWidth × outHeight` grid of boxes covering the image (box edges at
 * floor(i · size / cells), at least one pixel each), row-major, three channels per cell. The area average is
 * what a small summary of a photo needs (a placeholder, a signature): every pixel counts once, no kernel
 * rings, and at these sizes it costs less in JavaScript than a libvips pipeline costs to set up.
 */
export function boxAverage(image: RgbImage, outWidth: number, outHeight: number): Float64Array {
  const { pixels, width, height } = image;
  const out = new Float64Array(outWidth * outHeight * 3);
  for (let cy = 0; cy < outHeight; cy++) {
    const y0 = Math.floor((cy * height) / outHeight);
    const y1 = Math.max(y0 + 1, Math.floor(((cy + 1) * height) / outHeight));
    for (let cx = 0; cx < outWidth; cx++) {
      const x0 = Math.floor((cx * width) / outWidth);
      const x1 = Math.max(x0 + 1, Math.floor(((cx + 1) * width) / outWidth));
      let r = 0;
      let g = 0;
      let b = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0, p = (y * width + x0) * 3; x < x1; x++, p += 3) {
          r += pixels[p]!;
          g += pixels[p + 1]!;
          b += pixels[p + 2]!;
        }
      }
      const n = (y1 - y0) * (x1 - x0);
      const c = (cy * outWidth + cx) * 3;
      out[c] = r / n;
      out[c + 1] = g / n;
      out[c + 2] = b / n;
    }
  }
  return out;
}

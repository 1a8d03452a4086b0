import type { ExifTool } from 'exiftool-vendored';
import { messageOf } from '../util/errors.js';
import { loadExifTool } from '../util/heavy-modules.js';
import { withStringPath } from '../util/string-path-alias.js';
import { DecodeError } from './decode.js';
import { withJpegOrientation } from './jpeg-orientation.js';

/**
 * [Note: RAW previews]
 * Camera RAW files are read through the full-size or large JPEG the camera embeds in them (every maker
 * does, for the camera's own screen), not by demosaicing the sensor data: CLIP, the grid and the preview
 * need a few hundred to 1600 pixels, and libvips has no RAW decoder. ExifTool (exiftool-vendored: the perl
 * script ships in the npm package, run as one long-lived `-stay_open` process) knows where each maker hides
 * it: `JpgFromRaw` (Canon CR2, Nikon NEF, Sony ARW…), `PreviewImage` (DNG, CR3, RAF, ORF, RW2…), and the
 * small `ThumbnailImage` as a last resort. The RAW's own bytes are still what is hashed and read for EXIF.
 * Owned by Core and ended in `Core.close()`: the ExifTool process would otherwise keep Node alive.
 */
const PREVIEW_TAGS = ['JpgFromRaw', 'PreviewImage', 'OtherImage', 'ThumbnailImage'] as const;

export class RawPreviews {
  /** Started with the first RAW file; exiftool-vendored itself is imported then too (see [Note: heavy modules on first use]). */
  private exiftool: Promise<ExifTool> | undefined;

  /**
   * The largest embedded JPEG preview of a RAW file, carrying the RAW's orientation (previews are stored as
   * the sensor saw them; a portrait shot's RAW says how to turn it). Throws DecodeError when it has none.
   * A name that is not UTF-8 reaches ExifTool through an alias (see [Note: string-only tools]).
   */
  extract(file: string): Promise<Buffer> {
    return withStringPath(file, (name) => this.extractFrom(name));
  }

  private async extractFrom(file: string): Promise<Buffer> {
    const exiftool = await (this.exiftool ??= loadExifTool().then((Tool) => new Tool({ maxProcs: 1, taskTimeoutMillis: 30_000 })));
    let lastError = 'no embedded preview';
    for (const tag of PREVIEW_TAGS) {
      try {
        const preview = await exiftool.extractBinaryTagToBuffer(tag, file);
        if (preview.byteLength === 0) continue;
        const orientation = await this.orientation(exiftool, file);
        return orientation > 1 ? withJpegOrientation(preview, orientation) : preview;
      } catch (err) {
        lastError = messageOf(err);
      }
    }
    throw new DecodeError(`camera RAW file without a readable embedded preview (${lastError})`);
  }

  /** The RAW's EXIF orientation, 1–8; 1 (as shot) when it has none or it cannot be read. */
  private async orientation(exiftool: ExifTool, file: string): Promise<number> {
    try {
      const value = (await exiftool.read(file)).Orientation;
      return typeof value === 'number' && value >= 1 && value <= 8 ? value : 1;
    } catch {
      return 1;
    }
  }

  async close(): Promise<void> {
    const started = this.exiftool;
    this.exiftool = undefined;
    await (await started?.catch(() => undefined))?.end();
  }
}

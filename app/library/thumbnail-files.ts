import fs from 'node:fs';
import type { Catalog } from '../catalog/catalog.js';
import { isRawPath } from '../image/formats.js';
import type { RawPreviews } from '../image/raw-preview.js';
import { placeholderDataUrl, renderFromOriginal, thumbnailPath, writeOnce, type ThumbnailSize } from '../image/thumbnails.js';
import { thumbsDir } from '../library-paths.js';
import { messageOf, UserError } from '../util/errors.js';
import { displayName, toFsPath } from '../util/fs-names.js';

export interface Placeholder {
  /** The raw thumbhash (about 25 bytes), for a renderer that decodes it itself. */
  thumbhash: Uint8Array;
  /** The same as a small blurred PNG data URL, ready for an `<img src>`. */
  dataUrl: string;
}

/**
 * Serves a photo's grid thumbnail and preview as files in the library cache (see [Note: thumbnails]). The
 * grid thumbnail usually exists from indexing; a preview, or a grid thumbnail for a photo indexed before
 * thumbnails existed, is rendered from the original on first request and kept. Concurrent requests for one
 * image share one render. A cached thumbnail is served even while the photo's drive is offline.
 */
export class ThumbnailFiles {
  private readonly rendering = new Map<string, Promise<string>>();

  constructor(
    private readonly catalog: Catalog,
    private readonly libraryDir: string,
    private readonly rawPreviews: RawPreviews,
  ) {}

  /** The thumbnail's file path, generating it if needed. Throws UserError for an unknown photo or unreadable original. */
  async file(photoId: number, size: ThumbnailSize): Promise<string> {
    const photo = this.catalog.photos.byId(photoId);
    if (!photo) throw new UserError(`no photo with id ${photoId}`);
    const file = thumbnailPath(thumbsDir(this.libraryDir), photo.contentHash, size);
    if (fs.existsSync(file)) return file;
    let pending = this.rendering.get(file);
    if (!pending) {
      pending = this.render(photoId, photo.path, file, size).finally(() => this.rendering.delete(file));
      this.rendering.set(file, pending);
    }
    return pending;
  }

  /** The photo's placeholder, or null when it has none yet (indexed before placeholders; see `file`). */
  placeholder(photoId: number): Placeholder | null {
    const thumbhash = this.catalog.photos.thumbhash(photoId);
    return thumbhash ? { thumbhash: new Uint8Array(thumbhash), dataUrl: placeholderDataUrl(thumbhash) } : null;
  }

  private async render(photoId: number, original: string, file: string, size: ThumbnailSize): Promise<string> {
    let bytes: Buffer;
    try {
      bytes = isRawPath(original) ? await this.rawPreviews.extract(original) : await fs.promises.readFile(toFsPath(original));
    } catch (err) {
      throw new UserError(`cannot make a thumbnail of ${displayName(original)}: the file is unavailable (${messageOf(err)})`);
    }
    let rendered: Awaited<ReturnType<typeof renderFromOriginal>>;
    try {
      rendered = await renderFromOriginal(bytes, size);
    } catch (err) {
      throw new UserError(`cannot make a thumbnail of ${displayName(original)}: ${messageOf(err)}`);
    }
    await writeOnce(file, rendered.jpeg);
    if (!this.catalog.photos.thumbhash(photoId)) this.catalog.photos.setThumbhash(photoId, rendered.thumbhash);
    return file;
  }
}

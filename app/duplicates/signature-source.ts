import fs from 'node:fs';
import type { Catalog } from '../catalog/catalog.js';
import type { Photo } from '../catalog/photos.js';
import { pictureSignature } from '../image/picture-signature.js';
import { thumbnailPath } from '../image/thumbnails.js';
import { toFsPath } from '../util/fs-names.js';
import { loadSharp } from '../util/heavy-modules.js';
import { signatureView, type SignatureView } from './signature-view.js';

/**
 * Picture signatures for the pairs a scan verifies, read once per photo. A photo indexed before signatures
 * existed (migration 009) gets one from its grid thumbnail (cached by content hash), stored for
 * next time: only photos that appear in a candidate pair pay, so an old library is not re-analysed whole.
 * A photo with neither (thumbnail deleted) has no signature, and its pairs are never `near`.
 */
export class SignatureSource {
  private readonly views = new Map<number, SignatureView | null>();

  constructor(private readonly catalog: Catalog, private readonly thumbsDir: string | undefined) {}

  async of(photo: Photo): Promise<SignatureView | undefined> {
    let view = this.views.get(photo.id);
    if (view === undefined) {
      const blob = this.catalog.signatures.get(photo.id) ?? (await this.fromThumbnail(photo));
      view = blob ? (signatureView(blob, photo.width, photo.height) ?? null) : null;
      this.views.set(photo.id, view);
    }
    return view ?? undefined;
  }

  private async fromThumbnail(photo: Photo): Promise<Buffer | undefined> {
    if (!this.thumbsDir) return undefined;
    const file = thumbnailPath(this.thumbsDir, photo.contentHash, 'grid');
    if (!fs.existsSync(toFsPath(file))) return undefined;
    const sharp = await loadSharp(); // see [Note: heavy modules on first use]
    try {
      const { data, info } = await sharp(fs.readFileSync(toFsPath(file))).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
      const signature = pictureSignature({ pixels: data, width: info.width, height: info.height });
      this.catalog.signatures.put(photo.id, signature);
      return signature;
    } catch {
      return undefined;
    }
  }
}

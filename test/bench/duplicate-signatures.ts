/**
 * Picture signatures for a synthetic bench library (see [Note: picture signature]), written once into its
 * catalog where missing: random grids for the photos, and for each planted copy its original's grids with
 * a little noise (a re-encode), so verification accepts exactly the planted copies. Kept out of
 * synthetic-library.ts so the libraries other benches share are not rebuilt.
 */
import { Catalog } from '../../app/catalog/catalog.js';
import { SIGNATURE_BYTES } from '../../app/image/picture-signature.js';
import { random } from '../helpers/synthetic-vectors.js';
import type { SyntheticLibrary } from './synthetic-library.js';

/** ±3 grey levels: what a JPEG re-encode moves a 32×32 cell average by. */
const COPY_NOISE = 3;

export function ensureSignatures(library: SyntheticLibrary): void {
  const catalog = Catalog.open(library.dir);
  try {
    const missing = catalog.signatures.missing();
    if (missing.length === 0) return;
    const rnd = random(99);
    const originalOf = new Map(library.copies);
    const made = new Map<number, Buffer>();
    catalog.transaction(() => {
      for (const { id } of missing) {
        const original = originalOf.get(id);
        const base = original === undefined ? undefined : made.get(original);
        const signature = Buffer.alloc(SIGNATURE_BYTES);
        for (let i = 0; i < SIGNATURE_BYTES; i++) {
          signature[i] = base ? Math.max(0, Math.min(255, base[i]! + Math.round((rnd() * 2 - 1) * COPY_NOISE))) : Math.floor(rnd() * 256);
        }
        made.set(id, signature);
        catalog.signatures.put(id, signature);
      }
    });
  } finally {
    catalog.close();
  }
}

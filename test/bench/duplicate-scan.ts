/** Duplicate scan of a synthetic library (planted near-copies with close hashes and signatures), verification included, and how many it finds. */
import { Catalog } from '../../app/catalog/catalog.js';
import { findDuplicates } from '../../app/duplicates/find-duplicates.js';
import { ensureSignatures } from './duplicate-signatures.js';
import { emit, round, timed } from './report.js';
import { MODEL_KEY, syntheticLibrary } from './synthetic-library.js';

export async function benchDuplicateScan(count: number): Promise<void> {
  const library = syntheticLibrary(count);
  ensureSignatures(library);
  const catalog = Catalog.open(library.dir);
  const store = catalog.embeddings(catalog.models.ensure(MODEL_KEY, 'synthetic', 512));
  const [groups, seconds] = await timed(() => findDuplicates(catalog, store));
  const groupOf = new Map<number, number>();
  groups.forEach((g, i) => g.kind === 'near' && g.photos.forEach((p) => groupOf.set(p.id, i)));
  const found = library.copies.filter(([copy, original]) => groupOf.has(copy) && groupOf.get(copy) === groupOf.get(original)).length;
  emit({ bench: 'duplicate-scan', model: 'synthetic 512-d', photos: count, seconds: round(seconds), groups: groups.length,
    nearGroups: groups.filter((g) => g.kind === 'near').length, plantedCopies: library.copies.length, plantedCopiesFound: found,
    peakRssMiB: round(process.resourceUsage().maxRSS / 1024) });
  catalog.close();
}

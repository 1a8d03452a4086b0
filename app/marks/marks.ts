import { COLOR_LABELS, FLAGS, type ColorLabel, type Flag, type PhotoMarks } from '../catalog/photo-marks.js';
import type { Catalog } from '../catalog/catalog.js';
import { resolveTargets, type PhotoTarget, type TargetFailure } from '../library/photo-targets.js';
import { UserError } from '../util/errors.js';
import { readMarks } from './read-marks.js';

export interface MarkChange {
  /** Photos the mark was set on. */
  photos: number;
  failed: TargetFailure[];
}

/** A flag or label to set; 'none' clears it. */
export type FlagChoice = Flag | 'none';
export type LabelChoice = ColorLabel | 'none';

export const FLAG_CHOICES: readonly FlagChoice[] = [...FLAGS, 'none'];
export const LABEL_CHOICES: readonly LabelChoice[] = [...COLOR_LABELS, 'none'];

/**
 * Culling: star ratings (0–5), pick/reject flags and colour labels. The catalog keeps them (SQL in
 * catalog/photo-marks.ts); a mark the photographer sets here is never overwritten by re-reading the file;
 * with sidecars on, each change rewrites the photos' `.xmp` (see [Note: marks in sidecars]). Originals are
 * never written.
 */
export class Marks {
  constructor(
    private readonly catalog: Catalog,
    /** Rewrites these photos' sidecars when the library writes them (Tagging.writeSidecars). */
    private readonly writeSidecars: (photoIds: readonly number[]) => void,
  ) {}

  of(photoId: number): PhotoMarks | undefined {
    return this.catalog.marks.of(photoId);
  }

  rate(targets: readonly PhotoTarget[], rating: number): MarkChange {
    if (!Number.isInteger(rating) || rating < 0 || rating > 5) throw new UserError(`a rating is a whole number of stars from 0 to 5, not "${rating}"`);
    return this.apply(targets, (id) => this.catalog.marks.setRating(id, rating));
  }

  flag(targets: readonly PhotoTarget[], flag: FlagChoice): MarkChange {
    if (!FLAG_CHOICES.includes(flag)) throw new UserError(`a flag is one of ${FLAG_CHOICES.join(', ')}, not "${String(flag)}"`);
    return this.apply(targets, (id) => this.catalog.marks.setFlag(id, flag === 'none' ? null : flag));
  }

  label(targets: readonly PhotoTarget[], label: LabelChoice): MarkChange {
    if (!LABEL_CHOICES.includes(label)) throw new UserError(`a label is one of ${LABEL_CHOICES.join(', ')}, not "${String(label)}"`);
    return this.apply(targets, (id) => this.catalog.marks.setLabel(id, label === 'none' ? null : label));
  }

  /**
   * Marks the photos' files carry in XMP (Lightroom's, Bridge's, digiKam's), read after they were indexed.
   * A file's rejected rating (-1) becomes the reject flag; a rating the XMP does not state stays what ingest
   * read (EXIF's Rating). Photos the photographer marked in Shoebox keep their marks (PhotoMarkStore.setFromFile).
   */
  async importFromFiles(photoIds: readonly number[]): Promise<void> {
    const read: { id: number; marks: PhotoMarks }[] = [];
    for (const id of photoIds) {
      const photo = this.catalog.photos.byId(id);
      const current = this.catalog.marks.of(id);
      if (!photo || !current) continue;
      const file = await readMarks(photo.path);
      const rating = file.rating ?? current.rating;
      const rejected = rating === -1 || file.flag === 'reject';
      read.push({ id, marks: { rating: rating === -1 ? null : rating, flag: rejected ? 'reject' : (file.flag ?? null), label: file.label ?? null } });
    }
    // One write transaction for the batch, not one per photo.
    this.catalog.transaction(() => read.forEach(({ id, marks }) => this.catalog.marks.setFromFile(id, marks)));
  }

  private apply(targets: readonly PhotoTarget[], set: (photoId: number) => void): MarkChange {
    const { ids, failed } = resolveTargets(this.catalog, targets);
    this.catalog.transaction(() => {
      for (const id of ids) set(id);
    });
    if (ids.length > 0) this.writeSidecars(ids);
    return { photos: ids.length, failed };
  }
}

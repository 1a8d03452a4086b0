import type { Database, Statement } from 'better-sqlite3';

export const FLAGS = ['pick', 'reject'] as const;
export type Flag = (typeof FLAGS)[number];
/** Lightroom's and digiKam's five colour labels. */
export const COLOR_LABELS = ['red', 'yellow', 'green', 'blue', 'purple'] as const;
export type ColorLabel = (typeof COLOR_LABELS)[number];

/** A photo's culling marks: 0–5 stars (null: never rated), pick/reject, a colour label. */
export interface PhotoMarks {
  rating: number | null;
  flag: Flag | null;
  label: ColorLabel | null;
}

/**
 * SQL for the marks columns of `photos` (rating from migration 003; flag, label and marks_by_user from 011).
 * [Note: marks beside PhotoStore] A store of its own over those columns, not part of PhotoStore: ingest rows
 * (PhotoInput) do not carry flag and label, and the only ingest-side rule — a rating the user set is not
 * overwritten by re-reading the file — lives in PhotoStore's upsert.
 */
export class PhotoMarkStore {
  private readonly ofStmt: Statement<[number], PhotoMarks>;
  private readonly setRatingStmt: Statement<[number | null, number]>;
  private readonly setFlagStmt: Statement<[Flag | null, number]>;
  private readonly setLabelStmt: Statement<[ColorLabel | null, number]>;
  private readonly fromFileStmt: Statement<{ id: number; rating: number | null; flag: Flag | null; label: ColorLabel | null }>;
  private readonly markedStmt: Statement<[], { id: number }>;

  constructor(db: Database) {
    this.ofStmt = db.prepare('SELECT rating, flag, label FROM photos WHERE id = ?');
    this.setRatingStmt = db.prepare('UPDATE photos SET rating = ?, marks_by_user = 1 WHERE id = ?');
    this.setFlagStmt = db.prepare('UPDATE photos SET flag = ?, marks_by_user = 1 WHERE id = ?');
    this.setLabelStmt = db.prepare('UPDATE photos SET label = ?, marks_by_user = 1 WHERE id = ?');
    // What the file says applies only while the photographer has not marked the photo in Shoebox.
    this.fromFileStmt = db.prepare('UPDATE photos SET rating = @rating, flag = @flag, label = @label WHERE id = @id AND marks_by_user = 0');
    this.markedStmt = db.prepare(`SELECT id FROM photos WHERE rating > 0 OR flag IS NOT NULL OR label IS NOT NULL ORDER BY id`);
  }

  of(photoId: number): PhotoMarks | undefined {
    return this.ofStmt.get(photoId);
  }

  setRating(photoId: number, rating: number | null): void {
    this.setRatingStmt.run(rating, photoId);
  }

  setFlag(photoId: number, flag: Flag | null): void {
    this.setFlagStmt.run(flag, photoId);
  }

  setLabel(photoId: number, label: ColorLabel | null): void {
    this.setLabelStmt.run(label, photoId);
  }

  /** The marks read from the file's XMP at ingest; ignored once the user marked the photo. */
  setFromFile(photoId: number, marks: PhotoMarks): void {
    this.fromFileStmt.run({ id: photoId, ...marks });
  }

  /** Photos with any mark (stars, flag or label): the ones whose sidecars carry marks. */
  markedPhotoIds(): number[] {
    return this.markedStmt.all().map((r) => r.id);
  }

  /**
   * The keeper of a duplicate group gets a copy's pick and colour label when it has none of its own (the best
   * rating is carried by Catalog.carryOver). A copy's reject is not carried: rejecting the worse copy is how a
   * photographer marks which one to drop.
   */
  carry(keeperId: number, fromIds: readonly number[]): void {
    const keeper = this.of(keeperId);
    if (!keeper) return;
    const others = fromIds.filter((id) => id !== keeperId).map((id) => this.of(id)).filter((m) => m !== undefined);
    if (keeper.flag === null && others.some((m) => m.flag === 'pick')) this.setFlag(keeperId, 'pick');
    const label = others.find((m) => m.label !== null)?.label;
    if (keeper.label === null && label) this.setLabel(keeperId, label);
  }
}

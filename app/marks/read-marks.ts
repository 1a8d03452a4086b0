import fs from 'node:fs';
import { COLOR_LABELS, type ColorLabel, type Flag } from '../catalog/photo-marks.js';
import { toFsPath } from '../util/fs-names.js';
import { loadExifr } from '../util/heavy-modules.js';
import { withStringPath } from '../util/string-path-alias.js';
import { readSidecar } from '../tagging/xmp-read.js';
import { sidecarPaths } from '../tagging/xmp-write.js';

/** The marks a file's XMP states; a field is present only when the file says something about it. */
export interface FileMarks {
  /** 0–5 stars, or -1: Lightroom's "rejected". */
  rating?: number;
  flag?: Flag;
  label?: ColorLabel;
}

type ParseXmp = (file: string) => Promise<Record<string, unknown> | undefined>;

/** exifr's XMP parse, loaded on first use: see [Note: heavy modules on first use]. */
async function embeddedParser(): Promise<ParseXmp> {
  const { parse } = await loadExifr();
  return async (file) => (await parse(file, { xmp: true, tiff: false, iptc: false, mergeOutput: true })) as Record<string, unknown> | undefined;
}

/**
 * The marks a photo carries in XMP (see [Note: marks in sidecars] for the fields): embedded in the file,
 * then in a `.xmp` sidecar, whose fields win (Lightroom writes a RAW's marks there). Unreadable metadata
 * yields no marks: it never fails the photo.
 */
export async function readMarks(photoPath: string): Promise<FileMarks> {
  const blocks: Record<string, unknown>[] = [];
  try {
    const parse = await embeddedParser();
    // A name that is not UTF-8 is read through an alias (see [Note: string-only tools]).
    const embedded = await withStringPath(photoPath, parse);
    if (embedded) blocks.push(flatten(embedded));
  } catch {
    // no or broken metadata: no marks
  }
  for (const sidecar of sidecarPaths(photoPath)) {
    if (!fs.existsSync(toFsPath(sidecar))) continue;
    const parsed = await readSidecar(sidecar);
    if (parsed) blocks.push(parsed);
  }
  const marks: FileMarks = {};
  for (const block of blocks) Object.assign(marks, marksOf(block));
  return marks;
}

/** The marks one parsed XMP block states. */
export function marksOf(block: Record<string, unknown>): FileMarks {
  const marks: FileMarks = {};
  const rating = Number(block['Rating']);
  if (block['Rating'] !== undefined && Number.isFinite(rating) && rating >= -1 && rating <= 5) marks.rating = Math.round(rating);
  const label = typeof block['Label'] === 'string' ? block['Label'].trim().toLowerCase() : '';
  if ((COLOR_LABELS as readonly string[]).includes(label)) marks.label = label as ColorLabel;
  const pick = Number(block['PickLabel']);
  // Adobe's xmpDM:good (Bridge's pick), as a boolean or its XMP text.
  if (pick === 3 || block['good'] === true || (typeof block['good'] === 'string' && block['good'].toLowerCase() === 'true')) marks.flag = 'pick';
  if (pick === 1 || marks.rating === -1) marks.flag = 'reject';
  return marks;
}

/** exifr groups fields by namespace prefix when a packet uses several: take both shapes. */
function flatten(parsed: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array)) Object.assign(out, value);
    else out[key] = value;
  }
  return out;
}

import path from 'node:path';
import type { Photo } from '../catalog/photos.js';

const RAW_FORMATS = new Set(['cr2', 'cr3', 'nef', 'arw', 'raf', 'orf', 'rw2', 'dng', 'raw']);
/** Folder or file names that say "this is a derived copy". */
const EXPORT_WORDS = /(^|[\s_\-./\\])(export(ed|s)?|copy|copie|kopie|edit(ed)?|resized|small|web|whatsapp|-\d+x\d+)([\s_\-./\\]|$)/i;

export interface Keeper {
  photo: Photo;
  reason: string;
}

/**
 * Which photo of a group to keep, and why. Not simply the largest file (the complaint users have of other
 * tools: a re-saved export is often larger than the original). In order: a RAW file; the camera original
 * (camera EXIF, not in an export/copy folder); more pixels; for bursts the sharper frame; the oldest file
 * (copies are made after their original); then the larger file and the shorter path.
 * Sharpness does not rank copies of one picture: JPEG artefacts of a low-quality re-save raise it.
 */
export function suggestKeeper(photos: readonly Photo[], burst = false): Keeper {
  const ranked = [...photos].sort((a, b) => compare(a, b, burst));
  const best = ranked[0]!;
  const runnerUp = ranked[1];
  return { photo: best, reason: runnerUp ? reasonOver(best, runnerUp, burst) : 'only photo' };
}

function compare(a: Photo, b: Photo, burst: boolean): number {
  return (
    Number(isRaw(b)) - Number(isRaw(a)) ||
    Number(isOriginal(b)) - Number(isOriginal(a)) ||
    Number(looksDerived(a)) - Number(looksDerived(b)) ||
    b.width * b.height - a.width * a.height ||
    (burst ? (b.sharpness ?? 0) - (a.sharpness ?? 0) : 0) ||
    a.mtimeMs - b.mtimeMs ||
    b.size - a.size ||
    a.path.length - b.path.length ||
    (a.path < b.path ? -1 : 1)
  );
}

function reasonOver(best: Photo, other: Photo, burst: boolean): string {
  if (isRaw(best) !== isRaw(other)) return 'RAW original';
  if (isOriginal(best) !== isOriginal(other)) return 'camera original (others look like exports or copies)';
  if (looksDerived(best) !== looksDerived(other)) return 'original: the others are named or filed as copies or exports';
  if (best.width * best.height !== other.width * other.height) return `largest resolution (${best.width}×${best.height})`;
  if (burst && (best.sharpness ?? 0) !== (other.sharpness ?? 0)) return 'sharpest frame';
  if (best.mtimeMs !== other.mtimeMs) return 'oldest file: the others were made from it';
  if (best.size !== other.size) return 'largest file';
  return 'shortest path of identical files';
}

function isRaw(p: Photo): boolean {
  return RAW_FORMATS.has(p.format) || RAW_FORMATS.has(path.extname(p.path).slice(1).toLowerCase());
}

function isOriginal(p: Photo): boolean {
  return (p.cameraModel !== null || p.takenAt !== null) && !looksDerived(p);
}

/** Named or filed as a copy or an export ("copy-of-…", "…/export/…"), whatever its EXIF says. */
function looksDerived(p: Photo): boolean {
  return EXPORT_WORDS.test(p.path);
}

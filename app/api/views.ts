/**
 * Catalog rows → the shapes of the API contract. The only place that decides what the renderer sees of a photo.
 * Names and paths here are for people: the renderer names photos by id, so a name that is not UTF-8 goes out
 * in its display form (see [Note: file names that are not UTF-8]).
 */
import path from 'node:path';
import type { BrowseRow } from '../catalog/photo-browse.js';
import type { PhotoMarks } from '../catalog/photo-marks.js';
import type { Photo } from '../catalog/photos.js';
import { displayName } from '../util/fs-names.js';
import type { PhotoDetail, PhotoSummary } from './contract.js';

/** `marks`: the photo's culling marks; without them (callers that only need names), none. */
export function photoSummary(row: BrowseRow | Photo, placeholder: string | null = null, marks: PhotoMarks | undefined = undefined): PhotoSummary {
  const takenAt = parseTakenAt(row.takenAt);
  return {
    id: row.id,
    name: displayName(path.basename(row.path)),
    width: row.width,
    height: row.height,
    takenAt,
    sortKey: 'sortKey' in row ? row.sortKey : (takenAt ?? row.mtimeMs),
    placeholder,
    rating: marks?.rating ?? null,
    flag: marks?.flag ?? null,
    label: marks?.label ?? null,
  };
}

/** `culling`: the photo's marks (its rating included) and albums, kept beside the photo row. */
export function photoDetail(photo: Photo, folder: string | null, culling: PhotoMarks & { albumIds: number[] }): PhotoDetail {
  return {
    ...photoSummary(photo),
    path: displayName(photo.path),
    folder: folder === null ? null : displayName(folder),
    size: photo.size,
    format: photo.format,
    mtimeMs: photo.mtimeMs,
    cameraMake: photo.cameraMake,
    cameraModel: photo.cameraModel,
    lens: photo.lens,
    focalLength: photo.focalLength,
    aperture: photo.aperture,
    exposureTime: photo.exposureTime,
    iso: photo.iso,
    gpsLatitude: photo.gpsLatitude,
    gpsLongitude: photo.gpsLongitude,
    sharpness: photo.sharpness,
    rating: culling.rating,
    flag: culling.flag,
    label: culling.label,
    albumIds: culling.albumIds,
  };
}

/** Capture times are stored as EXIF-derived ISO text; the renderer gets ms since the epoch. */
function parseTakenAt(takenAt: string | null): number | null {
  if (!takenAt) return null;
  const ms = Date.parse(takenAt);
  return Number.isFinite(ms) ? ms : null;
}

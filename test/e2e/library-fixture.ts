import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { SAMPLES_DIR } from '../helpers/fixtures.js';

interface Query {
  query: string;
  relevant: string[];
}

/** What a test needs to know about the photo folders it gets. */
export interface PhotoFolders {
  /** sample_000 … sample_049, dated March 2025. */
  spring: string;
  /**
   * sample_050 … sample_095, an exact copy of sample_001, an undecodable file, dated June 2024 (and, after
   * addResizedCopy, a smaller copy of a city scene).
   */
  summer: string;
  springFiles: Set<string>;
  summerFiles: Set<string>;
  /** Every photo that indexes (the broken file does not). */
  photoCount: number;
  sunsets: Set<string>;
}

/**
 * Two folders of tiny-clip samples with file dates set days apart, so the grid has day headers and the date
 * filter has something to separate (the samples carry no EXIF capture time; the grid falls back to mtime).
 */
export function makePhotoFolders(root: string): PhotoFolders {
  const samples = fs.readdirSync(SAMPLES_DIR).filter((f) => f.endsWith('.jpg')).sort();
  const spring = path.join(root, 'spring');
  const summer = path.join(root, 'summer');
  fs.mkdirSync(spring, { recursive: true });
  fs.mkdirSync(summer, { recursive: true });
  const springFiles = new Set<string>();
  const summerFiles = new Set<string>();
  samples.forEach((file, i) => {
    const inSpring = i < 50;
    const target = path.join(inSpring ? spring : summer, file);
    fs.copyFileSync(path.join(SAMPLES_DIR, file), target);
    // Ten photos a day, one every half hour from 9:00 local time.
    const day = Math.floor(i / 10);
    const date = inSpring ? new Date(2025, 2, 10 + day, 9, 0) : new Date(2024, 5, 1 + day - 5, 9, 0);
    date.setMinutes((i % 10) * 30);
    fs.utimesSync(target, date, date);
    (inSpring ? springFiles : summerFiles).add(file);
  });
  const copy = path.join(summer, 'copy-of-sample_001.jpg');
  fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_001.jpg'), copy);
  const copied = new Date(2024, 5, 5, 18, 0);
  fs.utimesSync(copy, copied, copied);
  summerFiles.add('copy-of-sample_001.jpg');
  fs.writeFileSync(path.join(summer, 'broken.jpg'), 'this is not a JPEG');

  const queries = JSON.parse(fs.readFileSync(path.join(SAMPLES_DIR, 'queries.json'), 'utf8')) as { queries: Query[] };
  const sunset = queries.queries.find((q) => q.query === 'a sunset');
  if (!sunset) throw new Error('queries.json has no "a sunset" query');
  return { spring, summer, springFiles, summerFiles, photoCount: samples.length + 1, sunsets: new Set(sunset.relevant) };
}

/**
 * A second duplicate group, for the "Not duplicates" decision: sample_085 (a textured city scene, so the
 * perceptual hash identifies it) re-encoded at 80 % of its size in the summer folder.
 */
export async function addResizedCopy(photos: PhotoFolders): Promise<{ original: string; copy: string }> {
  const original = 'sample_085.jpg';
  const copy = 'smaller-sample_085.jpg';
  const source = path.join(photos.summer, original);
  const { width } = await sharp(source).metadata();
  const target = path.join(photos.summer, copy);
  await sharp(source).resize(Math.round((width ?? 100) * 0.8)).jpeg({ quality: 85 }).toFile(target);
  const when = new Date(2024, 5, 4, 18, 0);
  fs.utimesSync(target, when, when);
  photos.summerFiles.add(copy);
  photos.photoCount += 1;
  return { original, copy };
}

/** An `edit` of sample_085: the same shot mirrored left-right, which must be shown, never pre-ticked. */
export async function addMirroredCopy(photos: PhotoFolders): Promise<{ original: string; copy: string }> {
  const original = 'sample_085.jpg';
  const copy = 'mirrored-sample_085.jpg';
  const target = path.join(photos.summer, copy);
  await sharp(path.join(photos.summer, original)).flop().jpeg({ quality: 90 }).toFile(target);
  // Dated among the summer photos (as the resized copy), not today: the grid and folder steps count on the dates.
  const when = new Date(2024, 5, 4, 18, 30);
  fs.utimesSync(target, when, when);
  photos.summerFiles.add(copy);
  photos.photoCount += 1;
  return { original, copy };
}

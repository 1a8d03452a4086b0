/**
 * A harder duplicate test set from real photographs the duplicate rules were not tuned on (Debian wallpaper
 * packages other than ../shared/photos', fetched by scripts/fetch-duplicate-photos.sh): each original with
 * the copies a library fills up with (`near`), the same shot processed differently (`edit`), and pictures
 * that only look alike (two halves of one texture; one photo recoloured to another's palette). Generated
 * with sharp, deterministically. The originals are split by a hash of their name into `dev` (what the
 * thresholds were looked at on) and `held-out` (what the figures are reported on).
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { FIXTURES } from '../helpers/fixtures.js';

export const DUPLICATE_PHOTOS_DIR = path.resolve(FIXTURES, '..', '.cache', 'duplicate-photos');

export type Split = 'dev' | 'held-out';

export interface SetFile {
  path: string;
  /** One original picture and everything made from it. */
  family: string;
  /**
   * Which rendering of the family: files of one family and one version show the same picture (their pair is
   * `near`, or `exact` for identical bytes); other versions of the family are edits of it (`edit`).
   */
  version: string;
  /** The transform that made the file, for the confusions. */
  transform: string;
  /** A crop too tight to be a copy (the look-alike halves): its pair with its source family is not judged. */
  partOf?: string;
}

/** Originals are scaled to this long side first: a library's JPEG, and quick to index. */
const ORIGINAL_LONG_SIDE = 1600;
/** Two in five originals are held out (by name hash, so adding a package moves no existing one). */
const HELD_OUT_SHARE = 0.4;

/** Copies that show the same picture: a photographer trashes them without looking. */
const NEAR: Record<string, (b: Buffer) => Promise<Buffer>> = {
  'q60.jpg': (b) => sharp(b).jpeg({ quality: 60 }).toBuffer(),
  'resize50.jpg': async (b) => sharp(b).resize({ width: Math.round(((await sharp(b).metadata()).width ?? 2) / 2) }).jpeg({ quality: 85 }).toBuffer(),
  'crop90.jpg': (b) => crop(b, 0.05, 0.05, 0.9, 0.9),
  'crop80-corner.jpg': (b) => crop(b, 0.02, 0.15, 0.8, 0.8),
  'crop-wide.jpg': (b) => crop(b, 0, 0.12, 1, 0.76),
  'bright.jpg': (b) => sharp(b).modulate({ brightness: 1.12 }).jpeg({ quality: 90 }).toBuffer(),
  'copy.png': (b) => sharp(b).png().toBuffer(),
  // Pixels stored turned a quarter, with the EXIF orientation that turns them back (what a phone writes).
  'exif-rotated.jpg': (b) => sharp(b).rotate(270).jpeg({ quality: 90 }).withMetadata({ orientation: 6 }).toBuffer(),
};
/** The same shot processed differently: shown together, nothing pre-ticked. */
const EDITS: Record<string, (b: Buffer) => Promise<Buffer>> = {
  'mirrored.jpg': (b) => sharp(b).flop().jpeg({ quality: 90 }).toBuffer(),
  'bw.jpg': (b) => sharp(b).greyscale().jpeg({ quality: 90 }).toBuffer(),
  'dark.jpg': (b) => sharp(b).linear(0.45, 0).jpeg({ quality: 90 }).toBuffer(),
  'light.jpg': (b) => sharp(b).linear(0.55, 115).jpeg({ quality: 90 }).toBuffer(),
  'graded-hue.jpg': (b) => sharp(b).modulate({ hue: 90, saturation: 1.2 }).jpeg({ quality: 90 }).toBuffer(),
  // Teal shadows and orange highlights, a common film look.
  'graded-teal.jpg': (b) => sharp(b).recomb([[1.3, 0.15, -0.25], [0, 0.95, 0.1], [-0.3, 0.35, 1]]).jpeg({ quality: 90 }).toBuffer(),
};
/** Near transforms applied to GNOME's light/dark design editions (each edition is its own picture). */
const EDITION_NEAR = ['q60.jpg', 'resize50.jpg', 'crop90.jpg'];

export function originals(): { file: string; family: string; version: string }[] {
  const out: { file: string; family: string; version: string }[] = [];
  for (const pkg of fs.readdirSync(DUPLICATE_PHOTOS_DIR).filter((d) => fs.statSync(path.join(DUPLICATE_PHOTOS_DIR, d)).isDirectory()).sort()) {
    for (const name of fs.readdirSync(path.join(DUPLICATE_PHOTOS_DIR, pkg)).sort()) {
      const stem = path.parse(name).name;
      const edition = /^(.*)-([dl])$/.exec(stem);
      const [family, version] = pkg === 'gnome-backgrounds' && edition ? [`gnome-${edition[1]}`, edition[2]!] : [stem, 'original'];
      out.push({ file: path.join(DUPLICATE_PHOTOS_DIR, pkg, name), family, version });
    }
  }
  return out;
}

export function splitOf(family: string): Split {
  // FNV-1a: a stable hash of the name, the same on every machine.
  let h = 0x811c9dc5;
  for (const c of family) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return (h % 1000) / 1000 < HELD_OUT_SHARE ? 'held-out' : 'dev';
}

/** Writes one split's files under `dir` and returns them with their ground truth. */
export async function buildDuplicateSet(dir: string, split: Split): Promise<SetFile[]> {
  const files: SetFile[] = [];
  const chosen = originals().filter((o) => splitOf(o.family) === split);
  const bases = new Map<string, Buffer>();
  for (const o of chosen) bases.set(o.file, await sharp(o.file).rotate().resize({ width: ORIGINAL_LONG_SIDE, height: ORIGINAL_LONG_SIDE, fit: 'inside' }).jpeg({ quality: 92 }).toBuffer());
  const put = async (file: SetFile, bytes: Buffer | Promise<Buffer>) => {
    fs.mkdirSync(path.dirname(file.path), { recursive: true });
    fs.writeFileSync(file.path, await bytes);
    files.push(file);
  };
  const photos = chosen.filter((o) => o.version === 'original');
  for (const o of chosen) {
    const base = bases.get(o.file)!;
    const folder = path.join(dir, o.family);
    const stem = o.version === 'original' ? o.family : `${o.family}-${o.version}`;
    await put({ path: path.join(folder, `${stem}.jpg`), family: o.family, version: o.version, transform: 'original' }, base);
    if (o.version !== 'original') {
      for (const suffix of EDITION_NEAR) await put({ path: path.join(folder, `${stem}-${suffix}`), family: o.family, version: o.version, transform: suffix }, NEAR[suffix]!(base));
      continue;
    }
    await put({ path: path.join(folder, 'backup', `${stem}.jpg`), family: o.family, version: o.version, transform: 'exact copy' }, base);
    for (const [suffix, make] of Object.entries(NEAR)) await put({ path: path.join(folder, `${stem}-${suffix}`), family: o.family, version: o.version, transform: suffix }, make(base));
    for (const [suffix, make] of Object.entries(EDITS)) await put({ path: path.join(folder, `${stem}-${suffix}`), family: o.family, version: suffix, transform: suffix }, make(base));
    // Look-alikes: two halves of one picture share its texture and palette but show different things.
    for (const [side, left] of [['left', 0], ['right', 0.52]] as const) {
      await put({ path: path.join(dir, 'lookalike', `${stem}-${side}-half.jpg`), family: `${o.family}-${side}-half`, version: 'original', transform: 'texture half', partOf: o.family }, crop(base, left, 0, 0.48, 1));
    }
    // Same palette: this photo recoloured to the next photo's colour statistics (to that photo, a look-alike).
    const other = photos[(photos.indexOf(o) + 1) % photos.length];
    if (other && other !== o) {
      await put({ path: path.join(folder, `${stem}-palette-of-${other.family}.jpg`), family: o.family, version: 'palette', transform: 'palette of another photo' }, paletteOf(base, bases.get(other.file)!));
    }
  }
  return files;
}

async function crop(b: Buffer, x: number, y: number, w: number, h: number): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(b).metadata();
  const left = Math.round(x * width);
  const top = Math.round(y * height);
  return sharp(b).extract({ left, top, width: Math.min(width - left, Math.round(w * width)), height: Math.min(height - top, Math.round(h * height)) }).jpeg({ quality: 90 }).toBuffer();
}

/** Per-channel mean and spread of `b` moved to those of `target` (a colour transfer). */
async function paletteOf(b: Buffer, target: Buffer): Promise<Buffer> {
  const [from, to] = await Promise.all([sharp(b).stats(), sharp(target).stats()]);
  const scale = from.channels.slice(0, 3).map((c, i) => to.channels[i]!.stdev / Math.max(1, c.stdev));
  const offset = from.channels.slice(0, 3).map((c, i) => to.channels[i]!.mean - c.mean * scale[i]!);
  return sharp(b).linear(scale, offset).jpeg({ quality: 90 }).toBuffer();
}

export type TruthKind = 'near' | 'edit' | 'different' | 'unjudged';

/** What a pair of files is, by construction. */
export function truthOf(a: SetFile, b: SetFile): TruthKind {
  if (a.partOf === b.family || b.partOf === a.family) return 'unjudged';
  if (a.family !== b.family) return 'different';
  return a.version === b.version ? 'near' : 'edit';
}

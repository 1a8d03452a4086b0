import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { Core } from '../../app/core.js';
import { emit, round } from './report.js';

/**
 * Duplicate kinds on tiny-clip's development set (`../shared/datasets/tiny-clip-dev`, 600 distinct synthetic
 * photos, many of one composition: flat backdrops, sunsets, snowfields), with copies of every 15th photo
 * planted (resized to 60 %, JPEG quality 40, 90 % crop, PNG, brightened ×1.12, mirrored), indexed and scanned
 * with each model: the photos the verifier was not tuned on (issue 14's rules were fitted on real photographs).
 * Every pair of different photos in an exact or near group is an offer to trash a photo, and is printed.
 */
const DEV = path.resolve('..', 'shared', 'datasets', 'tiny-clip-dev');
const MODELS = ['tiny-clip', 'tiny-clip-gap'].map((m) => path.resolve('..', 'shared', 'models', m));
const VARIANTS = ['resized', 'q40', 'crop90', 'png', 'bright', 'mirror'] as const;

async function plantCopies(dir: string): Promise<void> {
  const files = fs.readdirSync(DEV).filter((f) => f.endsWith('.jpg')).sort();
  for (const f of files) fs.copyFileSync(path.join(DEV, f), path.join(dir, f));
  for (const f of files.filter((_, i) => i % 15 === 0)) {
    const bytes = fs.readFileSync(path.join(DEV, f));
    const { width = 0, height = 0 } = await sharp(bytes).metadata();
    const to = (v: string, ext = 'jpg') => path.join(dir, `${f.replace('.jpg', '')}__${v}.${ext}`);
    await sharp(bytes).resize(Math.round(width * 0.6)).jpeg({ quality: 85 }).toFile(to('resized'));
    await sharp(bytes).jpeg({ quality: 40 }).toFile(to('q40'));
    const [w, h] = [Math.round(width * 0.9), Math.round(height * 0.9)];
    await sharp(bytes).extract({ left: Math.round(width * 0.05), top: Math.round(height * 0.05), width: w, height: h }).jpeg({ quality: 90 }).toFile(to('crop90'));
    await sharp(bytes).png().toFile(to('png', 'png'));
    await sharp(bytes).linear(1.12, 0).jpeg({ quality: 90 }).toFile(to('bright'));
    await sharp(bytes).flop().jpeg({ quality: 90 }).toFile(to('mirror'));
  }
}

const sourceOf = (p: string) => path.basename(p).replace(/__.*$/, '').replace(/\.(jpg|png)$/, '');
const variantOf = (p: string) => path.basename(p).match(/__(\w+)\./)?.[1] ?? 'original';

export async function benchDuplicatesDev(): Promise<void> {
  if (!fs.existsSync(DEV)) {
    console.log(`# ${DEV} not found: dev-set duplicate figures skipped`);
    return;
  }
  const photos = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-dupes-dev-'));
  await plantCopies(photos);
  const names = fs.readdirSync(photos);
  // Truth: files of one source are copies, except the mirror, which is an edit of each.
  const copiesOf = new Map<string, number>();
  for (const n of names) if (variantOf(n) !== 'mirror') copiesOf.set(sourceOf(n), (copiesOf.get(sourceOf(n)) ?? 0) + 1);
  const truePairs = [...copiesOf.values()].reduce((s, k) => s + (k * (k - 1)) / 2, 0);
  for (const modelDir of MODELS) {
    const library = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-dupes-dev-lib-'));
    const core = Core.open({ libraryDir: library, modelDir });
    await core.index([photos]);
    const groups = await core.duplicates();
    await core.close();
    fs.rmSync(library, { recursive: true, force: true });
    const confusions: Record<string, number> = {};
    const wrong: string[] = [];
    let found = 0;
    for (const g of groups) {
      const ps = g.photos.map((p) => p.path);
      for (let i = 0; i < ps.length; i++) for (let j = i + 1; j < ps.length; j++) {
        const [a, b] = [ps[i]!, ps[j]!];
        const mirrored = (variantOf(a) === 'mirror') !== (variantOf(b) === 'mirror');
        const truth = sourceOf(a) !== sourceOf(b) ? 'different' : mirrored ? 'mirror' : 'copy';
        confusions[`${truth} → ${g.kind}`] = (confusions[`${truth} → ${g.kind}`] ?? 0) + 1;
        const offered = g.kind === 'exact' || g.kind === 'near';
        if (offered && truth === 'copy') found++;
        if (offered && truth !== 'copy') wrong.push(`${path.basename(a)} ~ ${path.basename(b)}`);
      }
    }
    emit({ bench: 'duplicates-dev', model: path.basename(modelDir), files: names.length, groups: groups.length,
      precision: round(found / Math.max(1, found + wrong.length)), recall: round(found / truePairs), offeredWrongly: wrong.length,
      confusions: Object.entries(confusions).map(([k, v]) => `${k}: ${v}`).join(', '), ...(wrong.length ? { wrong: wrong.slice(0, 10).join('; ') } : {}) });
  }
  fs.rmSync(photos, { recursive: true, force: true });
}

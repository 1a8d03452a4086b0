import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../app/core.js';
import { runCliJson, tempDir } from '../helpers/cli.js';
import { REFERENCE_DIR, SAMPLES_DIR, TEST_PHOTOS_DIR, TINY_CLIP } from '../helpers/fixtures.js';

/** The edits photographers' libraries are full of, applied to real photographs. */
const VARIANTS: Record<string, (input: Buffer) => Promise<Buffer>> = {
  'resized.jpg': (b) => sharp(b).resize({ width: 800 }).jpeg({ quality: 85 }).toBuffer(),
  'lowq.jpg': (b) => sharp(b).jpeg({ quality: 15 }).toBuffer(),
  'crop90.jpg': async (b) => {
    const { width = 0, height = 0 } = await sharp(b).metadata();
    const w = Math.round(width * 0.9);
    const h = Math.round(height * 0.9);
    return sharp(b).extract({ left: Math.round((width - w) / 2), top: Math.round((height - h) / 2), width: w, height: h }).jpeg({ quality: 90 }).toBuffer();
  },
  'copy.png': (b) => sharp(b).png().toBuffer(),
};
/**
 * Edits of the same shot (issue 14): shown together, never pre-ticked. A mirror is always an edit; a 25 %
 * brightening lies between "slightly brightened" (a copy) and a light edition, so it may be either, but it
 * must be shown beside its original, never lost and never joined to another photo.
 */
const MIRROR = 'mirrored.jpg';
const BRIGHT = 'bright.jpg';

type Groups = { groups: { kind: string; paths: string[]; keep: string; reason: string; mirrored?: boolean }[] };

describe('duplicates: generated variants of real photos among unrelated images', () => {
  const library = tempDir('dupes-lib');
  const photos = tempDir('dupes-photos');
  const family = new Map<string, string>(); // file → original's name
  let result: Groups;

  beforeAll(async () => {
    expect(fs.existsSync(TEST_PHOTOS_DIR), 'run scripts/fetch-test-photos.sh').toBe(true);
    for (const name of fs.readdirSync(TEST_PHOTOS_DIR).filter((f) => f.endsWith('.jpg'))) {
      const stem = path.parse(name).name;
      const bytes = fs.readFileSync(path.join(TEST_PHOTOS_DIR, name));
      const dir = path.join(photos, stem);
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, `${stem}.jpg`), bytes);
      family.set(path.join(dir, `${stem}.jpg`), stem);
      for (const [suffix, make] of Object.entries(VARIANTS)) {
        const file = path.join(dir, `${stem}-${suffix}`);
        fs.writeFileSync(file, await make(bytes));
        family.set(file, stem);
      }
      fs.writeFileSync(path.join(dir, `${stem}-${MIRROR}`), await sharp(bytes).flop().jpeg({ quality: 90 }).toBuffer());
      fs.writeFileSync(path.join(dir, `${stem}-${BRIGHT}`), await sharp(bytes).modulate({ brightness: 1.25 }).jpeg({ quality: 90 }).toBuffer());
      // An exact copy in an export folder: the original, not the copy, must be the suggested keeper.
      fs.mkdirSync(path.join(dir, 'export'));
      fs.writeFileSync(path.join(dir, 'export', `${stem}.jpg`), bytes);
    }
    // Unrelated images: tiny-clip's synthetic world (many look alike: flat backgrounds, the same shapes).
    fs.mkdirSync(path.join(photos, 'unrelated'));
    for (const f of fs.readdirSync(SAMPLES_DIR).filter((x) => x.endsWith('.jpg'))) fs.copyFileSync(path.join(SAMPLES_DIR, f), path.join(photos, 'unrelated', f));
    for (const f of fs.readdirSync(REFERENCE_DIR).filter((x) => /\.(jpg|png)$/.test(x))) fs.copyFileSync(path.join(REFERENCE_DIR, f), path.join(photos, 'unrelated', f));

    const core = Core.open({ libraryDir: library, modelDir: TINY_CLIP });
    const report = await core.index([photos]);
    expect(report.failed).toEqual([]);
    await core.close();
    result = runCliJson<Groups>(['dupes', '--library', library]);
  });
  afterAll(() => {
    fs.rmSync(library, { recursive: true, force: true });
    fs.rmSync(photos, { recursive: true, force: true });
  });

  /**
   * Issue 6's goal: precision ≥ 0.99 and recall ≥ 0.95 on pairs. The defaults of [Note: near-duplicate rules]
   * were tuned on these same variants (with margins: stable bits 15 vs 9, CLIP floor 0.6 vs 0.48 / 0.73), so
   * this guards against regression rather than proving generalisation; the figures are printed for the note.
   * Since issue 14 mirrored copies are edits (never in a near group) and a 25 % brightening may be either.
   */
  it('finds near-duplicate pairs (precision and recall printed); mirrored copies are edits, never near', () => {
    const key = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
    const truth = new Set<string>();
    const members = [...family.keys()];
    for (const a of members) for (const b of members) if (a < b && family.get(a) === family.get(b)) truth.add(key(a, b));
    const found = new Set<string>();
    const isEdit = (p: string) => p.endsWith(MIRROR) || p.endsWith(BRIGHT);
    // Export copies are byte-identical to their original: judged in the exact test, not here.
    const counted = (p: string) => !isEdit(p) && !p.includes(`${path.sep}export${path.sep}`);
    for (const g of result.groups.filter((x) => x.kind === 'near')) {
      for (const a of g.paths) for (const b of g.paths) if (a < b && counted(a) && counted(b)) found.add(key(a, b));
    }
    const tp = [...found].filter((p) => truth.has(p)).length;
    const precision = found.size ? tp / found.size : 0;
    const recall = tp / truth.size;
    const originals = [...new Set(family.values())];
    const stemOf = (p: string) => path.basename(path.dirname(p.includes(`${path.sep}export${path.sep}`) ? path.dirname(p) : p));
    const groupsOf = (stem: string, suffix: string, kinds: string[]) =>
      result.groups.filter((g) => kinds.includes(g.kind) && g.paths.some((p) => p.endsWith(`${stem}-${suffix}`)));
    // A mirrored copy sits in an edit group with its family (its original, or the original's near group's keeper).
    const mirrorsInEdit = originals.filter((stem) => groupsOf(stem, MIRROR, ['edit']).some((g) => g.paths.some((p) => !p.endsWith(MIRROR) && stemOf(p) === stem))).length;
    const mirrorsInNear = originals.filter((stem) => groupsOf(stem, MIRROR, ['near', 'exact']).length > 0).length;
    const brightShown = originals.filter((stem) => groupsOf(stem, BRIGHT, ['near', 'edit']).some((g) => g.paths.some((p) => !p.endsWith(BRIGHT) && stemOf(p) === stem))).length;
    // Every group holding an edit holds its own family only.
    const editsWithStrangers = result.groups.filter((g) => g.paths.some(isEdit) && new Set(g.paths.map(stemOf)).size > 1).length;
    const brightLost = originals.filter((stem) => !groupsOf(stem, BRIGHT, ['near', 'edit']).some((g) => g.paths.some((p) => !p.endsWith(BRIGHT) && stemOf(p) === stem)));
    if (brightLost.length) console.log('brightened copies shown with no family member:', brightLost);
    const falsePairs = [...found].filter((p) => !truth.has(p));
    console.log(
      `near-duplicate pairs: ${found.size} found, ${truth.size} true, precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}; ` +
        `mirrored copies in edit ${mirrorsInEdit}/${originals.length}, in near ${mirrorsInNear}; 25 % brighter copies shown with their original ${brightShown}/${originals.length}`,
    );
    if (falsePairs.length) console.log('false pairs:', falsePairs.slice(0, 5));
    const missed = [...truth].filter((p) => !found.has(p)).map((p) => p.split('|').map((x) => path.basename(x)).join(' ~ '));
    if (missed.length) console.log('missed pairs:', missed.slice(0, 10));
    expect(precision).toBeGreaterThanOrEqual(0.99);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(mirrorsInNear).toBe(0);
    expect(mirrorsInEdit).toBeGreaterThanOrEqual(originals.length / 2);
    expect(brightShown).toBe(originals.length);
    expect(editsWithStrangers).toBe(0);
  });

  it('groups byte-identical copies as exact and keeps the original, not the export', () => {
    const exact = result.groups.filter((g) => g.kind === 'exact');
    expect(exact).toHaveLength(family.size / (Object.keys(VARIANTS).length + 1));
    for (const g of exact) {
      expect(g.paths).toHaveLength(2);
      expect(g.keep).not.toContain(`${path.sep}export${path.sep}`);
    }
  });

  it('suggests the full-size original as keeper of a near group, with its reason', () => {
    const families = result.groups.filter((x) => x.kind === 'near' && !x.keep.includes(`${path.sep}unrelated${path.sep}`));
    expect(families.length).toBeGreaterThanOrEqual(10);
    for (const g of families) {
      const stem = path.basename(path.dirname(g.keep));
      const lower = g.keep.toLowerCase();
      expect(lower.endsWith(`${path.sep}${stem.toLowerCase()}.jpg`), `${g.keep} (${g.reason})`).toBe(true);
      expect(g.reason.length).toBeGreaterThan(0);
    }
  });
});

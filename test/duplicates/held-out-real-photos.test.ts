import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../app/core.js';
import type { DuplicateGroup } from '../../app/duplicates/find-duplicates.js';
import { tempDir } from '../helpers/cli.js';
import { TINY_CLIP } from '../helpers/fixtures.js';
import { buildDuplicateSet, DUPLICATE_PHOTOS_DIR, truthOf, type SetFile, type Split } from './real-photo-set.js';

/** tiny-clip with real CLIP's score geometry (unrelated photos ≈ 0.5): rules on tiny-clip's scale fail there. */
const TINY_CLIP_GAP = path.resolve(TINY_CLIP, '..', '..', '..', '..', 'shared', 'models', 'tiny-clip-gap');
/** Which split this file reports on: the held-out half by default; SHOEBOX_DUPES_SPLIT=dev for the tuning half. */
const SPLIT: Split = process.env.SHOEBOX_DUPES_SPLIT === 'dev' ? 'dev' : 'held-out';

type Predicted = 'exact+near' | 'edit' | 'similar' | 'none';

/**
 * Issue 14's acceptance, on real photographs the rules were not tuned on (real-photo-set.ts): `near` +
 * `exact` pairs at precision ≥ 0.99 and recall ≥ 0.95, no pair of different photos and no edit in `near`,
 * mirrored copies in `edit`. A pair counts as exact+near when the two files are joined through exact and near
 * groups (what the review screen offers to trash); the confusions print every truth against every outcome.
 *
 * The bar is asserted as it stands in the issue; it was reached with colour compared on the outer picture's
 * 16×16 grid away from clipped cells and a test of the mean colour cast (see [Note: pair verification]). If
 * it fails, the printed confusions say which copies or edits moved: tighten the code, not this test.
 */
const BAR = { precision: 0.99, recall: 0.95 };
describe.each([
  ['tiny-clip', TINY_CLIP],
  ['tiny-clip-gap', TINY_CLIP_GAP],
])(`duplicates on the ${SPLIT} real photographs with %s`, (name, modelDir) => {
  const present = fs.existsSync(path.join(modelDir, 'manifest.json'));
  const library = tempDir(`dupes-${name}-lib`);
  const photosDir = tempDir(`dupes-${name}-photos`);
  let files: SetFile[] = [];
  let groups: DuplicateGroup[] = [];

  beforeAll(async () => {
    if (!present) return;
    expect(fs.existsSync(DUPLICATE_PHOTOS_DIR), 'run scripts/fetch-duplicate-photos.sh').toBe(true);
    files = await buildDuplicateSet(photosDir, SPLIT);
    const core = Core.open({ libraryDir: library, modelDir });
    try {
      const report = await core.index([photosDir]);
      expect(report.failed).toEqual([]);
      groups = await core.duplicates();
    } finally {
      await core.close();
    }
  }, 300_000);
  afterAll(() => {
    fs.rmSync(library, { recursive: true, force: true });
    fs.rmSync(photosDir, { recursive: true, force: true });
  });

  it.skipIf(!present)("meets issue 14's bar: exact+near precision ≥ 0.99 and recall ≥ 0.95, no different photos and no edit offered to trash, mirrored copies in edit", () => {
    const byPath = new Map(files.map((f) => [path.resolve(f.path), f]));
    const fileOf = (p: string) => byPath.get(path.resolve(p))!;
    // What the screen offers to trash: files joined through exact and near groups.
    const copyOf = new Map<string, string>();
    const root = (p: string): string => {
      const up = copyOf.get(p);
      return up === undefined || up === p ? p : root(up);
    };
    for (const g of groups.filter((x) => x.kind === 'exact' || x.kind === 'near')) {
      const [first, ...rest] = g.photos.map((p) => path.resolve(p.path));
      for (const p of rest) copyOf.set(root(p), root(first!));
    }
    const inGroup = (kind: DuplicateGroup['kind'], a: string, b: string) =>
      groups.some((g) => g.kind === kind && g.photos.some((p) => path.resolve(p.path) === a) && g.photos.some((p) => path.resolve(p.path) === b));
    // An edit group shows one file for each set of copies (their keeper), which need not be the set's root here.
    const inEditGroup = (a: string, b: string) =>
      groups.some((g) => g.kind === 'edit' && g.photos.some((p) => root(path.resolve(p.path)) === root(a)) && g.photos.some((p) => root(path.resolve(p.path)) === root(b)));
    const confusion = new Map<string, number>();
    const wrongNear: string[] = [];
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const list = [...byPath.keys()];
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const [a, b] = [list[i]!, list[j]!];
        const [fa, fb] = [fileOf(a), fileOf(b)];
        const truth = truthOf(fa, fb);
        if (truth === 'unjudged') continue;
        // Edits of one photo are judged against the original's copies, not against each other.
        const predicted: Predicted = root(a) === root(b) ? 'exact+near' : inEditGroup(a, b) ? 'edit' : inGroup('similar', a, b) ? 'similar' : 'none';
        const label = truth === 'edit' ? `edit (${fa.version === 'original' ? fb.transform : fa.transform})` : truth;
        confusion.set(`${label} → ${predicted}`, (confusion.get(`${label} → ${predicted}`) ?? 0) + 1);
        if (predicted === 'exact+near' && truth === 'near') tp++;
        else if (predicted === 'exact+near') {
          fp++;
          wrongNear.push(`${truth}: ${path.basename(a)} ~ ${path.basename(b)}`);
        } else if (truth === 'near') fn++;
      }
    }
    const precision = tp + fp ? tp / (tp + fp) : 0;
    const recall = tp + fn ? tp / (tp + fn) : 0;
    const mirrors = files.filter((f) => f.transform === 'mirrored.jpg');
    const mirrorsInEdit = mirrors.filter((m) => {
      const original = files.find((f) => f.family === m.family && f.transform === 'original')!;
      return inEditGroup(path.resolve(original.path), path.resolve(m.path));
    }).length;
    const mirrorsInNear = mirrors.filter((m) => [...byPath.keys()].some((p) => p !== path.resolve(m.path) && root(p) === root(path.resolve(m.path)))).length;
    console.log(
      `[${SPLIT}, ${name}] ${files.length} files, ${groups.length} groups; exact+near pairs: precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)} (tp ${tp}, fp ${fp}, fn ${fn}); mirrored copies in edit ${mirrorsInEdit}/${mirrors.length}, in near ${mirrorsInNear}`,
    );
    console.log(`[${SPLIT}, ${name}] confusions (truth → outcome: pairs):\n  ${[...confusion].sort().map(([k, v]) => `${k}: ${v}`).join('\n  ')}`);
    if (wrongNear.length) console.log(`[${SPLIT}, ${name}] pairs wrongly offered to trash:\n  ${wrongNear.slice(0, 20).join('\n  ')}`);
    const editsInNear = wrongNear.filter((w) => w.startsWith('edit:')).length;
    const reached = precision >= BAR.precision && recall >= BAR.recall && editsInNear === 0 && mirrorsInEdit === mirrors.length;
    console.log(
      reached
        ? `[${SPLIT}, ${name}] issue 14's bar reached`
        : `[${SPLIT}, ${name}] issue 14's bar NOT reached: precision ${precision.toFixed(3)} of ${BAR.precision} (gap ${Math.max(0, BAR.precision - precision).toFixed(3)}), recall ${recall.toFixed(3)} of ${BAR.recall} (gap ${Math.max(0, BAR.recall - recall).toFixed(3)}), ${editsInNear} edit pairs in near, mirrored copies in edit ${mirrorsInEdit}/${mirrors.length}`,
    );
    // Two different photos are never offered to trash, nor an edit, nor a mirrored copy…
    expect(wrongNear.filter((w) => w.startsWith('different:'))).toEqual([]);
    expect(wrongNear.filter((w) => w.startsWith('edit:'))).toEqual([]);
    expect(mirrorsInNear).toBe(0);
    // …mirrored copies are shown as edits, and copies are found.
    expect(mirrorsInEdit).toBe(mirrors.length);
    expect(precision).toBeGreaterThanOrEqual(BAR.precision);
    expect(recall).toBeGreaterThanOrEqual(BAR.recall);
  });
});

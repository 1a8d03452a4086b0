import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../app/core.js';
import { parseVocabulary } from '../../app/tagging/vocabulary.js';
import { tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';
import { add, count, f1, hindsight, precision, recall, type Counts } from './metrics.js';
import { samplesVocabulary, truth, type Kind } from './samples-vocabulary.js';

interface KindResult {
  /** Our tags, pooled over every tag of the kind (tags no sample shows included: their false positives count). */
  micro: Counts;
  /** Mean F1 over the tags at least one sample shows. */
  macroF1: number;
  /** The same two with each tag's threshold on the raw cosine chosen in hindsight. */
  bestMicro: Counts;
  bestMacroF1: number;
}

/**
 * The "done when": the labelled samples are indexed and auto-tagged with a vocabulary of tiny-clip's
 * concepts through Core (real sharp, ONNX Runtime and SQLite); the tags Shoebox stored are compared with
 * labels.json. The acceptance rule never sees the labels; the hindsight thresholds do, and are the yardstick.
 */
describe('auto-tagging quality on the labelled samples', () => {
  const library = tempDir('tag-quality-lib');
  const photos = tempDir('tag-quality-photos');
  let core: Core;
  const results = new Map<Kind, KindResult>();

  beforeAll(async () => {
    for (const f of fs.readdirSync(SAMPLES_DIR)) if (f.endsWith('.jpg')) fs.copyFileSync(path.join(SAMPLES_DIR, f), path.join(photos, f));
    core = Core.open({ libraryDir: library, modelDir: TINY_CLIP });
    await core.index([photos]);
    const { text, kindOf } = samplesVocabulary();
    await core.autotag({ vocabulary: parseVocabulary(text) });

    const files = fs.readdirSync(photos).sort();
    const shown = new Map(files.map((f) => [f, new Set(core.tagsOf(path.join(photos, f)).map((t) => t.path))]));
    // The raw cosines the rule started from, for the hindsight thresholds.
    const { photoIds, tags, scores } = await core.tagScores();
    const rowOf = new Map(photoIds.map((id, i) => [path.basename(core.catalog.photos.byId(id)!.path), i]));

    for (const kind of ['scene', 'shape', 'color+shape'] as const) {
      const r: KindResult = { micro: { tp: 0, fp: 0, fn: 0 }, macroF1: 0, bestMicro: { tp: 0, fp: 0, fn: 0 }, bestMacroF1: 0 };
      const macro: number[] = [];
      const bestMacro: number[] = [];
      tags.forEach((tag, j) => {
        if (kindOf.get(tag.key) !== kind) return;
        const t = files.map((f) => truth(f, tag.key));
        const ours = count(files.map((f) => shown.get(f)!.has(tag.key)), t);
        const best = hindsight(files.map((f) => scores.cosine[rowOf.get(f)!]![j]!), t);
        r.micro = add(r.micro, ours);
        r.bestMicro = add(r.bestMicro, best);
        if (t.some(Boolean)) {
          macro.push(f1(ours));
          bestMacro.push(f1(best));
        }
      });
      r.macroF1 = macro.reduce((a, b) => a + b, 0) / macro.length;
      r.bestMacroF1 = bestMacro.reduce((a, b) => a + b, 0) / bestMacro.length;
      results.set(kind, r);
      const fmt = (x: number) => x.toFixed(3);
      console.log(
        `[tagging quality] ${kind.padEnd(11)} ours: P ${fmt(precision(r.micro))} R ${fmt(recall(r.micro))} F1 micro ${fmt(f1(r.micro))} macro ${fmt(r.macroF1)}` +
          ` | hindsight per-tag thresholds: F1 micro ${fmt(f1(r.bestMicro))} macro ${fmt(r.bestMacroF1)}` +
          ` | ratio micro ${fmt(f1(r.micro) / f1(r.bestMicro))} macro ${fmt(r.macroF1 / r.bestMacroF1)}`,
      );
    }
  }, 120_000);

  afterAll(async () => {
    await core?.close();
  });

  it('tags scenes with precision and recall of at least 0.95', () => {
    const scene = results.get('scene')!;
    expect(precision(scene.micro)).toBeGreaterThanOrEqual(0.95);
    expect(recall(scene.micro)).toBeGreaterThanOrEqual(0.95);
  });

  // The bar (0.85 of hindsight F1) holds for shapes. Colour + shape pairs measure micro 0.78, macro 0.83
  // with the query-anchored rule of issue 13 (0.83 with the library-relative rule before, which was tuned on
  // these very samples and could not tag a flat vocabulary; docs/benchmarks.md, "Issue 13"): below the bar, so
  // issue 5 stays open; this bound guards today's figure against regression.
  const BARS = { shape: 0.85, 'color+shape': 0.77 } as const;
  for (const kind of ['shape', 'color+shape'] as const) {
    it(`reaches ${BARS[kind]} of the hindsight F1 on ${kind} tags`, () => {
      const r = results.get(kind)!;
      expect(r.macroF1 / r.bestMacroF1, `${kind} macro`).toBeGreaterThanOrEqual(BARS[kind]);
      expect(f1(r.micro) / f1(r.bestMicro), `${kind} micro`).toBeGreaterThanOrEqual(BARS[kind]);
    });
  }
});

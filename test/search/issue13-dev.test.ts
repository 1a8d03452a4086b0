import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { anchoredRule, libraryRelativeRule, runSearch, runTags, type SearchFigures, type TagFigures } from '../bench/search-dev.js';
import { DEV_DIR, MODELS, type ModelName } from '../bench/search-dev-vectors.js';

/**
 * Issue 13 on its development set (../shared/datasets/tiny-clip-dev, 600 photos, 104 queries of 4 kinds),
 * with both test models: the dev harness (test/bench/search-dev.ts) replays every library mix of the issue
 * through the app's own rules on the photos' real vectors (app decode, crop and ONNX session; cached in
 * test/.cache/search-dev/) and the model's own calibration, and prints every figure, the rule before the issue
 * beside today's. Asserted: the bars the query-anchored rule meets on both models; the rest are printed with
 * NOT MET and their bar (docs/benchmarks.md, "Issue 13"). The held-out set that decides the issue is not here.
 */
const available = fs.existsSync(DEV_DIR) && Object.values(MODELS).every((dir) => fs.existsSync(dir));
const KINDS = ['scene', 'shape', 'color+shape', 'scene+object'] as const;

/** Prints one figure against its bar: at least `need`, or at most `need` with `atMost`. */
function report(name: string, bar: string, value: number, need: number, atMost = false): boolean {
  const met = atMost ? value <= need : value >= need;
  console.log(`[issue 13] ${name.padEnd(14)} ${bar.padEnd(58)} ${Number.isInteger(value) ? value : value.toFixed(3)} (bar ${atMost ? '≤' : '≥'} ${need}) ${met ? 'met' : 'NOT MET'}`);
  return met;
}

describe.skipIf(!available)('issue 13 on the dev set', () => {
  for (const name of Object.keys(MODELS) as ModelName[]) {
    describe(name, () => {
      let before: SearchFigures;
      let search: SearchFigures;
      let tags: TagFigures[];

      it('prints the figures of the rule before the issue and of today\'s', async () => {
        before = await runSearch(name, libraryRelativeRule, 'library-relative rule (before issue 13)');
        search = await runSearch(name, anchoredRule, 'query-anchored rule');
        tags = await runTags(name);
        for (const kind of KINDS) report(name, `search ${kind}: default F1 / best cut-off F1`, search.kinds[kind]!.ratio, 0.9);
        report(name, 'search scene: pooled precision', search.kinds.scene!.precision, 0.95);
        report(name, 'search scene: pooled recall', search.kinds.scene!.recall, 0.95);
        for (const f of search.folders) {
          report(name, `majority folder "${f.query}": precision`, f.precision, 0.9);
          report(name, `majority folder "${f.query}": recall`, f.recall, 0.9);
          report(name, `folder without "${f.query}": photos returned`, f.noMatchReturned, 1, true);
        }
        for (const o of search.outOfWorld) report(name, `"${o.query}" (no dev photo shows it): photos returned`, o.returned, 1, true);
        report(name, 'invariance: worst difference, folder alone vs in the dev set', Math.max(...search.folders.map((f) => f.invariance)), 0.05, true);
        for (const t of tags) {
          if (t.kind === 'scene') {
            report(name, `tags ${t.layout} scene: precision`, t.precision, 0.95);
            report(name, `tags ${t.layout} scene: recall`, t.recall, 0.95);
          } else {
            report(name, `tags ${t.layout} ${t.kind}: micro F1 / hindsight`, t.micro / t.hindsightMicro, 0.85);
            report(name, `tags ${t.layout} ${t.kind}: macro F1 / hindsight`, t.macro / t.hindsightMacro, 0.85);
          }
        }
      }, 600_000);

      it('scene and shape queries: default F1 ≥ 0.9 of the best cut-off; scenes with precision and recall ≥ 0.95', () => {
        expect(search.kinds.scene!.ratio).toBeGreaterThanOrEqual(0.9);
        expect(search.kinds.shape!.ratio).toBeGreaterThanOrEqual(0.9);
        expect(search.kinds.scene!.precision).toBeGreaterThanOrEqual(0.95);
        expect(search.kinds.scene!.recall).toBeGreaterThanOrEqual(0.95);
        // Not at the bar yet (printed above): colour + shape and scene + object; guarded well above the rule before.
        expect(search.kinds['color+shape']!.ratio).toBeGreaterThanOrEqual(0.8);
        expect(search.kinds['scene+object']!.ratio).toBeGreaterThanOrEqual(0.7);
      });

      it('queries that match something return something (before: a third of the fine-grained ones returned nothing)', () => {
        for (const kind of KINDS) expect(search.kinds[kind]!.empty, kind).toBe(0);
        expect(KINDS.some((kind) => before.kinds[kind]!.empty > 0)).toBe(true);
      });

      it('majority folders: the scene is returned with precision and recall ≥ 0.9 (before: nothing was returned); a folder without it returns at most one photo', () => {
        for (const f of search.folders) expect(f.precision, f.query).toBeGreaterThanOrEqual(0.9);
        for (const f of search.folders) expect(f.recall, f.query).toBeGreaterThanOrEqual(0.9);
        for (const f of search.folders) expect(f.noMatchReturned, f.query).toBeLessThanOrEqual(1);
        expect(before.folders.every((f) => f.recall < 0.1)).toBe(true);
      });

      it('queries about things no dev photo shows: the setting contrasts take out most of what the siblings alone let through', () => {
        // Not at the bar (≤ 1 photo each, printed above): "a wedding" still returns 12 of 600 on tiny-clip-gap, 4 on tiny-clip.
        const after = search.outOfWorld.reduce((n, o) => n + o.returned, 0);
        const siblingsOnly = search.outOfWorld.reduce((n, o) => n + o.withoutSettings, 0);
        expect(after).toBeLessThanOrEqual(0.3 * siblingsOnly);
      });

      it('invariance: a folder alone and inside the dev set get the same default results', () => {
        for (const f of search.folders) expect(f.invariance, f.query).toBeLessThanOrEqual(0.05);
        expect(before.folders.some((f) => f.invariance > 0.05)).toBe(true);
      });

      it('tags: a flat vocabulary reaches exactly the figures of its hierarchical version', () => {
        for (const kind of ['scene', 'shape', 'color+shape'] as const) {
          const flat = tags.find((t) => t.layout === 'flat' && t.kind === kind)!;
          const hierarchical = tags.find((t) => t.layout === 'hierarchical' && t.kind === kind)!;
          expect(flat).toEqual({ ...hierarchical, layout: 'flat' });
        }
      });

      it('tags: scenes with precision and recall ≥ 0.95, shapes ≥ 0.85 of the hindsight F1, colour + shape near its bar', () => {
        const scene = tags.find((t) => t.layout === 'flat' && t.kind === 'scene')!;
        const shape = tags.find((t) => t.layout === 'flat' && t.kind === 'shape')!;
        const pairs = tags.find((t) => t.layout === 'flat' && t.kind === 'color+shape')!;
        expect(shape.micro / shape.hindsightMicro).toBeGreaterThanOrEqual(0.85);
        expect(shape.macro / shape.hindsightMacro).toBeGreaterThanOrEqual(0.85);
        expect(scene.precision).toBeGreaterThanOrEqual(0.95);
        expect(scene.recall).toBeGreaterThanOrEqual(0.95);
        expect(pairs.micro / pairs.hindsightMicro).toBeGreaterThanOrEqual(0.85);
        // Not at the bar on tiny-clip (0.843, printed above): guards a little under today's figure.
        expect(pairs.macro / pairs.hindsightMacro).toBeGreaterThanOrEqual(0.82);
      });
    });
  }
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClipModel } from '../../app/model/clip-model.js';
import { loadModelPack } from '../../app/model/load-pack.js';
import { likeTheseQuery } from '../../app/search/like-these.js';
import { modelCalibration } from '../../app/search/model-calibration.js';
import { dot, l2Normalize } from '../../app/util/vector.js';
import { DEV_DIR, MODELS, photoVectors, type ModelName } from '../bench/search-dev-vectors.js';

interface DevLabel {
  file: string;
  scene_tags: string[];
  objects: { color: string; shape: string }[];
}
/** The dev captions' words for each scene. */
const PHRASE: Record<string, string> = { sunset: 'at sunset', night: 'in the night sky', beach: 'on the beach', forest: 'in the forest', snow: 'in the snow', city: 'in the city', ocean: 'over the ocean' };
const available = fs.existsSync(DEV_DIR) && Object.values(MODELS).every((dir) => fs.existsSync(dir));

type Rule = (photos: Float32Array[], text: Float32Array) => Float32Array;

/**
 * "More like these" on the dev set (../shared/datasets/tiny-clip-dev, 600 photos): every case is "up to two
 * photos of object X in scene A, and the words for scene B" where the set has X in B; the relevant photos are
 * X in B, the examples left out of the ranking. Printed per model: mean average precision, how often the first
 * photo is relevant, and how often every X-in-B photo ranks above the examples and above every B photo without
 * X (the done-when, generalised). The app's rule ([Note: more like these]) beside raw cosines summed.
 */
describe.skipIf(!available)('more like these on the dev set', () => {
  for (const name of Object.keys(MODELS) as ModelName[]) {
    it(`${name}: the app's rule against raw cosines summed`, async () => {
      const raw = JSON.parse(fs.readFileSync(path.join(DEV_DIR, 'labels.json'), 'utf8')) as DevLabel[] | { images: DevLabel[] };
      const labels = Array.isArray(raw) ? raw : raw.images;
      const set = await photoVectors(name, 'dev');
      const vectorOf = new Map(set.files.map((f, i) => [f, set.vectors[i]!]));
      const model = new ClipModel(loadModelPack(MODELS[name]));
      try {
        const calibration = await modelCalibration(model);
        const phrases = Object.values(PHRASE);
        const textOf = new Map((await model.embedTexts(phrases)).map((e, i) => [phrases[i]!, e.embedding]));
        const sceneOf = (l: DevLabel) => (l.scene_tags.length === 1 ? l.scene_tags[0]! : null);
        const shows = (l: DevLabel, object: string) => l.objects.some((o) => `${o.color} ${o.shape}` === object);
        const objects = [...new Set(labels.flatMap((l) => l.objects.map((o) => `${o.color} ${o.shape}`)))];
        const cases: { examples: DevLabel[]; scene: string; object: string }[] = [];
        for (const object of objects) {
          for (const from of Object.keys(PHRASE)) {
            for (const scene of Object.keys(PHRASE)) {
              const examples = labels.filter((l) => sceneOf(l) === from && shows(l, object)).slice(0, 2);
              if (scene !== from && examples.length > 0 && labels.some((l) => sceneOf(l) === scene && shows(l, object))) cases.push({ examples, scene, object });
            }
          }
        }
        const rules: Record<string, Rule> = {
          "app's rule": (photos, text) => likeTheseQuery(photos, { towards: [text], away: [] }, calibration, set.vectors),
          'raw cosines summed': (photos, text) => {
            const mean = l2Normalize(photos.reduce((acc, v) => acc.map((x, i) => x + v[i]!), new Float32Array(text.length)));
            return mean.map((x, i) => x + text[i]!);
          },
        };
        const figures: Record<string, { map: number; top1: number; doneWhen: number }> = {};
        for (const [label, rule] of Object.entries(rules)) {
          let ap = 0;
          let top1 = 0;
          let doneWhen = 0;
          for (const c of cases) {
            const q = rule(c.examples.map((l) => vectorOf.get(l.file)!), textOf.get(PHRASE[c.scene]!)!);
            const left = new Set(c.examples.map((l) => l.file));
            const ranked = labels.filter((l) => !left.has(l.file)).map((l) => ({ l, s: dot(q, vectorOf.get(l.file)!) })).sort((a, b) => b.s - a.s);
            const relevant = (l: DevLabel) => l.scene_tags.includes(c.scene) && shows(l, c.object);
            let hits = 0;
            let precisions = 0;
            ranked.forEach((r, i) => {
              if (relevant(r.l)) precisions += ++hits / (i + 1);
            });
            ap += precisions / hits;
            if (relevant(ranked[0]!.l)) top1++;
            const worst = Math.min(...ranked.filter((r) => relevant(r.l)).map((r) => r.s));
            const examples = Math.max(...c.examples.map((l) => dot(q, vectorOf.get(l.file)!)));
            const others = Math.max(-2, ...ranked.filter((r) => r.l.scene_tags.includes(c.scene) && !shows(r.l, c.object)).map((r) => r.s));
            if (worst > examples && worst > others) doneWhen++;
          }
          figures[label] = { map: ap / cases.length, top1: top1 / cases.length, doneWhen: doneWhen / cases.length };
          const f = figures[label]!;
          console.log(`[more like these, dev] ${name.padEnd(14)} ${label.padEnd(20)} ${cases.length} cases  MAP ${f.map.toFixed(3)}  first relevant ${f.top1.toFixed(3)}  all above examples and others ${f.doneWhen.toFixed(3)}`);
        }
        expect(figures["app's rule"]!.map).toBeGreaterThanOrEqual(figures['raw cosines summed']!.map);
        expect(figures["app's rule"]!.map).toBeGreaterThan(0.58);
      } finally {
        await model.release();
      }
    }, 300_000);
  }
});

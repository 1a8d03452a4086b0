/**
 * How long the acceptance rule takes over a large library: random unit vectors stand in for photos and tags
 * (the cost does not depend on their content). Run: node --import tsx test/bench/tagging-scale.ts [photos]
 */
import { acceptTags, scoreTags, type TagAlternatives } from '../../app/tagging/acceptance.js';
import { l2Normalize } from '../../app/util/vector.js';

const photos = Number(process.argv[2] ?? 20_000);
const dim = 512;
const tagCount = 72; // the shipped vocabulary
const groupSizes = [14, 22, 6, 6, 4, 7, 7, 5, 1]; // its sibling groups, roughly
const random = (n: number) => Array.from({ length: n }, () => l2Normalize(Float32Array.from({ length: dim }, () => Math.random() - 0.5)));
const photoVectors = random(photos);
const tagVectors = random(tagCount);
// Each tag's alternatives are its group's other members (one-word changes) and the 4 generic texts.
const generic = random(4);
const alternatives: TagAlternatives = { vectors: [...tagVectors, ...generic], of: [] };
let next = 0;
for (const size of groupSizes) {
  const group = Array.from({ length: size }, () => next++).filter((j) => j < tagCount);
  for (const j of group) alternatives.of[j] = [...group.filter((k) => k !== j), ...generic.map((_, g) => tagCount + g)].map((index) => ({ index, allowance: 0 }));
}

const started = performance.now();
const scores = scoreTags(photoVectors, tagVectors, alternatives, { gap: random(1)[0]!, logitScale: 100 });
const scored = performance.now();
const accepted = acceptTags(scores);
const done = performance.now();
const mb = (process.memoryUsage().rss / 1e6).toFixed(0);
console.log(`${photos} photos x ${tagCount} tags: score ${((scored - started) / 1000).toFixed(2)} s, accept ${((done - scored) / 1000).toFixed(2)} s, ${accepted.length} tags, RSS ${mb} MB`);

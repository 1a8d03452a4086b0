import { describe, expect, it } from 'vitest';
import { candidatePairs } from '../../app/duplicates/candidate-pairs.js';
import { syntheticCatalog } from '../helpers/synthetic-vectors.js';

describe('duplicate candidates by cells', () => {
  const synthetic = syntheticCatalog(3000, 64, 11, 0.05);
  const matrix = { ids: Array.from({ length: 3000 }, (_, i) => i + 1), dim: synthetic.dim, data: synthetic.data };
  const keys = (pairs: { a: number; b: number }[]) => new Set(pairs.map((p) => `${p.a}:${p.b}`));

  it('finds the pairs the exact all-pairs scan finds, with the same cosines', async () => {
    const exact = await candidatePairs(matrix, { k: 12, minCosine: 0.75, exactBelow: Infinity });
    const cells = await candidatePairs(matrix, { k: 12, minCosine: 0.75, exactBelow: 0 });
    const exactKeys = keys(exact);
    const found = cells.filter((p) => exactKeys.has(`${p.a}:${p.b}`)).length;
    console.log(`candidate pairs: exact ${exact.length}, by cells ${cells.length}, shared ${found}`);
    // The planted copies (and copies of copies) are all there is above the floor.
    expect(exact.length).toBeGreaterThanOrEqual(synthetic.copies.length);
    expect(found / exact.length).toBeGreaterThanOrEqual(0.97);
    for (const p of cells) expect(p.cosine).toBeGreaterThanOrEqual(0.75);
    const byKey = new Map(exact.map((p) => [`${p.a}:${p.b}`, p.cosine]));
    for (const p of cells) if (byKey.has(`${p.a}:${p.b}`)) expect(p.cosine).toBeCloseTo(byKey.get(`${p.a}:${p.b}`)!, 5);
  });

  it('the exact scan returns every planted copy, each pair once with the smaller id first', async () => {
    const exact = await candidatePairs(matrix, { k: 12, minCosine: 0.75, exactBelow: Infinity });
    const exactKeys = keys(exact);
    expect(exactKeys.size).toBe(exact.length);
    for (const [copy, original] of synthetic.copies) expect(exactKeys.has(`${original + 1}:${copy + 1}`)).toBe(true);
  });

  it('keeps a pair only when one side has the other among its k nearest', async () => {
    // Points on a circle at 0°, 1°, 3°, 6°, 10°, 15°: with k = 1 each photo's nearest is its left neighbour
    // (the first's is the second), so exactly the five consecutive pairs remain.
    const degrees = [0, 1, 3, 6, 10, 15];
    const data = Float32Array.from(degrees.flatMap((d) => [Math.cos((d * Math.PI) / 180), Math.sin((d * Math.PI) / 180)]));
    const pairs = await candidatePairs({ ids: [1, 2, 3, 4, 5, 6], dim: 2, data }, { k: 1, minCosine: 0.5 });
    expect([...keys(pairs)].sort()).toEqual(['1:2', '2:3', '3:4', '4:5', '5:6']);
  });
});

import { describe, expect, it } from 'vitest';
import { SerialBatches } from '../../app/util/serial-batches.js';

describe('SerialBatches', () => {
  it('runs one job at a time over what arrived meanwhile, in order, and drain waits for all of it', async () => {
    const seen: number[][] = [];
    let active = 0;
    let most = 0;
    const batches = new SerialBatches<number>(async (items) => {
      active++;
      most = Math.max(most, active);
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(items);
      active--;
    });
    [1, 2, 3].forEach((i) => batches.add(i)); // one synchronous burst: one job
    await new Promise((resolve) => setTimeout(resolve, 1));
    [4, 5].forEach((i) => batches.add(i)); // arrives while the first job runs: the next job
    await batches.drain();
    expect(seen).toEqual([[1, 2, 3], [4, 5]]);
    expect(most).toBe(1);
    batches.add(6); // usable again after a drain
    await batches.drain();
    expect(seen.at(-1)).toEqual([6]);
  });

  it("rethrows the first job's error from drain and runs no job after it", async () => {
    const seen: number[] = [];
    const batches = new SerialBatches<number>(async (items) => {
      if (items.includes(2)) throw new Error('cannot read 2');
      seen.push(...items);
    });
    batches.add(1);
    await new Promise((resolve) => setTimeout(resolve, 1));
    batches.add(2);
    await new Promise((resolve) => setTimeout(resolve, 1));
    batches.add(3);
    await expect(batches.drain()).rejects.toThrow('cannot read 2');
    expect(seen).toEqual([1]);
  });
});

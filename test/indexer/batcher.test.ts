import { describe, expect, it } from 'vitest';
import { Batcher } from '../../app/indexer/batcher.js';

/** A promise with its resolve and reject at hand. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('Batcher (see [Note: the next batch already queued])', () => {
  it('starts the next batch while the one before it is still running, and finishes batches in order', async () => {
    const log: string[] = [];
    const runs: ReturnType<typeof deferred<string>>[] = [];
    const batcher = new Batcher<number, string>(
      2,
      (batch) => {
        log.push(`start ${batch.join(',')}`);
        const d = deferred<string>();
        runs.push(d);
        return d.promise;
      },
      (batch, started) => {
        log.push(`finish ${batch.join(',')} ${started.ok ? started.value : 'failed'}`);
      },
    );
    await batcher.add(1);
    await batcher.add(2); // batch 1,2 starts; nothing is waiting behind it, so add returns
    const third = batcher.add(3);
    await third;
    const fourth = batcher.add(4); // batch 3,4 full: it starts at once, and add waits for batch 1,2 to finish
    await tick();
    expect(log).toEqual(['start 1,2', 'start 3,4']);
    let fourthReturned = false;
    void fourth.then(() => (fourthReturned = true));
    // The second batch's inference ends first: its finish still waits for the first batch's.
    runs[1]!.resolve('b');
    await tick();
    expect(log).toEqual(['start 1,2', 'start 3,4']);
    expect(fourthReturned).toBe(false);
    runs[0]!.resolve('a');
    await fourth;
    await batcher.flush();
    expect(log).toEqual(['start 1,2', 'start 3,4', 'finish 1,2 a', 'finish 3,4 b']);
  });

  it('never has more than two batches started and not finished (back-pressure)', async () => {
    let unfinished = 0;
    let most = 0;
    const batcher = new Batcher<number, void>(
      1,
      async () => {
        unfinished++;
        most = Math.max(most, unfinished);
        await new Promise((r) => setTimeout(r, 2));
      },
      () => {
        unfinished--;
      },
    );
    for (let i = 0; i < 10; i++) await batcher.add(i);
    await batcher.flush();
    expect(unfinished).toBe(0);
    expect(most).toBe(2);
  });

  it('hands a failed start to finish as an error, thrown or rejected, and goes on with the next batch', async () => {
    const seen: string[] = [];
    const batcher = new Batcher<string, string>(
      1,
      (batch) => {
        if (batch[0] === 'throws') throw new Error('thrown');
        if (batch[0] === 'rejects') return Promise.reject(new Error('rejected'));
        return Promise.resolve(batch[0]!);
      },
      (batch, started) => {
        seen.push(started.ok ? started.value : `${batch[0]}: ${(started.error as Error).message}`);
      },
    );
    for (const item of ['a', 'throws', 'rejects', 'b']) await batcher.add(item);
    await batcher.flush();
    expect(seen).toEqual(['a', 'throws: thrown', 'rejects: rejected', 'b']);
  });
});

import type { IndexingState } from '../api/contract.js';
import type { IndexProgress } from '../indexer/index-report.js';

/** Seconds of history the rate is measured over: long enough to smooth batches, short enough to follow change. */
const RATE_WINDOW_MS = 10_000;

/**
 * Turns the indexer's running counts into what a progress bar shows: files found, finished and failed,
 * photos per second over the last few seconds, and an ETA for the files found so far.
 */
export class IndexingProgress {
  private samples: { at: number; done: number }[] = [];
  private state: IndexingState = idleState();

  constructor(private readonly now: () => number = () => Date.now()) {}

  get current(): IndexingState {
    return this.state;
  }

  start(): IndexingState {
    this.samples = [{ at: this.now(), done: 0 }];
    this.state = { ...idleState(), state: 'scanning' };
    return this.state;
  }

  update(p: IndexProgress): IndexingState {
    const done = p.indexed + p.unchanged;
    const at = this.now();
    this.samples.push({ at, done });
    while (this.samples.length > 2 && at - this.samples[0]!.at > RATE_WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    const seconds = (at - first.at) / 1000;
    const rate = seconds > 0.5 ? (done - first.done) / seconds : 0;
    const left = Math.max(0, p.seen - done - p.failed);
    this.state = {
      state: this.state.state === 'paused' ? 'paused' : done + p.failed > 0 ? 'indexing' : 'scanning',
      queued: p.seen,
      done,
      failed: p.failed,
      rate: Math.round(rate * 10) / 10,
      etaSeconds: rate > 0 ? Math.ceil(left / rate) : null,
      current: p.current ?? this.state.current,
    };
    return this.state;
  }

  setPaused(paused: boolean): IndexingState {
    if (this.state.state === 'idle') return this.state;
    this.state = { ...this.state, state: paused ? 'paused' : 'indexing' };
    return this.state;
  }

  finish(): IndexingState {
    this.state = idleState();
    return this.state;
  }
}

export function idleState(): IndexingState {
  return { state: 'idle', queued: 0, done: 0, failed: 0, rate: 0, etaSeconds: null, current: null };
}

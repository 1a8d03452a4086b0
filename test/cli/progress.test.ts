import { describe, expect, it } from 'vitest';
import { Progress, type ProgressMode } from '../../app/cli/progress.js';
import { etaSeconds, formatDuration, formatRate, RateWindow } from '../../app/cli/progress-format.js';

/** A stderr stand-in: says whether it is a terminal, and keeps what was written. */
function fakeStream(isTTY: boolean, columns = 80) {
  const writes: string[] = [];
  return { isTTY, columns, writes, write: (chunk: string) => writes.push(chunk), text: () => writes.join('') };
}

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

function reporter(isTTY: boolean, options: { columns?: number; mode?: ProgressMode } = {}) {
  const stream = fakeStream(isTTY, options.columns);
  const time = clock();
  const progress = new Progress({ stream, now: time.now, ...(options.mode ? { mode: options.mode } : {}) });
  return { stream, time, progress };
}

/** What a terminal shows: the text after the last carriage return of each line, without the erase code. */
const screenLines = (text: string) => text.split('\n').map((line) => line.split('\r').at(-1)!.replace('\x1b[K', ''));

describe('progress formatting', () => {
  it('writes durations as m:ss or h:mm:ss, and an unknown one as --:--', () => {
    expect([formatDuration(null), formatDuration(0), formatDuration(12), formatDuration(725), formatDuration(10_930)]).toEqual(['--:--', '0:00', '0:12', '12:05', '3:02:10']);
    expect([formatRate(27.34, 'items'), formatRate(1234.5, 'items'), formatRate(null, 'items'), formatRate(3 * 1024 * 1024, 'bytes')]).toEqual(['27.3/s', '1235/s', '--/s', '3.0 MB/s']);
  });

  it('measures the rate from the first completion on, over a moving window', () => {
    const w = new RateWindow();
    w.add(0, 0);
    // Five seconds of start-up (the model loads inside the first batch), then 10 a second.
    for (let t = 5_000, done = 10; t <= 8_000; t += 1_000, done += 10) w.add(t, done);
    expect(w.perSecond()).toBeCloseTo(10, 5); // over the whole run it would be 40 / 8 s = 5
    expect(etaSeconds(40, 100, w.perSecond())).toBeCloseTo(6, 5);
    // The pace goes up to 100 a second: after a window's length the old pace is forgotten.
    let done = 40;
    for (let t = 8_100; t <= 20_000; t += 100) w.add(t, (done += 10));
    expect(w.perSecond()).toBeCloseTo(100, 0);
    expect([etaSeconds(5, undefined, 10), etaSeconds(5, 10, null), etaSeconds(10, 10, null)]).toEqual([null, null, 0]);
  });

  it('has no rate until completions span half a second', () => {
    const w = new RateWindow();
    w.add(0, 0);
    w.add(10, 100);
    w.add(20, 200);
    expect(w.perSecond()).toBeNull();
  });
});

describe('Progress on a terminal', () => {
  it('redraws one line, label [bar] done/total rate ETA, at most 10 times a second, and ends it with a newline', () => {
    const { stream, time, progress } = reporter(true);
    progress.start('indexing');
    progress.update(0, 456);
    for (let done = 1; done <= 123; done++) {
      time.advance(10); // 100 a second: 123 updates over 1.23 s
      progress.update(done, 456);
    }
    const draws = stream.writes.filter((w) => w.startsWith('\r')).length;
    expect(draws).toBeLessThanOrEqual(2 + 13); // the label, the first update, then ≤ 10 per second
    expect(stream.text()).not.toContain('\n');
    progress.end();
    const [line, after] = screenLines(stream.text());
    expect(line).toMatch(/^indexing \[█+░+\] 123\/456  100\/s  ETA 0:04$/);
    expect(line!.length).toBeLessThan(80);
    expect(after).toBe('');
  });

  it('fits the line to the terminal width and shows an unknown total and ETA plainly', () => {
    for (const [columns, shown] of [
      [50, /^comparing photos \[░{9}\] 3\/\?  --\/s  ETA --:--$/],
      [40, /^comparing photos 3\/\?  --\/s  ETA --:--$/], // no room for a bar
      [30, /^comparing photos 3\/\?$/], // nor for rate and ETA
    ] as const) {
      const { stream, progress } = reporter(true, { columns });
      progress.start('comparing photos');
      progress.update(3);
      progress.end();
      const [line] = screenLines(stream.text());
      expect(line!.length).toBeLessThanOrEqual(columns - 1);
      expect(line).toMatch(shown);
    }
  });

  it('shows bytes for a download and keeps each finished stage on its own line', () => {
    const { stream, time, progress } = reporter(true, { columns: 100 });
    progress.start('downloading vision_model.onnx (1/2)', 'bytes');
    progress.update(0, 10 * 1024 * 1024);
    time.advance(1_000);
    progress.update(2 * 1024 * 1024, 10 * 1024 * 1024);
    time.advance(1_000);
    progress.update(4 * 1024 * 1024, 10 * 1024 * 1024);
    progress.step('verifying');
    progress.end();
    expect(screenLines(stream.text())).toEqual([expect.stringMatching(/^downloading vision_model\.onnx \(1\/2\) \[█+░+\] 4\.0 MB\/10 MB  2\.0 MB\/s  ETA 0:03$/), 'verifying', '']);
  });
});

describe('Progress in plain lines (not a terminal, or --json)', () => {
  it('prints the first line, one per tenth, and the last, with done/total, never a carriage return', () => {
    const { stream, time, progress } = reporter(false);
    progress.start('indexing');
    for (let done = 0; done <= 1000; done++) {
      time.advance(10);
      progress.update(done, 1000);
    }
    progress.end();
    const lines = stream.text().trimEnd().split('\n');
    expect(stream.text()).not.toContain('\r');
    expect(lines).toHaveLength(11); // 0 %, then 10 % … 100 %
    expect(lines[0]).toBe('indexing: 0/1000 (0%)  --/s  ETA --:--');
    expect(lines[5]).toBe('indexing: 500/1000 (50%)  100/s  ETA 0:05');
    expect(lines.at(-1)).toBe('indexing: 1000/1000 (100%)  100/s  ETA 0:00');
  });

  it('prints every 5 s when the job moves slowly, and a final line when the last one is stale', () => {
    const { stream, time, progress } = reporter(false);
    progress.start('embedding with the new model');
    for (let done = 0; done <= 30; done++) {
      progress.update(done, 1000);
      time.advance(1_000);
    }
    progress.end();
    const lines = stream.text().trimEnd().split('\n');
    // 0 at 0 s, then 5, 10, … 30 at 5 s intervals; the last update (30) was printed, so no extra line.
    expect(lines.map((l) => l.split(' ')[5])).toEqual(['0/1000', '5/1000', '10/1000', '15/1000', '20/1000', '25/1000', '30/1000']);
  });

  it('prints plain lines on a terminal too when asked (--json), and nothing when off', () => {
    const json = reporter(true, { mode: 'lines' });
    json.progress.start('indexing');
    json.progress.update(1, 1);
    json.progress.end();
    expect(json.stream.text()).toBe('indexing: 1/1 (100%)  --/s  ETA 0:00\n');

    const off = reporter(true, { mode: 'off' });
    off.progress.start('indexing');
    off.progress.update(1, 1);
    off.progress.step('verifying');
    off.progress.end();
    expect(off.stream.writes).toEqual([]);
  });
});

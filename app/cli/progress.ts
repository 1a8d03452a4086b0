import { barLine, plainLine, RateWindow, type ProgressState, type ProgressUnit } from './progress-format.js';

/** Where progress goes: process.stderr, or a fake one in tests. */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** `bar`: one line redrawn in place (a terminal); `lines`: a line now and then (logs, pipes, `--json`). */
export type ProgressMode = 'bar' | 'lines' | 'off';

export interface ProgressOptions {
  stream?: ProgressStream;
  /** Default: a bar when the stream is a terminal, else lines. */
  mode?: ProgressMode;
  /** Milliseconds; tests drive a fake clock. */
  now?: () => number;
}

/** At most 10 redraws a second: a terminal that redraws on every unchanged file slows the job down. */
const REDRAW_MS = 100;
/** Plain lines: one per tenth of the job, and one at least this often while something finishes. */
const LINE_EVERY_MS = 5_000;

interface Stage extends ProgressState {
  window: RateWindow;
  updated: boolean;
  /** Plain lines: the tenth of the job last printed (-1: no line with a total yet), when, and at what count. */
  printedTenth: number;
  printedAt: number;
  printedDone: number | undefined;
}

/**
 * [Note: CLI progress]
 * Every long CLI job (index, autotag, dupes, model install and use) reports through one Progress on stderr,
 * never stdout: stdout is the command's result, and with `--json` one JSON document. On a terminal a stage
 * is one line redrawn in place, `label [████░░░░] 123/456  27.3/s  ETA 0:12`, at most 10 times a second,
 * finished with a newline when the stage ends. Anywhere else (a log, a pipe) and always with `--json`
 * (scripts read stderr too: `model use --json` has always printed its progress there) it prints plain lines:
 * the first, one per tenth of the job or every 5 s, and the last. Rate and ETA come from a moving window (see
 * RateWindow); an unknown total or rate shows as `?` and `--:--`. Phases without a count are a line each.
 */
export class Progress {
  private readonly stream: ProgressStream;
  private readonly mode: ProgressMode;
  private readonly now: () => number;
  private stage: Stage | undefined;
  /** A terminal line without its newline yet. */
  private open = false;
  private drawnAt = Number.NEGATIVE_INFINITY;
  private trailing: NodeJS.Timeout | undefined;

  constructor(options: ProgressOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.mode = options.mode ?? (this.stream.isTTY ? 'bar' : 'lines');
    this.now = options.now ?? (() => performance.now());
  }

  /** Starts a counted stage (ending the one before): a fresh label, unit and rate window. */
  start(label: string, unit: ProgressUnit = 'items'): void {
    this.finishStage();
    const stage: Stage = { label, unit, done: 0, total: undefined, rate: null, window: new RateWindow(), updated: false, printedTenth: -1, printedAt: 0, printedDone: undefined };
    this.stage = stage;
    if (this.mode === 'bar') this.draw(stage); // the label at once, before anything is counted
  }

  /** A phase with nothing to count ("running the self-check"): one line. */
  step(label: string): void {
    this.finishStage();
    if (this.mode === 'bar') {
      this.stream.write(`\r${label}\x1b[K`);
      this.open = true;
    } else if (this.mode === 'lines') this.stream.write(`${label}\n`);
  }

  /** The current stage's count; `total` once known (it may arrive after the first updates). */
  update(done: number, total?: number, detail?: string): void {
    const stage = this.stage;
    if (!stage) return;
    const t = this.now();
    stage.done = done;
    if (total !== undefined) stage.total = total;
    if (detail !== undefined) stage.detail = detail;
    stage.updated = true;
    stage.window.add(t, done);
    stage.rate = stage.window.perSecond();
    if (this.mode === 'bar') {
      if (t - this.drawnAt >= REDRAW_MS) this.draw(stage);
      else this.trailing ??= setTimeout(() => this.stage === stage && this.draw(stage), REDRAW_MS).unref();
    } else if (this.mode === 'lines') {
      const tenth = stage.total ? Math.floor((Math.min(done, stage.total) / stage.total) * 10) : stage.total === 0 ? 10 : -1;
      const first = stage.printedDone === undefined;
      const late = t - stage.printedAt >= LINE_EVERY_MS && done !== stage.printedDone;
      if (first || tenth > stage.printedTenth || late) this.printLine(stage, t, tenth);
    }
  }

  /** Ends the current stage: its final state stays on screen (terminal) or is the last line (plain). */
  end(): void {
    this.finishStage();
  }

  private finishStage(): void {
    clearTimeout(this.trailing);
    this.trailing = undefined;
    const stage = this.stage;
    this.stage = undefined;
    if (stage && this.mode === 'bar') this.draw(stage);
    if (stage && this.mode === 'lines' && stage.updated && stage.printedDone !== stage.done) this.printLine(stage, this.now(), stage.printedTenth);
    if (this.open) {
      this.stream.write('\n');
      this.open = false;
    }
  }

  private draw(stage: Stage): void {
    clearTimeout(this.trailing);
    this.trailing = undefined;
    this.drawnAt = this.now();
    this.stream.write(`\r${barLine(stage, this.stream.columns ?? 80)}\x1b[K`);
    this.open = true;
  }

  private printLine(stage: Stage, t: number, tenth: number): void {
    this.stream.write(`${plainLine(stage)}\n`);
    stage.printedAt = t;
    stage.printedDone = stage.done;
    stage.printedTenth = Math.max(stage.printedTenth, tenth);
  }
}

/** The CLI's reporter: on stderr, plain lines with `--json` (see [Note: CLI progress]). */
export function cliProgress(opts: { json: boolean }): Progress {
  return new Progress(opts.json ? { mode: 'lines' } : {});
}

import { formatBytes } from '../models/download.js';

/** What a job counts: photos, prompts… (shown as plain numbers) or bytes (shown as KB, MB…). */
export type ProgressUnit = 'items' | 'bytes';

/** Rate is measured over about this long, so it follows the current pace, not the run's average. */
const RATE_WINDOW_MS = 10_000;
/** Completions closer together than this are merged into one sample (thousands of unchanged files a second). */
const SAMPLE_EVERY_MS = 100;
/** No rate until completions span this long: two batches a millisecond apart say nothing about the pace. */
const MIN_SPAN_MS = 500;

/**
 * Done per second over a moving window. The window starts at the first completion, never before: the time
 * until then (opening the model, reading the catalog, the first batch's session start) is start-up, not
 * pace, and would otherwise hold the rate down and the ETA up for the whole first window.
 */
export class RateWindow {
  private initial: number | undefined;
  private samples: { t: number; done: number }[] = [];

  add(t: number, done: number): void {
    if (this.initial === undefined) {
      this.initial = done;
      return;
    }
    const last = this.samples.at(-1);
    if (done === (last?.done ?? this.initial)) return; // nothing finished since
    const beforeLast = this.samples.at(-2);
    if (last && beforeLast && t - beforeLast.t < SAMPLE_EVERY_MS) this.samples[this.samples.length - 1] = { t, done };
    else this.samples.push({ t, done });
    // Drop old samples while what is left still spans the window.
    while (this.samples.length > 2 && t - this.samples[1]!.t >= RATE_WINDOW_MS) this.samples.shift();
  }

  /** Per second over the window; null until completions span long enough to tell. */
  perSecond(): number | null {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.t - first.t < MIN_SPAN_MS) return null;
    return (last.done - first.done) / ((last.t - first.t) / 1000);
  }
}

/** Seconds left at `rate`; null when the total or the rate is unknown. */
export function etaSeconds(done: number, total: number | undefined, rate: number | null): number | null {
  if (total === undefined) return null;
  if (done >= total) return 0;
  return rate && rate > 0 ? (total - done) / rate : null;
}

/** `0:12`, `12:05`, `3:02:10`; `--:--` when unknown. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--:--';
  const s = Math.ceil(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

export function formatAmount(n: number, unit: ProgressUnit): string {
  return unit === 'bytes' ? formatBytes(n) : String(n);
}

export function formatRate(rate: number | null, unit: ProgressUnit): string {
  if (rate === null) return '--/s';
  if (unit === 'bytes') return `${formatBytes(Math.round(rate))}/s`;
  return `${rate < 100 ? rate.toFixed(1) : Math.round(rate)}/s`;
}

export interface ProgressState {
  label: string;
  unit: ProgressUnit;
  done: number;
  total: number | undefined;
  rate: number | null;
  /** Appended as is (", 2 failed"). */
  detail?: string;
}

function counts(s: ProgressState): string {
  // A job may finish a little more than it counted up front (a RAW whose JPEG failed is indexed on its own).
  const total = s.total === undefined ? '?' : formatAmount(Math.max(s.total, s.done), s.unit);
  return `${formatAmount(s.done, s.unit)}/${total}`;
}

function numbers(s: ProgressState): string {
  return `${formatRate(s.rate, s.unit)}  ETA ${formatDuration(etaSeconds(s.done, s.total, s.rate))}${s.detail ?? ''}`;
}

/** `label [████░░░░] 123/456  27.3/s  ETA 0:12`, fitted to `columns` (a wrapped line could not be redrawn). */
export function barLine(s: ProgressState, columns: number): string {
  const tail = ` ${counts(s)}  ${numbers(s)}`;
  const width = Math.min(30, columns - 1 - s.label.length - 3 - tail.length);
  const fraction = s.total ? Math.min(1, s.done / s.total) : s.total === 0 ? 1 : 0;
  const filled = Math.round(fraction * Math.max(0, width));
  // Narrower terminals lose the bar, then rate and ETA; the count stays.
  const fits = [width >= 5 ? `${s.label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}]${tail}` : undefined, `${s.label}${tail}`, `${s.label} ${counts(s)}`];
  const line = fits.find((l) => l !== undefined && l.length <= columns - 1) ?? fits.at(-1)!;
  return line.slice(0, Math.max(0, columns - 1));
}

/** `label: 123/456 (27%)  27.3/s  ETA 0:12`, for logs and pipes. */
export function plainLine(s: ProgressState): string {
  const percent = s.total ? ` (${Math.floor((Math.min(s.done, s.total) / s.total) * 100)}%)` : '';
  return `${s.label}: ${counts(s)}${percent}  ${numbers(s)}`;
}

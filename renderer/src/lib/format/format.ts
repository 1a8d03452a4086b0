/** Display strings for dates, sizes and exposure values: one place, so every screen says things the same way. */

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', year: 'numeric', month: 'long', day: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A local calendar day key (YYYY-MM-DD), for grouping the grid by day. */
export function dayKey(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function formatDay(ms: number): string {
  return dayFormat.format(new Date(ms));
}

export function formatDateTime(ms: number | null): string {
  return ms === null ? '—' : dateTimeFormat.format(new Date(ms));
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** 1/250 s for short exposures, 2.5 s for long ones. */
export function formatShutter(seconds: number): string {
  if (seconds >= 1) return `${Math.round(seconds * 10) / 10} s`;
  return `1/${Math.round(1 / seconds)} s`;
}

export function formatExposure(p: { aperture: number | null; exposureTime: number | null; iso: number | null; focalLength: number | null }): string | null {
  const parts = [
    p.aperture !== null ? `ƒ/${p.aperture}` : null,
    p.exposureTime !== null ? formatShutter(p.exposureTime) : null,
    p.iso !== null ? `ISO ${p.iso}` : null,
    p.focalLength !== null ? `${Math.round(p.focalLength)} mm` : null,
  ].filter((x): x is string => x !== null);
  return parts.length > 0 ? parts.join(' · ') : null;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** `YYYY-MM-DD` of an <input type=date> ↔ ms at the start (or end) of that local day. */
export function dateInputToMs(value: string, endOfDay: boolean): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  return endOfDay ? new Date(y, m - 1, d, 23, 59, 59, 999).getTime() : new Date(y, m - 1, d).getTime();
}

/** "★★★ · picked · red label", or null for a photo without marks. */
export function describeMarks(m: { rating: number | null; flag: 'pick' | 'reject' | null; label: string | null }): string | null {
  const parts = [m.rating ? '★'.repeat(m.rating) : null, m.flag === 'pick' ? 'picked' : m.flag === 'reject' ? 'rejected' : null, m.label ? `${m.label} label` : null].filter(
    (x): x is string => x !== null,
  );
  return parts.length > 0 ? parts.join(' · ') : null;
}

/**
 * [Note: grid virtualization] The library grid can hold 100 000 photos, so it never renders them all: this
 * module turns (photo count, group boundaries, width) into rows with a top offset, and a scroll position into
 * the few rows on screen. Pure functions, no DOM: components measure, this computes.
 */

export interface GridMetrics {
  columns: number;
  cellSize: number;
  gap: number;
  headerHeight: number;
}

export type GridRow =
  | { kind: 'header'; key: string; top: number; height: number; label: string }
  | { kind: 'photos'; key: string; top: number; height: number; start: number; end: number };

export interface GridLayout {
  rows: GridRow[];
  /** Full scroll height, including an estimate for photos not loaded yet. */
  height: number;
}

/** A run of consecutive items sharing a label (a day, a folder); one group without a label means no headers. */
export interface GridGroup {
  label: string | null;
  start: number;
  end: number;
}

export function metricsFor(width: number, targetCell = 180, gap = 4, headerHeight = 44): GridMetrics {
  const usable = Math.max(0, width);
  const columns = Math.max(1, Math.floor((usable + gap) / (targetCell + gap)));
  const cellSize = Math.max(40, Math.floor((usable - gap * (columns - 1)) / columns));
  return { columns, cellSize, gap, headerHeight };
}

/** Consecutive items with the same key form one group. */
export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): GridGroup[] {
  const groups: GridGroup[] = [];
  let current: GridGroup | undefined;
  for (let i = 0; i < items.length; i++) {
    const label = keyOf(items[i]!);
    if (current && current.label === label) current.end = i + 1;
    else groups.push((current = { label, start: i, end: i + 1 }));
  }
  return groups;
}

/**
 * Rows for the loaded items, then one estimated block for `pending` items not loaded yet (keyset pages arrive
 * in order, so the unknown tail is always at the end).
 */
export function layoutGrid(groups: readonly GridGroup[], pending: number, m: GridMetrics): GridLayout {
  const rows: GridRow[] = [];
  const rowHeight = m.cellSize + m.gap;
  let top = 0;
  for (const group of groups) {
    if (group.label !== null) {
      rows.push({ kind: 'header', key: `h${group.start}`, top, height: m.headerHeight, label: group.label });
      top += m.headerHeight;
    }
    for (let start = group.start; start < group.end; start += m.columns) {
      rows.push({ kind: 'photos', key: `r${start}`, top, height: rowHeight, start, end: Math.min(group.end, start + m.columns) });
      top += rowHeight;
    }
  }
  return { rows, height: top + Math.ceil(Math.max(0, pending) / m.columns) * rowHeight };
}

/** Index range [first, last) of rows overlapping the viewport, widened by `overscan` pixels each side. */
export function visibleRows(layout: GridLayout, scrollTop: number, viewportHeight: number, overscan = 400): { first: number; last: number } {
  const from = scrollTop - overscan;
  const to = scrollTop + viewportHeight + overscan;
  const first = firstRowEndingAfter(layout.rows, from);
  let last = first;
  while (last < layout.rows.length && layout.rows[last]!.top < to) last++;
  return { first, last };
}

/** Binary search: rows are sorted by top and do not overlap. */
function firstRowEndingAfter(rows: readonly GridRow[], y: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const row = rows[mid]!;
    if (row.top + row.height <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * How many not-yet-loaded photos the viewport (plus a lookahead) reaches into: 0 = nothing to fetch. A jump far
 * down the scrollbar asks for many at once, so the pages in between arrive in a few large requests.
 */
export function itemsWanted(layout: GridLayout, m: GridMetrics, scrollTop: number, viewportHeight: number, lookahead = 1500): number {
  const last = layout.rows.at(-1);
  const loadedBottom = last ? last.top + last.height : 0;
  const reach = Math.min(layout.height, scrollTop + viewportHeight + lookahead);
  if (reach < loadedBottom || layout.height <= loadedBottom) return 0;
  return Math.max(1, Math.ceil((reach - loadedBottom) / (m.cellSize + m.gap)) * m.columns);
}

/**
 * Arrow-key movement over the grid's layout (see [Note: grid virtualization]): rows of different lengths (a
 * day's last row is short), so ↑/↓ keep the column where the row above or below has one, as a file manager does.
 * Pure functions over the layout rows, like geometry.ts.
 */
import type { GridRow } from './geometry.js';

type PhotoRow = Extract<GridRow, { kind: 'photos' }>;

/** The photo row holding item `index` (a scan: a few thousand rows at most, once per key press). */
export function rowOf(rows: readonly GridRow[], index: number): PhotoRow | undefined {
  return rows.find((row): row is PhotoRow => row.kind === 'photos' && index >= row.start && index < row.end);
}

/** Where a key moves the focus from `index`; null for keys that do not move it. */
export function moveTarget(rows: readonly GridRow[], index: number, key: string, count: number): number | null {
  if (count === 0) return null;
  if (key === 'ArrowLeft') return Math.max(0, index - 1);
  if (key === 'ArrowRight') return Math.min(count - 1, index + 1);
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  if (key !== 'ArrowUp' && key !== 'ArrowDown') return null;
  const row = rowOf(rows, index);
  if (!row) return index;
  const at = rows.indexOf(row);
  const step = key === 'ArrowUp' ? -1 : 1;
  for (let r = at + step; r >= 0 && r < rows.length; r += step) {
    const other = rows[r]!;
    if (other.kind === 'photos') return Math.min(other.end - 1, other.start + (index - row.start));
  }
  return index;
}

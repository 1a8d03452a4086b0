import { describe, expect, it } from 'vitest';
import { groupBy, itemsWanted, layoutGrid, metricsFor, visibleRows, type GridGroup } from '../../renderer/src/lib/grid/geometry.js';

const m = { columns: 4, cellSize: 100, gap: 4, headerHeight: 40 };
const ROW = 104;

describe('grid geometry', () => {
  it('fits as many target-size columns as the width allows, at least one', () => {
    expect(metricsFor(1000, 180, 4).columns).toBe(5);
    expect(metricsFor(1000, 180, 4).cellSize).toBe(196);
    expect(metricsFor(100, 180, 4).columns).toBe(1);
    expect(metricsFor(0, 180, 4).cellSize).toBeGreaterThan(0);
  });

  it('groups consecutive items by key', () => {
    expect(groupBy(['a', 'a', 'b', 'a'], (x) => x)).toEqual([
      { label: 'a', start: 0, end: 2 },
      { label: 'b', start: 2, end: 3 },
      { label: 'a', start: 3, end: 4 },
    ]);
    expect(groupBy([], (x: string) => x)).toEqual([]);
  });

  it('lays out a header and rows per group, each group starting on a new row', () => {
    const groups: GridGroup[] = [
      { label: 'Mon', start: 0, end: 5 },
      { label: 'Sun', start: 5, end: 6 },
    ];
    const layout = layoutGrid(groups, 0, m);
    expect(layout.rows.map((r) => (r.kind === 'header' ? `h:${r.label}@${r.top}` : `${r.start}-${r.end}@${r.top}`))).toEqual([
      'h:Mon@0',
      `0-4@40`,
      `4-5@${40 + ROW}`,
      `h:Sun@${40 + 2 * ROW}`,
      `5-6@${80 + 2 * ROW}`,
    ]);
    expect(layout.height).toBe(80 + 3 * ROW);
  });

  it('reserves space for photos not loaded yet, and asks for them near the end', () => {
    const layout = layoutGrid([{ label: null, start: 0, end: 8 }], 10, m);
    expect(layout.height).toBe(2 * ROW + 3 * ROW);
    expect(itemsWanted(layout, m, 0, 100, 0)).toBe(0);
    // The viewport reaches 42 px into the reserved rows: one more row of photos.
    expect(itemsWanted(layout, m, 150, 100, 0)).toBe(4);
    // Jumped to the very end: everything up to there, at once.
    expect(itemsWanted(layout, m, 10_000, 100, 0)).toBe(12);
    expect(itemsWanted(layoutGrid([{ label: null, start: 0, end: 8 }], 0, m), m, 1000, 100)).toBe(0);
  });

  it('finds only the rows on screen among 100 000 photos', () => {
    const layout = layoutGrid([{ label: null, start: 0, end: 100_000 }], 0, m);
    expect(layout.rows.length).toBe(25_000);
    const { first, last } = visibleRows(layout, 1_000_000, 800, 0);
    expect(layout.rows[first]!.top).toBeLessThanOrEqual(1_000_000);
    expect(layout.rows[first]!.top + ROW).toBeGreaterThan(1_000_000);
    expect(last - first).toBe(Math.ceil(800 / ROW) + 1);
    expect(visibleRows(layout, 0, 800, 400)).toEqual({ first: 0, last: Math.ceil(1200 / ROW) });
  });
});

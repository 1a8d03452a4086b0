import { describe, expect, it } from 'vitest';
import { markActionForKey, marksAfter, resolveToggle } from '../../renderer/src/lib/culling/marks.js';
import { layoutGrid, type GridGroup } from '../../renderer/src/lib/grid/geometry.js';
import { moveTarget } from '../../renderer/src/lib/grid/navigation.js';

const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey', boolean>> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods });

describe('culling keys (Lightroom conventions)', () => {
  it('0-5 set the stars, P / X / U the flag, 6-9 the red, yellow, green and blue labels', () => {
    expect(markActionForKey(key('0'))).toEqual({ kind: 'rate', rating: 0 });
    expect(markActionForKey(key('5'))).toEqual({ kind: 'rate', rating: 5 });
    expect(markActionForKey(key('P'))).toEqual({ kind: 'flag', flag: 'pick' });
    expect(markActionForKey(key('x'))).toEqual({ kind: 'flag', flag: 'reject' });
    expect(markActionForKey(key('u'))).toEqual({ kind: 'flag', flag: 'none' });
    expect(['6', '7', '8', '9'].map((k) => markActionForKey(key(k)))).toEqual(['red', 'yellow', 'green', 'blue'].map((label) => ({ kind: 'label', label })));
  });

  it('leaves other keys and modified ones (Ctrl+P, Cmd+0) to the browser', () => {
    expect(markActionForKey(key('a'))).toBeNull();
    expect(markActionForKey(key('p', { ctrlKey: true }))).toBeNull();
    expect(markActionForKey(key('0', { metaKey: true }))).toBeNull();
    expect(markActionForKey(key('ArrowLeft'))).toBeNull();
  });

  it('a label key on photos that all carry the label takes it off; on a mixed selection it sets it', () => {
    const red = { rating: null, flag: null, label: 'red' as const };
    const none = { rating: null, flag: null, label: null };
    const six = { kind: 'label', label: 'red' } as const;
    expect(resolveToggle(six, [red, red])).toEqual({ kind: 'label', label: 'none' });
    expect(resolveToggle(six, [red, none])).toEqual(six);
    expect(resolveToggle({ kind: 'rate', rating: 3 }, [{ ...red, rating: 3 }])).toEqual({ kind: 'rate', rating: 3 });
    expect(marksAfter({ kind: 'label', label: 'none' })).toEqual({ label: null });
    expect(marksAfter({ kind: 'flag', flag: 'none' })).toEqual({ flag: null });
  });
});

describe('grid arrow keys', () => {
  const m = { columns: 4, cellSize: 100, gap: 4, headerHeight: 40 };
  // Two days: six photos (a full row and a row of two), then five.
  const groups: GridGroup[] = [
    { label: 'Mon', start: 0, end: 6 },
    { label: 'Sun', start: 6, end: 11 },
  ];
  const rows = layoutGrid(groups, 0, m).rows;

  it('←/→ step one photo, Home/End go to the ends, within the photos loaded', () => {
    expect(moveTarget(rows, 3, 'ArrowRight', 11)).toBe(4);
    expect(moveTarget(rows, 0, 'ArrowLeft', 11)).toBe(0);
    expect(moveTarget(rows, 10, 'ArrowRight', 11)).toBe(10);
    expect(moveTarget(rows, 5, 'End', 11)).toBe(10);
    expect(moveTarget(rows, 5, 'Home', 11)).toBe(0);
    expect(moveTarget(rows, 5, 'Enter', 11)).toBeNull();
  });

  it('↑/↓ keep the column across a short row and a day header, or take the row’s last photo', () => {
    expect(moveTarget(rows, 1, 'ArrowDown', 11)).toBe(5);
    // Column 3 has no photo in the short row: its last one.
    expect(moveTarget(rows, 3, 'ArrowDown', 11)).toBe(5);
    // From the short row over the "Sun" header to the next day's first row.
    expect(moveTarget(rows, 5, 'ArrowDown', 11)).toBe(7);
    expect(moveTarget(rows, 7, 'ArrowUp', 11)).toBe(5);
    expect(moveTarget(rows, 2, 'ArrowUp', 11)).toBe(2);
    expect(moveTarget(rows, 10, 'ArrowDown', 11)).toBe(10);
  });
});

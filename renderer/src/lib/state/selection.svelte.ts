import type { PhotoSummary } from '../../../../app/api/contract.js';

/** How a click or a key press means to change the selection. */
export interface SelectGesture {
  /** Shift: the range from the anchor to here. */
  range: boolean;
  /** Ctrl / Cmd: add or take out this one photo, keep the rest. */
  toggle: boolean;
}

/**
 * [Note: grid selection] The photos picked in the grid (or search results), and the keyboard focus. Both are
 * kept by photo id, not by position: the grid reloads its pages when the library changes (a rating, a new
 * photo), and a selection by index would then point at other photos. Positions are looked up in the list the
 * screen shows whenever a range is needed. The anchor is where a shift-range starts (the last plain or toggle
 * pick), as in every file manager.
 */
export class SelectionState {
  ids = $state.raw<ReadonlySet<number>>(new Set());
  /** The photo with the keyboard focus (the grid's roving tab stop); null: the first one. */
  focus = $state<number | null>(null);
  private anchor: number | null = null;

  readonly count = $derived(this.ids.size);

  has(id: number): boolean {
    return this.ids.has(id);
  }

  /** The selected photos in the order `list` shows them. */
  inOrder(list: readonly PhotoSummary[]): PhotoSummary[] {
    return list.filter((p) => this.ids.has(p.id));
  }

  /** A click (or Space) on the photo at `index` of `list`. */
  pick(list: readonly PhotoSummary[], index: number, gesture: SelectGesture): void {
    const photo = list[index];
    if (!photo) return;
    this.focus = photo.id;
    if (gesture.range) {
      const from = this.anchor === null ? -1 : list.findIndex((p) => p.id === this.anchor);
      const start = from < 0 ? index : Math.min(from, index);
      const end = from < 0 ? index : Math.max(from, index);
      const range = list.slice(start, end + 1).map((p) => p.id);
      // Ctrl+Shift adds the range to what was picked; Shift alone replaces it.
      this.ids = new Set(gesture.toggle ? [...this.ids, ...range] : range);
      if (from < 0) this.anchor = photo.id;
      return;
    }
    this.anchor = photo.id;
    if (gesture.toggle) {
      const next = new Set(this.ids);
      if (next.has(photo.id)) next.delete(photo.id);
      else next.add(photo.id);
      this.ids = next;
    } else {
      this.ids = new Set([photo.id]);
    }
  }

  /** Moves the keyboard focus to `index`; with Shift the selection follows as a range from the anchor. */
  moveFocus(list: readonly PhotoSummary[], index: number, extend: boolean): void {
    const clamped = Math.max(0, Math.min(list.length - 1, index));
    const photo = list[clamped];
    if (!photo) return;
    if (extend) this.pick(list, clamped, { range: true, toggle: false });
    else this.focus = photo.id;
  }

  selectAll(list: readonly PhotoSummary[]): void {
    this.ids = new Set(list.map((p) => p.id));
  }

  set(ids: Iterable<number>): void {
    this.ids = new Set(ids);
  }

  clear(): void {
    if (this.ids.size > 0) this.ids = new Set();
    this.anchor = null;
  }

  /** The focused photo's position in `list` (0 when it is not there). */
  focusIndex(list: readonly PhotoSummary[]): number {
    const at = this.focus === null ? -1 : list.findIndex((p) => p.id === this.focus);
    return at < 0 ? 0 : at;
  }
}

import type { ApiClient } from '../../../../app/api/client.js';
import { describeAction, marksAfter, resolveToggle, type MarkAction, type Marks } from '../culling/marks.js';

type Marked = Marks & { id: number };

/**
 * Stars, flags and colour labels set from the grid, the viewer or compare: one call for all the photos the
 * action is for, then every list on screen shows the new marks at once (`onApplied`), without waiting for the
 * grid to reload. Actions run one after another, and a toggle (a label key) is decided on the marks as the
 * previous action left them, not as they were when the key was pressed: pressing 6 twice quickly takes the
 * label off again.
 */
export class MarksState {
  error = $state<string | null>(null);
  /** What the last action did, in words ("3 photos: 4 stars"), for screen readers (a live region). */
  notice = $state<string | null>(null);
  working = $state(false);
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly api: ApiClient,
    /** The photos' marks as the screen shows them now. */
    private readonly current: (ids: readonly number[]) => Marked[],
    private readonly onApplied: (ids: ReadonlySet<number>, patch: Partial<Marks>) => void,
  ) {}

  apply(ids: readonly number[], requested: MarkAction): Promise<void> {
    if (ids.length === 0) return Promise.resolve();
    const run = this.chain.then(() => this.run([...ids], requested));
    this.chain = run.catch(() => {});
    return run;
  }

  private async run(ids: number[], requested: MarkAction): Promise<void> {
    const action = resolveToggle(requested, this.current(ids));
    this.working = true;
    try {
      const result =
        action.kind === 'rate'
          ? await this.api.call('photos.rate', { ids, rating: action.rating })
          : action.kind === 'flag'
            ? await this.api.call('photos.flag', { ids, flag: action.flag })
            : await this.api.call('photos.label', { ids, label: action.label });
      const failed = new Set(result.failed.map((f) => f.id));
      this.onApplied(new Set(ids.filter((id) => !failed.has(id))), marksAfter(action));
      this.notice = `${ids.length === 1 ? '1 photo' : `${ids.length} photos`}: ${describeAction(action)}`;
      this.error = result.failed.length > 0 ? `${result.failed.length} could not be marked: ${result.failed[0]!.error}` : null;
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.working = false;
    }
  }
}

/** A list with the new marks on the photos in `ids`; the same array when none of them is in it. */
export function patchMarks<T extends Marked>(list: T[], ids: ReadonlySet<number>, patch: Partial<Marks>): T[] {
  if (!list.some((p) => ids.has(p.id))) return list;
  return list.map((p) => (ids.has(p.id) ? { ...p, ...patch } : p));
}

/**
 * [Note: marks on stale pages] A mark is shown at once (patchMarks), and the change makes the core announce
 * `library.changed`, so the grid and the search reload. A page asked for *before* a later mark was set can arrive
 * *after* it and would put the old marks back on screen (a label key pressed twice would then not toggle).
 * Each list keeps the marks it set, numbered; a page stamped when it was asked for gets every mark set since
 * laid over it, and the marks it already reflects are forgotten.
 */
export class MarkOverrides {
  private seq = 0;
  private readonly entries = new Map<number, { seq: number; patch: Partial<Marks> }>();

  record(ids: ReadonlySet<number>, patch: Partial<Marks>): void {
    this.seq++;
    for (const id of ids) this.entries.set(id, { seq: this.seq, patch: { ...this.entries.get(id)?.patch, ...patch } });
  }

  /** Taken when a request is sent. */
  stamp(): number {
    return this.seq;
  }

  /** The list a request stamped `since` answered, with the marks set after it was sent. */
  apply<T extends Marked>(list: T[], since: number): T[] {
    for (const [id, entry] of this.entries) if (entry.seq <= since) this.entries.delete(id);
    if (this.entries.size === 0) return list;
    return list.map((p) => {
      const entry = this.entries.get(p.id);
      return entry ? { ...p, ...entry.patch } : p;
    });
  }
}

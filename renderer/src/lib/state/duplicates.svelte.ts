import type { ApiClient } from '../../../../app/api/client.js';
import type { DuplicateGroupView, Outputs } from '../../../../app/api/contract.js';

/** A group's key: its photo ids, stable while the group is on screen. */
export const groupKey = (group: DuplicateGroupView): string => group.photos.map((p) => p.id).join('-');

/** What the user chose for one group: the photo to keep and the others ticked for the trash. */
export interface GroupChoice {
  keepId: number;
  trash: number[];
}

export type ResolveOutcome = Outputs['duplicates.resolve'] & { names: Map<number, string> };

/**
 * Duplicate groups for review and resolution. Each group starts with the core's suggested keeper kept and every
 * other copy ticked for the trash; the user may pick another keeper or untick copies. Nothing moves until the
 * user confirms (`confirming`), and then only to the OS trash (the core re-checks the group first).
 */
export class DuplicatesState {
  groups = $state.raw<DuplicateGroupView[]>([]);
  loading = $state(false);
  loaded = $state(false);
  error = $state<string | null>(null);
  /** The user's choices by group key; a group without one shows the suggestion. */
  choices = $state<Record<string, GroupChoice>>({});
  /** The group whose trash confirmation is open. */
  confirming = $state<string | null>(null);
  working = $state(false);
  /** The last resolution, shown above the groups until the next one. */
  outcome = $state.raw<ResolveOutcome | null>(null);

  constructor(private readonly api: ApiClient) {}

  async load(): Promise<void> {
    this.loading = true;
    try {
      this.groups = await this.api.call('duplicates.list', {});
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.loading = false;
      this.loaded = true;
    }
  }

  choiceOf(group: DuplicateGroupView): GroupChoice {
    return (
      this.choices[groupKey(group)] ?? { keepId: group.keepId, trash: preTicked(group) ? group.photos.filter((p) => p.id !== group.keepId).map((p) => p.id) : [] }
    );
  }

  /** Keeping a photo takes it off the trash list; the previous keeper is ticked instead. */
  keep(group: DuplicateGroupView, id: number): void {
    const current = this.choiceOf(group);
    const trash = current.trash.filter((t) => t !== id);
    if (preTicked(group) && current.keepId !== id && !trash.includes(current.keepId)) trash.push(current.keepId);
    this.choices[groupKey(group)] = { keepId: id, trash };
  }

  toggleTrash(group: DuplicateGroupView, id: number, on: boolean): void {
    const current = this.choiceOf(group);
    if (id === current.keepId) return;
    const trash = on ? [...new Set([...current.trash, id])] : current.trash.filter((t) => t !== id);
    this.choices[groupKey(group)] = { keepId: current.keepId, trash };
  }

  askConfirm(group: DuplicateGroupView): void {
    if (this.choiceOf(group).trash.length > 0) this.confirming = groupKey(group);
  }

  cancelConfirm(): void {
    this.confirming = null;
  }

  /** The user confirmed: moves the ticked copies to the OS trash, then reloads the groups. */
  async resolve(group: DuplicateGroupView): Promise<void> {
    const { keepId, trash } = this.choiceOf(group);
    if (trash.length === 0) return;
    await this.act(group, async () => {
      const result = await this.api.call('duplicates.resolve', { keepId, trashIds: trash, confirmed: true });
      this.outcome = { ...result, names: new Map(group.photos.map((p) => [p.id, p.name])) };
    });
  }

  /**
   * "Not duplicates": a pair is remembered as two different pictures. A larger group is split by marking every
   * other photo as different from the chosen keeper.
   */
  async notDuplicates(group: DuplicateGroupView): Promise<void> {
    const { keepId } = this.choiceOf(group);
    await this.act(group, async () => {
      for (const photo of group.photos) {
        if (photo.id !== keepId) await this.api.call('duplicates.notDuplicates', { a: keepId, b: photo.id });
      }
    });
  }

  /** One decision on a group: shown as working, its error kept, the group's choice forgotten, the groups reloaded. */
  private async act(group: DuplicateGroupView, work: () => Promise<void>): Promise<void> {
    this.working = true;
    try {
      await work();
      this.error = null;
      delete this.choices[groupKey(group)];
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.working = false;
      this.confirming = null;
    }
    await this.load();
  }

}

/**
 * Copies (same bytes, or the same picture re-encoded, resized, cropped) come with the copies ticked for the
 * Trash; edits (mirrored, black and white, light/dark, a colour grade) and bursts are different photos a
 * photographer chooses between by eye: nothing is ticked (see [Note: near-duplicate rules]).
 */
export function preTicked(group: Pick<DuplicateGroupView, 'kind'>): boolean {
  return group.kind === 'exact' || group.kind === 'near';
}

import type { ApiClient } from '../../../../app/api/client.js';
import type { PhotoDetail, PhotoSummary } from '../../../../app/api/contract.js';
import type { Marks } from '../culling/marks.js';
import { patchMarks } from './marks.svelte.js';

/**
 * The full-size viewer over whichever list was showing (the grid or search results): the current position,
 * ←/→ through that list, and the metadata of the photo on screen.
 */
export class ViewerState {
  list = $state.raw<PhotoSummary[]>([]);
  index = $state(-1);
  detail = $state<PhotoDetail | null>(null);
  error = $state<string | null>(null);

  readonly open = $derived(this.index >= 0 && this.index < this.list.length);
  readonly photo = $derived(this.open ? this.list[this.index] : undefined);
  readonly hasPrevious = $derived(this.index > 0);
  readonly hasNext = $derived(this.index < this.list.length - 1);

  constructor(
    private readonly api: ApiClient,
    /** Near the end of a list that can grow (the grid): fetch more and answer the longer list, if any. */
    private readonly onNearEnd: (list: PhotoSummary[]) => Promise<PhotoSummary[] | null> = async () => null,
  ) {}

  show(list: PhotoSummary[], index: number): void {
    this.list = list;
    this.go(index);
  }

  next(): void {
    if (this.hasNext) this.go(this.index + 1);
  }

  previous(): void {
    if (this.hasPrevious) this.go(this.index - 1);
  }

  /** New marks on some photos (see MarksState), the one on screen among them perhaps. */
  patch(ids: ReadonlySet<number>, marks: Partial<Marks>): void {
    this.list = patchMarks(this.list, ids, marks);
    if (this.detail && ids.has(this.detail.id)) this.detail = { ...this.detail, ...marks };
  }

  close(): void {
    this.index = -1;
    this.detail = null;
  }

  /** Appends what the owner of the list loaded since; the photos already shown keep their positions. */
  private async extend(): Promise<void> {
    const shown = this.list;
    const longer = await this.onNearEnd(shown);
    if (longer && this.list === shown && longer.length > shown.length && longer[0]?.id === shown[0]?.id) this.list = longer;
  }

  private go(index: number): void {
    this.index = index;
    this.detail = null;
    this.error = null;
    const photo = this.list[index];
    if (!photo) return;
    if (index >= this.list.length - 3) void this.extend();
    this.api.call('photos.get', { id: photo.id }).then(
      (detail) => {
        if (this.photo?.id === detail.id) this.detail = detail;
      },
      (err: Error) => {
        if (this.photo?.id === photo.id) this.error = err.message;
      },
    );
  }
}

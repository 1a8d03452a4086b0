import type { ApiClient } from '../../../../app/api/client.js';
import type { PhotoDetail, PhotoSummary } from '../../../../app/api/contract.js';
import type { Marks } from '../culling/marks.js';

export const COMPARE_MIN = 2;
export const COMPARE_MAX = 4;

/**
 * Compare: two to four photos side by side (a burst, to pick the best), each with its details and sharpness.
 * One pane has the focus; the culling keys mark its photo, ←/→ move the focus.
 */
export class CompareState {
  photos = $state.raw<PhotoSummary[]>([]);
  /** Details by photo id, as they arrive. */
  details = $state.raw<ReadonlyMap<number, PhotoDetail>>(new Map());
  focus = $state(0);
  error = $state<string | null>(null);

  readonly open = $derived(this.photos.length >= COMPARE_MIN);
  readonly focused = $derived(this.photos[this.focus]);

  constructor(private readonly api: ApiClient) {}

  static canCompare(count: number): boolean {
    return count >= COMPARE_MIN && count <= COMPARE_MAX;
  }

  async show(photos: PhotoSummary[]): Promise<void> {
    if (!CompareState.canCompare(photos.length)) return;
    this.photos = photos;
    this.focus = 0;
    this.details = new Map();
    this.error = null;
    try {
      const details = await Promise.all(photos.map((p) => this.api.call('photos.get', { id: p.id })));
      if (this.photos === photos) this.details = new Map(details.map((d) => [d.id, d]));
    } catch (err) {
      if (this.photos === photos) this.error = (err as Error).message;
    }
  }

  move(delta: number): void {
    if (this.photos.length > 0) this.focus = (this.focus + delta + this.photos.length) % this.photos.length;
  }

  close(): void {
    this.photos = [];
    this.details = new Map();
  }

  patch(ids: ReadonlySet<number>, marks: Partial<Marks>): void {
    if (!this.photos.some((p) => ids.has(p.id))) return;
    this.photos = this.photos.map((p) => (ids.has(p.id) ? { ...p, ...marks } : p));
    this.details = new Map([...this.details].map(([id, d]) => [id, ids.has(id) ? { ...d, ...marks } : d]));
  }
}

import type { ApiClient } from '../../../../app/api/client.js';
import type { PhotoTag, ProcedureInput } from '../../../../app/api/contract.js';

export type TagDecision = ProcedureInput<'tags.decide'>['decision'];

/**
 * The tags of the photo in the viewer, and the user's decisions on them (accept, pin, reject a suggestion; add a
 * tag by name). Every decision reloads the list, since the core may reshape it (a rejected tag leaves it).
 */
export class PhotoTagsState {
  photoId = $state<number | null>(null);
  tags = $state.raw<PhotoTag[]>([]);
  loading = $state(false);
  error = $state<string | null>(null);

  constructor(
    private readonly api: ApiClient,
    /** A decision changed the library's tags: the tag panel's counts follow. */
    private readonly onChanged: () => void = () => {},
  ) {}

  /** Follows the viewer: a new photo's tags, or nothing when it closes. */
  async show(id: number | null): Promise<void> {
    if (id === this.photoId) return;
    this.photoId = id;
    this.tags = [];
    this.error = null;
    if (id !== null) await this.reload();
  }

  async decide(tag: string, decision: TagDecision): Promise<void> {
    const id = this.photoId;
    if (id === null || !tag.trim()) return;
    try {
      await this.api.call('tags.decide', { ids: [id], tag: tag.trim(), decision });
      this.error = null;
    } catch (err) {
      if (this.photoId === id) this.error = (err as Error).message;
      return;
    }
    this.onChanged();
    if (this.photoId === id) await this.reload();
  }

  private async reload(): Promise<void> {
    const id = this.photoId;
    if (id === null) return;
    this.loading = true;
    try {
      const tags = await this.api.call('tags.ofPhoto', { id });
      if (this.photoId === id) this.tags = tags.filter((t) => t.state !== 'rejected');
    } catch (err) {
      if (this.photoId === id) this.error = (err as Error).message;
    } finally {
      this.loading = false;
    }
  }
}

import type { ApiClient } from '../../../../app/api/client.js';
import type { DuplicateGroupView } from '../../../../app/api/contract.js';

/** Duplicate groups for review. Read-only: the API offers no resolution yet. */
export class DuplicatesState {
  groups = $state.raw<DuplicateGroupView[]>([]);
  loading = $state(false);
  loaded = $state(false);
  error = $state<string | null>(null);

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
}

import type { ApiClient } from '../../../../app/api/client.js';
import type { FileFailure } from '../../../../app/api/contract.js';

/** Adding and removing folders, and the files that could not be indexed. Folder counts come from StatusState. */
export class FoldersState {
  failures = $state.raw<FileFailure[]>([]);
  error = $state<string | null>(null);
  working = $state(false);

  constructor(
    private readonly api: ApiClient,
    /** After a change: refresh the status and facets. */
    private readonly onChange: () => Promise<void>,
  ) {}

  async add(path: string): Promise<boolean> {
    return this.act(() => this.api.call('folders.add', { path }));
  }

  async remove(folderId: number): Promise<boolean> {
    return this.act(() => this.api.call('folders.remove', { folderId }));
  }

  async loadFailures(): Promise<void> {
    try {
      this.failures = await this.api.call('folders.failures', {});
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  private async act(action: () => Promise<unknown>): Promise<boolean> {
    this.working = true;
    try {
      await action();
      this.error = null;
      await this.onChange();
      return true;
    } catch (err) {
      this.error = (err as Error).message;
      return false;
    } finally {
      this.working = false;
    }
  }
}

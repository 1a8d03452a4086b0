import type { ApiClient } from '../../../../app/api/client.js';
import type { ModelProgress, ModelView } from '../../../../app/api/contract.js';

/**
 * Model packs for the settings screen: the installed and offered ones, switching to one (by name, or installing
 * from a folder or zip path), and the `models.progress` events of the switch as it runs in the background.
 */
export class ModelsState {
  models = $state.raw<ModelView[]>([]);
  loaded = $state(false);
  error = $state<string | null>(null);
  /** The latest step of the running (or last) install/switch. */
  progress = $state<ModelProgress | null>(null);
  /** The install-from path field. */
  installPath = $state('');
  readonly running = $derived(this.progress !== null && this.progress.phase !== 'done' && this.progress.phase !== 'failed');

  constructor(
    private readonly api: ApiClient,
    /** A switch finished: the library status (its model) is stale. */
    private readonly onSwitched: () => void = () => {},
  ) {}

  async load(): Promise<void> {
    try {
      this.models = await this.api.call('models.list', {});
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.loaded = true;
    }
  }

  /** Subscribes to progress events; returns the unsubscribe. */
  listen(): () => void {
    return this.api.on('models.progress', (progress) => {
      this.progress = progress;
      if (progress.phase === 'done' || progress.phase === 'failed') {
        void this.load();
        this.onSwitched();
      }
    });
  }

  /** `name` is a pack name from the list or a path to a pack folder or zip. */
  async use(name: string): Promise<void> {
    const trimmed = name.trim();
    if (!trimmed) return;
    try {
      const { started } = await this.api.call('models.use', { name: trimmed });
      this.error = null;
      // One switch at a time: the core declines while another one runs.
      if (!started) this.error = 'Another model change is still running; try again when it has finished.';
      else if (trimmed === this.installPath.trim()) this.installPath = '';
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

}

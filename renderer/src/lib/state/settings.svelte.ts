import type { ApiClient } from '../../../../app/api/client.js';
import type { Settings, Theme } from '../../../../app/api/contract.js';

/**
 * The app settings. The theme applies at once: `data-theme` on <html> overrides the OS preference that the
 * CSS follows by default (see styles/theme.css); 'system' removes it.
 */
export class SettingsState {
  settings = $state<Settings | null>(null);
  error = $state<string | null>(null);
  /** Threads and provider take effect when the core next starts. */
  needsRestart = $state(false);

  constructor(private readonly api: ApiClient) {}

  async load(): Promise<void> {
    this.settings = await this.api.call('settings.get', {});
    applyTheme(this.settings.theme);
  }

  async update(changes: Partial<Settings>): Promise<void> {
    if (changes.theme) applyTheme(changes.theme);
    try {
      this.settings = await this.api.call('settings.set', changes);
      if (changes.cpuThreads !== undefined || changes.provider !== undefined) this.needsRestart = true;
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
    }
    if (this.settings) applyTheme(this.settings.theme);
  }
}

const THEME_CACHE = 'shoebox.theme';

export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  if (theme === 'system') delete root.dataset['theme'];
  else root.dataset['theme'] = theme;
  try {
    localStorage.setItem(THEME_CACHE, theme);
  } catch {
    // Storage unavailable (private mode): the theme still applies once the settings load.
  }
}

/** The theme the last run used, applied before the first paint so a forced theme does not flash the OS one. */
export function applyCachedTheme(): void {
  try {
    const cached = localStorage.getItem(THEME_CACHE);
    if (cached === 'light' || cached === 'dark' || cached === 'system') applyTheme(cached);
  } catch {
    // As above.
  }
}

// Renderer entry (placeholder). No framework yet: it only shows the version exposed by the preload.
// Runs with no Node access; everything from the main process comes through window.shoebox.

interface ShoeboxBridge {
  readonly version: string;
}

declare global {
  interface Window {
    // Optional: absent when the page is opened outside Electron (e.g. in a plain browser).
    readonly shoebox?: ShoeboxBridge;
  }
}

const el = document.getElementById('version');
if (el) el.textContent = window.shoebox ? `version ${window.shoebox.version}` : '';

export {};

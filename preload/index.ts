// Preload bridge, sandboxed with context isolation: the page sees only what is exposed here. The API itself
// does not pass through here: main sends a MessagePort to the core's utility process, and this forwards it
// to the page ([Note: core in a utility process]). Imports only 'electron': a sandboxed preload cannot load
// other modules.
import { contextBridge, ipcRenderer } from 'electron';

const PREFIX = '--shoebox-version=';
const version = process.argv.find((a) => a.startsWith(PREFIX))?.slice(PREFIX.length) ?? 'unknown';

// A MessagePort cannot cross contextBridge; window.postMessage can transfer it to the page's world.
ipcRenderer.on('shoebox:api-port', (event) => window.postMessage('shoebox:api-port', '*', event.ports));

contextBridge.exposeInMainWorld(
  'shoebox',
  Object.freeze({
    version,
    desktop: Object.freeze({
      showInFolder: (id: number) => ipcRenderer.invoke('shoebox:show-in-folder', id) as Promise<void>,
      chooseFolder: () => ipcRenderer.invoke('shoebox:choose-folder') as Promise<string | null>,
    }),
  }),
);

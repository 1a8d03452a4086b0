// Preload bridge. Runs sandboxed with context isolation, so the page sees only what is exposed here.
// For now that is just the app version: the real API (search, tags, duplicates over IPC) comes later.
// Imports only 'electron': a sandboxed preload cannot load other modules or read package.json.
import { contextBridge } from 'electron';

// main passes app.getVersion() via webPreferences.additionalArguments, which land in process.argv
// (argv is part of the process subset available to sandboxed preloads).
const PREFIX = '--shoebox-version=';
const version = process.argv.find((a) => a.startsWith(PREFIX))?.slice(PREFIX.length) ?? 'unknown';

// Freeze so page scripts cannot tamper with the bridge object.
contextBridge.exposeInMainWorld('shoebox', Object.freeze({ version }));

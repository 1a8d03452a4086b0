/**
 * Messages between the Electron main process and the core's utility process (main/core-process.ts), beyond the
 * API ports it hands over: start-up, and the two lookups the main process needs for the things only it can do
 * (serving media to the window, showing a file in the OS file manager). No Electron imports: plain data.
 */
import type { MediaSize } from '../library/media.js';

export type MainToCore =
  | { type: 'start'; libraryDir: string; modelDir?: string }
  /** Carries a MessagePort (in the event's ports) for one window's API connection. */
  | { type: 'connect' }
  | { type: 'media'; requestId: number; id: number; size: MediaSize }
  | { type: 'photo-path'; requestId: number; id: number }
  | { type: 'stop' };

export type CoreToMain =
  | { type: 'ready' }
  | { type: 'media'; requestId: number; file: string | null; contentType: string | null; error?: string }
  | { type: 'photo-path'; requestId: number; path: string | null }
  | { type: 'warning'; message: string }
  | { type: 'stopped' };

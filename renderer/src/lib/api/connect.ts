/**
 * Connects the renderer to the core over whichever transport this window has (see [Note: API messages]):
 * in Electron the preload hands over a MessagePort to the core's utility process; in a browser (`shoebox
 * serve`) a WebSocket back to the page's own origin, authenticated by the cookie the first visit set.
 */
import { createApiClient, type ApiClient } from '../../../../app/api/client.js';
import type { CallMessage, ServerMessage } from '../../../../app/api/messages.js';

export interface Connection {
  api: ApiClient;
  /** How this window shows a photo: a media URL for an id and size. */
  mediaUrl(id: number, size: 'grid' | 'preview' | 'original'): string;
  /** Desktop only: the OS file manager, the folder picker. Absent in browser mode. */
  desktop: DesktopBridge | undefined;
  /** Calls `listener` once if the core goes away (browser mode: `serve` stopped). */
  onDisconnect(listener: () => void): void;
}

export interface DesktopBridge {
  showInFolder(id: number): Promise<void>;
  chooseFolder(): Promise<string | null>;
}

interface PreloadBridge {
  readonly version: string;
  readonly desktop: DesktopBridge;
}

declare global {
  interface Window {
    /** Present only in the Electron window (exposed by the preload). */
    readonly shoebox?: PreloadBridge;
  }
}

export async function connect(): Promise<Connection> {
  if (window.shoebox) {
    const port = await electronPort();
    return {
      api: createApiClient(portChannel(port)),
      mediaUrl: (id, size) => `shoebox-media://photo/${id}/${size}`,
      desktop: window.shoebox.desktop,
      // The core process lives and dies with the window's main process: nothing to report.
      onDisconnect: () => {},
    };
  }
  const socket = await openSocket();
  return {
    api: createApiClient(socketChannel(socket)),
    mediaUrl: (id, size) => `/media/${id}/${size}`,
    desktop: undefined,
    onDisconnect: (listener) => socket.addEventListener('close', () => listener(), { once: true }),
  };
}

/** The preload forwards the port it received from the main process with window.postMessage. */
function electronPort(): Promise<MessagePort> {
  return new Promise((resolve) => {
    const onMessage = (event: MessageEvent) => {
      if (event.source !== window || event.data !== 'shoebox:api-port' || !event.ports[0]) return;
      window.removeEventListener('message', onMessage);
      resolve(event.ports[0]);
    };
    window.addEventListener('message', onMessage);
  });
}

function portChannel(port: MessagePort) {
  return {
    send: (message: CallMessage) => port.postMessage(message),
    onMessage: (receive: (message: ServerMessage) => void) => {
      port.onmessage = (event) => receive(event.data as ServerMessage);
      port.start();
    },
  };
}

function openSocket(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api`);
    socket.addEventListener('open', () => resolve(socket), { once: true });
    socket.addEventListener('error', () => reject(new Error('cannot reach Shoebox: is `shoebox serve` still running?')), { once: true });
  });
}

function socketChannel(socket: WebSocket) {
  return {
    send: (message: CallMessage) => socket.send(JSON.stringify(message)),
    onMessage: (receive: (message: ServerMessage) => void) =>
      socket.addEventListener('message', (event) => receive(JSON.parse(String(event.data)) as ServerMessage)),
  };
}

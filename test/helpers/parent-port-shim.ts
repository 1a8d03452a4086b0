/**
 * [Note: utility process under plain Node] Loaded with `--import` ahead of a bundled utility-process entry
 * (out/main/core-process.js), so that the built file runs under plain Node as Electron's utilityProcess would
 * run it: it defines `process.parentPort` and hands over window ports that look like Electron's MessagePortMain.
 * Both are bridged to the test over Node's IPC channel (forked with `serialization: 'advanced'`, structured
 * clone, as Electron's ports use). A window port is a worker_threads MessageChannel made here, one end given to
 * the core in the 'connect' event's `ports`, the other relayed to the test, because a MessagePort cannot cross
 * a process boundary in Node.
 *
 * Plain Node runs this file itself (type stripping): erasable TypeScript only, and node: imports only.
 */
import { EventEmitter } from 'node:events';
import { MessageChannel, type MessagePort } from 'node:worker_threads';

/** From the test to this process. */
export type ToChild =
  /** A message for `process.parentPort`; with `connect`, a new window port with that id travels in its `ports`. */
  | { kind: 'parent'; data: unknown; connect?: number }
  /** A message the window sends on its port. */
  | { kind: 'port'; id: number; data: unknown }
  /** The window goes away: its end of the port closes, as when Electron destroys a renderer. */
  | { kind: 'close-port'; id: number };

/** From this process to the test. */
export type FromChild =
  | { kind: 'parent'; data: unknown }
  | { kind: 'port'; id: number; data: unknown }
  | { kind: 'port-closed'; id: number };

/** What Electron passes to 'message' listeners of the parent port and of a MessagePortMain. */
interface MessageEventLike {
  data: unknown;
  ports: MessagePortMainShim[];
}

/**
 * Electron's MessagePortMain over a Node MessagePort. Two differences to bridge: Electron's listeners get a
 * MessageEvent (`e.data`) where Node's get the value itself, and Electron queues messages until `start()`,
 * where Node starts a port as soon as a 'message' listener is attached (so the relay is attached in start()).
 */
class MessagePortMainShim extends EventEmitter {
  readonly #port: MessagePort;
  #started = false;

  constructor(port: MessagePort) {
    super();
    this.#port = port;
    port.on('close', () => this.emit('close'));
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#port.on('message', (data: unknown) => this.emit('message', { data, ports: [] } satisfies MessageEventLike));
    this.#port.start();
  }

  postMessage(message: unknown): void {
    this.#port.postMessage(message);
  }

  close(): void {
    this.#port.close();
  }
}

function send(message: FromChild): void {
  process.send?.(message);
}

const windows = new Map<number, MessagePort>();

function openWindowPort(id: number): MessagePortMainShim {
  const { port1, port2 } = new MessageChannel();
  windows.set(id, port2);
  port2.on('message', (data: unknown) => send({ kind: 'port', id, data }));
  port2.on('close', () => {
    windows.delete(id);
    send({ kind: 'port-closed', id });
  });
  return new MessagePortMainShim(port1);
}

// Electron's ParentPort: an EventEmitter with postMessage that queues messages until a 'message' handler exists
// (the bundle's top level registers it only once its imports have loaded, after the test may have written).
const parentPort = new EventEmitter() as EventEmitter & { postMessage(message: unknown): void };
parentPort.postMessage = (message) => send({ kind: 'parent', data: message });
const queued: MessageEventLike[] = [];
const deliver = (event: MessageEventLike) => (parentPort.listenerCount('message') > 0 ? parentPort.emit('message', event) : queued.push(event));
parentPort.on('newListener', (name: string) => {
  if (name === 'message') queueMicrotask(() => queued.splice(0).forEach(deliver));
});
Object.defineProperty(process, 'parentPort', { value: parentPort, enumerable: true });

process.on('message', (message: ToChild) => {
  switch (message.kind) {
    case 'parent':
      deliver({ data: message.data, ports: message.connect === undefined ? [] : [openWindowPort(message.connect)] });
      return;
    case 'port':
      windows.get(message.id)?.postMessage(message.data);
      return;
    case 'close-port':
      windows.get(message.id)?.close();
      return;
  }
});

// Once the test lets go of the channel, nothing of ours holds the process: if it does not exit, say what does.
process.on('disconnect', () => {
  setTimeout(() => process.stderr.write(`still running after disconnect, held by: ${process.getActiveResourcesInfo().join(', ')}\n`), 3_000).unref();
});

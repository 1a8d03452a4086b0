import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { CoreToMain, MainToCore } from '../../app/api/desktop-messages.js';
import type { CallMessage, MessageChannelLike, ServerMessage } from '../../app/api/messages.js';
import type { MediaSize } from '../../app/library/media.js';
import { ROOT_DIR } from './cli.js';
import type { FromChild, ToChild } from './parent-port-shim.js';

export const BUILT_CORE = path.join(ROOT_DIR, 'out', 'main', 'core-process.js');
const SHIM = path.join(ROOT_DIR, 'test', 'helpers', 'parent-port-shim.ts');

export interface WindowPort {
  /** The window's end, as the renderer's preload hands it to the API client. */
  channel: MessageChannelLike<ServerMessage, CallMessage>;
  /** Resolves when the core's end has closed too. */
  closed: Promise<void>;
  close(): void;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * The main process's side of the built core (what main/core-client.ts does with Electron's utilityProcess),
 * over a plain Node child that runs out/main/core-process.js with [Note: utility process under plain Node].
 */
export class BuiltCore {
  readonly warnings: string[] = [];
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;
  private output = '';
  private nextId = 1;
  private readonly parentListeners = new Set<(message: CoreToMain) => void>();
  private readonly portListeners = new Map<number, (message: ServerMessage) => void>();
  private readonly portClosed = new Map<number, () => void>();

  constructor(env: Record<string, string> = {}) {
    if (!fs.existsSync(BUILT_CORE)) throw new Error(`${BUILT_CORE} is missing: run \`npm run build\` first (CI builds before testing)`);
    this.child = fork(BUILT_CORE, [], {
      cwd: ROOT_DIR,
      execArgv: ['--import', SHIM],
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, ...env },
    });
    for (const stream of [this.child.stdout!, this.child.stderr!]) stream.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    this.child.on('message', (message: FromChild) => {
      if (message.kind === 'port') this.portListeners.get(message.id)?.(message.data as ServerMessage);
      else if (message.kind === 'port-closed') this.portClosed.get(message.id)?.();
      else this.fromCore(message.data as CoreToMain);
    });
  }

  /** Everything the process wrote to stdout and stderr. */
  get log(): string {
    return this.output;
  }

  post(message: MainToCore): void {
    this.send({ kind: 'parent', data: message });
  }

  /** The promise's outcome, or a failure with the process's output if it exits first (a crash, not a hang). */
  whileRunning<T>(promise: Promise<T>): Promise<T> {
    return Promise.race([promise, this.exited.then((exit) => Promise.reject(new Error(`core exited (${exit.code ?? exit.signal}):\n${this.output}`)))]);
  }

  /** The next message of this type from the core. */
  next<T extends CoreToMain['type']>(type: T): Promise<Extract<CoreToMain, { type: T }>> {
    return this.whileRunning(
      new Promise((resolve) => {
        const listener = (message: CoreToMain) => {
          if (message.type !== type) return;
          this.parentListeners.delete(listener);
          resolve(message as Extract<CoreToMain, { type: T }>);
        };
        this.parentListeners.add(listener);
      }),
    );
  }

  /** As CoreClient.connect: a 'connect' message carrying a fresh port for one window. */
  connect(): WindowPort {
    const id = this.nextId++;
    const closed = new Promise<void>((resolve) => this.portClosed.set(id, resolve));
    this.send({ kind: 'parent', data: { type: 'connect' } satisfies MainToCore, connect: id });
    return {
      channel: {
        send: (message) => this.send({ kind: 'port', id, data: message }),
        onMessage: (receive) => this.portListeners.set(id, receive),
      },
      closed,
      close: () => this.send({ kind: 'close-port', id }),
    };
  }

  async media(id: number, size: MediaSize): Promise<Extract<CoreToMain, { type: 'media' }>> {
    const requestId = this.nextId++;
    return this.request('media', requestId, { type: 'media', requestId, id, size });
  }

  async photoPath(id: number): Promise<string | null> {
    const requestId = this.nextId++;
    return (await this.request('photo-path', requestId, { type: 'photo-path', requestId, id })).path;
  }

  /** Lets go of the IPC channel, as a parent that is done with the child: only the core's own handles remain. */
  disconnect(): void {
    if (this.child.connected) this.child.disconnect();
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private request<T extends 'media' | 'photo-path'>(type: T, requestId: number, message: MainToCore): Promise<Extract<CoreToMain, { type: T }>> {
    return this.whileRunning(
      new Promise((resolve) => {
        const listener = (reply: CoreToMain) => {
          if (reply.type !== type || !('requestId' in reply) || reply.requestId !== requestId) return;
          this.parentListeners.delete(listener);
          resolve(reply as Extract<CoreToMain, { type: T }>);
        };
        this.parentListeners.add(listener);
        this.post(message);
      }),
    );
  }

  private fromCore(message: CoreToMain): void {
    if (message.type === 'warning') this.warnings.push(message.message);
    for (const listener of [...this.parentListeners]) listener(message);
  }

  private send(message: ToChild): void {
    // Once the process is gone, whileRunning() reports it (with its output); sending would only throw.
    if (this.child.connected) this.child.send(message);
  }
}

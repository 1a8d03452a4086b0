/**
 * [Note: API messages] The wire format shared by every transport that carries messages (a WebSocket in
 * browser mode, a MessagePort in Electron): calls with an id, their results, and pushed events. Plain JSON-able
 * objects, no classes, so structured clone and JSON.stringify both carry them unchanged.
 */
import type { ApiErrorBody, EventName, Events } from './contract.js';

export interface CallMessage {
  type: 'call';
  id: number;
  method: string;
  input: unknown;
}

export type ResultMessage =
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: ApiErrorBody };

export interface EventMessage<E extends EventName = EventName> {
  type: 'event';
  name: E;
  payload: Events[E];
}

export type ServerMessage = ResultMessage | EventMessage;

/** Either end of a message transport, reduced to what the protocol needs. */
export interface MessageChannelLike<In, Out> {
  send(message: Out): void;
  /** Registers the one receiver of incoming messages. */
  onMessage(receive: (message: In) => void): void;
}

export function isCallMessage(value: unknown): value is CallMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v['type'] === 'call' && Number.isSafeInteger(v['id']) && typeof v['method'] === 'string';
}

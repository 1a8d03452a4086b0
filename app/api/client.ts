/**
 * The renderer's typed view of the core: `call('search.text', {...})` returns that procedure's output type,
 * `on('indexing.progress', fn)` subscribes to an event. Runs in the browser: no Node imports.
 */
import type { ApiErrorBody, EventName, Events, Outputs, ProcedureInput, ProcedureName } from './contract.js';
import type { CallMessage, MessageChannelLike, ServerMessage } from './messages.js';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(readonly body: ApiErrorBody) {
    super(body.message);
  }
}

export interface ApiClient {
  call<P extends ProcedureName>(method: P, input: ProcedureInput<P>): Promise<Outputs[P]>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}

export function createApiClient(channel: MessageChannelLike<ServerMessage, CallMessage>): ApiClient {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<EventName, Set<(payload: never) => void>>();

  channel.onMessage((message) => {
    if (message.type === 'event') {
      for (const listener of listeners.get(message.name) ?? []) listener(message.payload as never);
      return;
    }
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.ok) waiter.resolve(message.value);
    else waiter.reject(new ApiError(message.error));
  });

  return {
    call(method, input) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        channel.send({ type: 'call', id, method, input });
      });
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
  };
}

import WebSocket from 'ws';
import type { Outputs, ProcedureInput, ProcedureName } from '../../app/api/contract.js';
import type { ServeProcess } from './serve-process.js';

/**
 * The serve process's own API, over the same WebSocket the renderer uses (token in the Authorization header,
 * our origin), so a browser test can check what the UI did against what the library now holds.
 */
export interface ApiSocket {
  call<P extends ProcedureName>(method: P, input: ProcedureInput<P>): Promise<Outputs[P]>;
  close(): void;
}

export function openApiSocket(serve: ServeProcess): Promise<ApiSocket> {
  const ws = new WebSocket(`${serve.origin.replace('http', 'ws')}/api`, { headers: { Authorization: `Bearer ${serve.token}` }, origin: serve.origin });
  let next = 1;
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type: string; id?: number; ok?: boolean; value?: unknown; error?: { message: string } };
    if (message.type !== 'result' || message.id === undefined) return;
    const waiter = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.ok) waiter?.resolve(message.value);
    else waiter?.reject(new Error(message.error?.message ?? 'API call failed'));
  });
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        call: (method, input) =>
          new Promise((res, rej) => {
            const id = next++;
            waiting.set(id, { resolve: res as (value: unknown) => void, reject: rej });
            ws.send(JSON.stringify({ type: 'call', id, method, input }));
          }),
        close: () => ws.close(),
      }),
    );
  });
}

import type { LibraryService } from '../library/library-service.js';
import { isCallMessage, type MessageChannelLike, type ServerMessage } from './messages.js';
import type { ApiRouter } from './router.js';

/**
 * Serves the API over one message channel (a WebSocket or a MessagePort): answers calls through the router
 * and forwards library events. Returns the function that detaches it when the channel closes.
 */
export function serveChannel(router: ApiRouter, library: LibraryService, channel: MessageChannelLike<unknown, ServerMessage>): () => void {
  channel.onMessage((message) => {
    if (!isCallMessage(message)) return; // not ours: a malformed or foreign message is ignored, never thrown on
    void router.call(message.method, message.input).then((outcome) =>
      channel.send(outcome.ok ? { type: 'result', id: message.id, ok: true, value: outcome.value } : { type: 'result', id: message.id, ok: false, error: outcome.error }),
    );
  });
  return library.on((name, payload) => channel.send({ type: 'event', name, payload }));
}

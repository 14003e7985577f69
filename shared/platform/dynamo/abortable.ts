import type { DocumentClient } from './client.ts';

/**
 * The same client, with every request it sends tied to `signal`: when the signal aborts, the
 * request in flight is abandoned and no further one starts. A contact-flow Lambda builds its
 * repositories on this view for one invocation, so a time budget reaches every read and write
 * without each method taking a signal. The sockets and the client stay shared.
 */
export function abortable(db: DocumentClient, signal: AbortSignal): DocumentClient {
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver);
      return (command: Parameters<DocumentClient['send']>[0], options?: { abortSignal?: AbortSignal }) => {
        if (signal.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
        return target.send(command as never, { ...options, abortSignal: options?.abortSignal ?? signal });
      };
    },
  });
}

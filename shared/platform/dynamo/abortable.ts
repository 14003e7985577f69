import type { DocumentClient } from './client.ts';

/**
 * The same client, with every request it sends tied to `signal`: when the signal aborts, the
 * request in flight is abandoned and no further one starts. A contact-flow Lambda builds its
 * repositories on this view for one invocation, so a time budget reaches every read and write
 * without each method taking a signal. The sockets and the client stay shared.
 */
export function abortable(db: DocumentClient, signal: AbortSignal): DocumentClient {
  const view = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver);
      return (command: Parameters<DocumentClient['send']>[0], options?: { abortSignal?: AbortSignal }) => {
        if (signal.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
        return target.send(command as never, { ...options, abortSignal: options?.abortSignal ?? signal });
      };
    },
  });
  views.set(view, { db, signal });
  return view;
}

const views = new WeakMap<object, { db: DocumentClient; signal: AbortSignal }>();

/**
 * The client under an abortable view and the view's signal (for query.ts, which sends through the
 * low-level client); for any other client, itself and no signal.
 */
export function unwrapView(db: DocumentClient): { db: DocumentClient; signal?: AbortSignal } {
  return views.get(db) ?? { db };
}

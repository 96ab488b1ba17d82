import type { Envelope, MessageMap, Reply, RequestOf, ResponseOf } from './define';

export class ProtocolError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/**
 * Typed sender for extension pages. The transport is passed in (runtime.sendMessage in pages, a direct
 * call in tests), which keeps this module free of browser APIs.
 */
export function createClient<M extends MessageMap>(send: (envelope: Envelope) => Promise<unknown>) {
  return async function call<K extends keyof M & string>(
    type: K,
    ...payload: RequestOf<M[K]> extends Record<string, never> ? [RequestOf<M[K]>?] : [RequestOf<M[K]>]
  ): Promise<ResponseOf<M[K]>> {
    const reply = (await send({ type, payload: payload[0] ?? {} })) as Reply<ResponseOf<M[K]>> | undefined;
    if (!reply || typeof reply !== 'object' || !('ok' in reply)) {
      throw new ProtocolError(
        'no-reply',
        `No answer to ${type}: the background service worker did not respond.`,
      );
    }
    if (!reply.ok) throw new ProtocolError(reply.error.code, reply.error.message);
    return reply.value;
  };
}

import { errorMessage } from '../errors';
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
 * The browser could not hand the message to the background, whose worker was starting or stopping:
 * nothing ran, so sending it again is safe whatever it asks.
 */
const NOT_DELIVERED = /Could not establish connection|Receiving end does not exist|^No SW$/i;
/** The worker stopped before it answered: what was asked may have been done, in whole or in part. */
const NOT_ANSWERED = /message (?:port|channel) closed before a response was received/i;
/** How long to wait before sending again: a worker restarts in a few tens of milliseconds. */
const RETRY_MS = 150;

export interface ClientOptions {
  /**
   * Messages that may be sent again when the background stopped before answering them: reads, and
   * changes that come out the same when repeated. Others are reported instead (the user decides).
   */
  repeatable?: ReadonlySet<string>;
}

/**
 * Typed sender for extension pages. The transport is passed in (runtime.sendMessage in pages, a direct
 * call in tests), which keeps this module free of browser APIs. A message the browser could not deliver
 * (the background's worker was restarting) is sent once more; so is a repeatable one whose answer was
 * lost. Other transport failures become a ProtocolError that says what happened in plain words.
 */
export function createClient<M extends MessageMap>(
  send: (envelope: Envelope) => Promise<unknown>,
  options: ClientOptions = {},
) {
  /** One send: the background's reply, or what went wrong (NO_REPLY: it resolved without one). */
  const attempt = async (envelope: Envelope): Promise<{ reply: Reply<unknown> } | { failure: string }> => {
    try {
      const reply = await send(envelope);
      return isReply(reply) ? { reply } : { failure: NO_REPLY };
    } catch (error) {
      return { failure: errorMessage(error) };
    }
  };
  const deliver = async (envelope: Envelope): Promise<Reply<unknown>> => {
    let result = await attempt(envelope);
    if ('failure' in result && sendAgain(result.failure, options.repeatable?.has(envelope.type) ?? false)) {
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      result = await attempt(envelope);
    }
    if ('failure' in result) throw transportError(envelope.type, result.failure);
    return result.reply;
  };
  return async function call<K extends keyof M & string>(
    type: K,
    ...payload: RequestOf<M[K]> extends Record<string, never> ? [RequestOf<M[K]>?] : [RequestOf<M[K]>]
  ): Promise<ResponseOf<M[K]>> {
    const reply = (await deliver({ type, payload: payload[0] ?? {} })) as Reply<ResponseOf<M[K]>>;
    if (!reply.ok) throw new ProtocolError(reply.error.code, reply.error.message);
    return reply.value;
  };
}

/**
 * A send that resolved without a reply: no listener answered (a worker stopped as it was handling the
 * message; webextension-polyfill turns Chrome's "message port closed" into that).
 */
const NO_REPLY = '';

function isReply(value: unknown): value is Reply<unknown> {
  return typeof value === 'object' && value !== null && 'ok' in value;
}

/** Worth one more send: nothing ran, or the answer was lost and the message may be repeated. */
function sendAgain(failure: string, repeatable: boolean): boolean {
  if (NOT_DELIVERED.test(failure)) return true;
  return repeatable && (failure === NO_REPLY || NOT_ANSWERED.test(failure));
}

/** A failure of the browser's messaging, said plainly, with the browser's own words after it. */
function transportError(type: string, raw: string): ProtocolError {
  if (raw === NO_REPLY) {
    return new ProtocolError(
      'no-reply',
      `No answer to ${type}: the extension's background service worker did not respond (it may have been restarting); try again.`,
    );
  }
  if (NOT_ANSWERED.test(raw)) {
    return new ProtocolError(
      'no-answer',
      `The extension's background stopped before it answered ${type}, so it may have been done in part; try again (${raw}).`,
    );
  }
  if (NOT_DELIVERED.test(raw)) {
    return new ProtocolError(
      'unreachable',
      `The extension's background could not be reached for ${type} (it may be restarting); try again (${raw}).`,
    );
  }
  return new ProtocolError('transport', `${type} could not be sent: ${raw}`);
}

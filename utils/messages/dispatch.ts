import { errorMessage } from '../errors';
import type { Envelope, MessageMap, ParsedRequestOf, Reply, ResponseOf } from './define';

export type Handlers<M extends MessageMap, Ctx> = {
  [K in keyof M]: (payload: ParsedRequestOf<M[K]>, ctx: Ctx) => Promise<ResponseOf<M[K]>> | ResponseOf<M[K]>;
};

export interface DispatchOptions<Ctx> {
  /** Decides whether a message may be handled at all (e.g. it comes from one of our own pages). */
  isTrusted: (ctx: Ctx) => boolean;
  /** The one place unexpected handler errors are reported. */
  onError?: (type: string, error: unknown) => void;
}

function isEnvelope(value: unknown): value is Envelope {
  return typeof value === 'object' && value !== null && typeof (value as Envelope).type === 'string';
}

/**
 * Builds the single inbound-message entry point: checks the sender, looks the handler up in a typed
 * map (no switch on strings), parses the payload with the message's zod schema, and turns every
 * failure into a Reply instead of an exception, so a hostile or broken message can never crash the worker.
 */
export function createDispatcher<M extends MessageMap, Ctx>(
  protocol: M,
  handlers: Handlers<M, Ctx>,
  options: DispatchOptions<Ctx>,
) {
  return async (message: unknown, ctx: Ctx): Promise<Reply<unknown>> => {
    if (!options.isTrusted(ctx)) {
      return {
        ok: false,
        error: { code: 'untrusted-sender', message: 'Messages are accepted only from this extension.' },
      };
    }
    if (!isEnvelope(message) || !Object.hasOwn(protocol, message.type)) {
      const type = isEnvelope(message) ? message.type.slice(0, 100) : typeof message;
      return { ok: false, error: { code: 'unknown-message', message: `Unknown message: ${type}` } };
    }
    const type = message.type as keyof M & string;
    const parsed = protocol[type]!.request.safeParse(message.payload ?? {});
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`)
        .join('; ');
      return { ok: false, error: { code: 'invalid-payload', message: `Invalid ${type} payload: ${detail}` } };
    }
    try {
      const value = await handlers[type](parsed.data as ParsedRequestOf<M[typeof type]>, ctx);
      return { ok: true, value };
    } catch (error) {
      options.onError?.(type, error);
      return { ok: false, error: { code: 'handler-failed', message: errorMessage(error) } };
    }
  };
}

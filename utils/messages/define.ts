import type { z } from 'zod';

/**
 * One message of the extension's internal protocol: the zod schema that every inbound payload is parsed
 * with, and (types only) the shape of the answer. Answers come from our own background, payloads may
 * come from anywhere, so only payloads are validated at run time.
 */
export interface MessageDef<Req extends z.ZodType = z.ZodType, Res = unknown> {
  request: Req;
  /** Phantom field carrying the response type; never set. */
  readonly response?: Res;
}

export function defineMessage<Res>() {
  return <Req extends z.ZodType>(request: Req): MessageDef<Req, Res> => ({ request });
}

export type MessageMap = Record<string, MessageDef>;
export type RequestOf<D> = D extends MessageDef<infer Req, unknown> ? z.input<Req> : never;
export type ParsedRequestOf<D> = D extends MessageDef<infer Req, unknown> ? z.output<Req> : never;
export type ResponseOf<D> = D extends MessageDef<z.ZodType, infer Res> ? Res : never;

/** What travels over runtime.sendMessage. */
export interface Envelope {
  type: string;
  payload?: unknown;
}

/** Errors are named after what went wrong so the UI can say so plainly. */
export type ProtocolErrorCode = 'untrusted-sender' | 'unknown-message' | 'invalid-payload' | 'handler-failed';

export type Reply<T> =
  | { ok: true; value: T }
  | { ok: false; error: { code: ProtocolErrorCode; message: string } };

import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createClient } from '../../utils/messages/client';
import { defineMessage, type Envelope } from '../../utils/messages/define';
import { createDispatcher } from '../../utils/messages/dispatch';

const protocol = {
  'echo/double': defineMessage<number>()(z.object({ n: z.number() }).strict()),
  'echo/fail': defineMessage<never>()(z.object({}).strict()),
};

interface Ctx {
  trusted: boolean;
}

function makeDispatcher(onError = vi.fn()) {
  return createDispatcher<typeof protocol, Ctx>(
    protocol,
    {
      'echo/double': ({ n }) => n * 2,
      'echo/fail': () => {
        throw new Error('boom');
      },
    },
    { isTrusted: (ctx) => ctx.trusted, onError },
  );
}

describe('message dispatcher', () => {
  it('runs the handler with the parsed payload', async () => {
    expect(await makeDispatcher()({ type: 'echo/double', payload: { n: 21 } }, { trusted: true })).toEqual({
      ok: true,
      value: 42,
    });
  });

  it.each([
    ['untrusted sender', { type: 'echo/double', payload: { n: 1 } }, false, 'untrusted-sender'],
    ['unknown type', { type: 'nope' }, true, 'unknown-message'],
    ['prototype key', { type: 'constructor' }, true, 'unknown-message'],
    ['not an envelope', 'hello', true, 'unknown-message'],
    ['null', null, true, 'unknown-message'],
    ['wrong payload type', { type: 'echo/double', payload: { n: 'x' } }, true, 'invalid-payload'],
    ['extra payload key', { type: 'echo/double', payload: { n: 1, evil: true } }, true, 'invalid-payload'],
  ])('rejects %s', async (_name, message, trusted, code) => {
    const reply = await makeDispatcher()(message, { trusted });
    expect(reply.ok).toBe(false);
    if (!reply.ok) expect(reply.error.code).toBe(code);
  });

  it('reports handler errors once and answers instead of throwing', async () => {
    const onError = vi.fn();
    const reply = await makeDispatcher(onError)({ type: 'echo/fail' }, { trusted: true });
    expect(reply).toEqual({ ok: false, error: { code: 'handler-failed', message: 'boom' } });
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it('round-trips through the typed client', async () => {
    const dispatch = makeDispatcher();
    const call = createClient<typeof protocol>((env: Envelope) => dispatch(env, { trusted: true }));
    expect(await call('echo/double', { n: 4 })).toBe(8);
    await expect(call('echo/fail')).rejects.toThrow('boom');
    const silent = createClient<typeof protocol>(async () => undefined);
    await expect(silent('echo/double', { n: 1 })).rejects.toThrow(/did not respond/);
  });
});

import { describe, expect, it } from 'vitest';
import { createProtocolClient } from '../../utils/messages';
import { ProtocolError } from '../../utils/messages/client';
import type { Envelope } from '../../utils/messages/define';

const NOT_DELIVERED = 'Could not establish connection. Receiving end does not exist.';
const NOT_ANSWERED =
  'A listener indicated an asynchronous response by returning true, but the message channel closed before a response was received';

/** No reply at all: the send resolved with nothing (webextension-polyfill's "message port closed"). */
const NOTHING = 'nothing';

/** A transport that fails with each of `failures` in turn, then answers; it counts what it was sent. */
function flaky(failures: string[], value: unknown = { enabled: true }) {
  const sent: Envelope[] = [];
  const send = async (envelope: Envelope) => {
    sent.push(envelope);
    const failure = failures.shift();
    if (failure === NOTHING) return undefined;
    if (failure) throw new Error(failure);
    return { ok: true, value };
  };
  return { sent, call: createProtocolClient(send) };
}

describe('the message client when the background restarts', () => {
  it("Chromium's terse “No SW” (no worker to take the message) is not delivered either: sent once more", async () => {
    const t = flaky(['No SW']);
    await expect(t.call('rules/get')).resolves.toEqual({ enabled: true });
    expect(t.sent).toHaveLength(2);
  });

  it('sends a message the browser could not deliver once more, whatever it asks', async () => {
    const t = flaky([NOT_DELIVERED], { launchId: 'x', outcome: 'reloaded' });
    await expect(t.call('tabs/relaunch', { launchId: 'x' })).resolves.toMatchObject({ launchId: 'x' });
    expect(t.sent).toHaveLength(2);
  });

  it('sends a read or a repeatable change again when its answer was lost', async () => {
    const read = flaky([NOT_ANSWERED]);
    await expect(read.call('rules/get')).resolves.toEqual({ enabled: true });
    expect(read.sent).toHaveLength(2);
    const clear = flaky([NOT_ANSWERED], { removed: [], failed: [] });
    await clear.call('session/clear', {
      origin: 'https://authorization.cerner.com',
      parentDomainCookies: [],
    });
    expect(clear.sent).toHaveLength(2);
  });

  it('a send that resolved without a reply is a lost answer: a read is sent again, other changes are not', async () => {
    const read = flaky([NOTHING]);
    await expect(read.call('launches/changes', {})).resolves.toEqual({ enabled: true });
    expect(read.sent).toHaveLength(2);
    const relaunch = flaky([NOTHING]);
    const error = await relaunch.call('tabs/relaunch', { launchId: 'x' }).catch((e) => e);
    expect(relaunch.sent).toHaveLength(1);
    expect(error).toMatchObject({ code: 'no-reply' });
    expect(error.message).toBe(
      "No answer to tabs/relaunch: the extension's background service worker did not respond (it may have been restarting); try again.",
    );
  });

  it('does not repeat a change that would be done twice; it says what happened, in plain words', async () => {
    const t = flaky([NOT_ANSWERED]);
    const error = await t.call('launches/import-har', { fileName: 'a.har', text: '{}' }).catch((e) => e);
    expect(t.sent).toHaveLength(1);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.code).toBe('no-answer');
    expect(error.message).toMatch(
      /^The extension's background stopped before it answered launches\/import-har/,
    );
  });

  it('gives up after the second failure, saying the background could not be reached', async () => {
    const t = flaky([NOT_DELIVERED, NOT_DELIVERED]);
    const error = await t.call('rules/get').catch((e) => e);
    expect(t.sent).toHaveLength(2);
    expect(error.code).toBe('unreachable');
    expect(error.message).toContain('could not be reached for rules/get (it may be restarting); try again');
  });

  it('any other failure of the transport is reported at once', async () => {
    const t = flaky(['Extension context invalidated.']);
    const error = await t.call('rules/get').catch((e) => e);
    expect(t.sent).toHaveLength(1);
    expect(error).toMatchObject({
      code: 'transport',
      message: 'rules/get could not be sent: Extension context invalidated.',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { verifierChallenge } from '../../utils/capture';
import { importHar } from '../../utils/har';
import { correlate } from '../../utils/launch/correlate';
import {
  AUTHORIZE,
  CANCELLED_URN,
  CLIENT_ID,
  DISCOVERY_BODY,
  ISS,
  REDIRECT_URI,
  TOKEN,
} from '../fixtures/companion-flow';

/** A HAR of companion launches in one tab as DevTools saves it: codes in clear, sharing a prefix. */
function companionHar(launches: { state: string; code?: string; verifier: string }[]): string {
  const entries: unknown[] = [];
  let t = Date.UTC(2026, 0, 5, 9, 0, 0);
  const at = () => {
    t += 100;
    return new Date(t).toISOString();
  };
  for (const l of launches) {
    entries.push({
      startedDateTime: at(),
      request: { method: 'GET', url: `${ISS}/.well-known/smart-configuration`, headers: [] },
      response: { status: 200, headers: [], content: { mimeType: 'application/json', text: DISCOVERY_BODY } },
      _resourceType: 'fetch',
    });
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      state: l.state,
      aud: ISS,
      code_challenge: verifierChallenge(l.verifier),
      code_challenge_method: 'S256',
    });
    const callback = l.code
      ? `${REDIRECT_URI}?code=${l.code}&state=${l.state}`
      : `${REDIRECT_URI}?error=access_denied&error_uri=${encodeURIComponent(CANCELLED_URN)}&state=${l.state}`;
    entries.push({
      startedDateTime: at(),
      request: { method: 'GET', url: `${AUTHORIZE}?${query}`, headers: [] },
      response: { status: 302, headers: [{ name: 'Location', value: callback }], redirectURL: callback },
      _resourceType: 'document',
    });
    entries.push({
      startedDateTime: at(),
      request: { method: 'GET', url: callback, headers: [] },
      response: { status: 200, headers: [{ name: 'Content-Type', value: 'text/html' }] },
      _resourceType: 'document',
    });
    if (!l.code) continue;
    entries.push({
      startedDateTime: at(),
      request: {
        method: 'POST',
        url: TOKEN,
        headers: [],
        postData: {
          mimeType: 'application/x-www-form-urlencoded',
          text: `grant_type=authorization_code&code=${l.code}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&client_id=${CLIENT_ID}&code_verifier=${l.verifier}`,
        },
      },
      response: {
        status: 200,
        headers: [],
        content: { mimeType: 'application/json', text: '{"access_token":"a","token_type":"Bearer"}' },
      },
      _resourceType: 'fetch',
    });
  }
  return JSON.stringify({ log: { version: '1.2', entries } });
}

const PREFIX = 'Qm9ndXMtY29kZS1wcmVmaXg';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

describe('HAR import: the same rules as live capture', () => {
  it('an app reading discovery again after its token keeps it in its launch', () => {
    const har = JSON.parse(
      companionHar([{ state: 'state-one-aaaaaaaaaaaaaaa', code: `${PREFIX}-1`, verifier: VERIFIER }]),
    );
    const again = structuredClone(har.log.entries[0]);
    again.startedDateTime = new Date(Date.parse(har.log.entries.at(-1).startedDateTime) + 500).toISOString();
    har.log.entries.push(again);
    const launches = correlate(importHar(JSON.stringify(har), 'again.har', 'imp'));
    expect(launches.map((l) => l.steps.map((s) => s.kind))).toEqual([
      ['discovery', 'authorize', 'callback', 'token', 'discovery'],
    ]);
  });

  it('callbacks at /launch/auth are callbacks; each launch keeps its own token request', () => {
    const har = companionHar([
      { state: 'state-one-aaaaaaaaaaaaaaa', code: `${PREFIX}-one`, verifier: VERIFIER },
      { state: 'state-two-bbbbbbbbbbbbbbb', code: `${PREFIX}-two`, verifier: VERIFIER },
    ]);
    const launches = correlate(importHar(har, 'two.har', 'imp'));
    expect(launches).toHaveLength(2);
    for (const l of launches) {
      // Each its own discovery too: the tab's second launch reads it again before its authorize.
      expect(l.steps.map((s) => s.kind)).toEqual(['discovery', 'authorize', 'callback', 'token']);
      const callback = l.steps.find((s) => s.kind === 'callback')!;
      const token = l.steps.find((s) => s.kind === 'token')!;
      expect(token.exchange.secretFacts?.codeFingerprint).toBe(
        callback.exchange.secretFacts?.codeFingerprint,
      );
    }
  });

  it('a cancelled sign-in is a failed callback', () => {
    const launches = correlate(
      importHar(companionHar([{ state: 'state-x-ccccccc', verifier: VERIFIER }]), 'c.har', 'i'),
    );
    expect(launches).toHaveLength(1);
    const callback = launches[0]!.steps.find((s) => s.kind === 'callback')!;
    expect([callback.label, callback.failed]).toEqual(['callback error=access_denied', true]);
  });
});

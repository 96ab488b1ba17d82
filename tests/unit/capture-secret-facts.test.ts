import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  type CaptureEvent,
  codeFingerprint,
  devtoolsPayload,
  emptyState,
  formSecretFacts,
  newSecretKey,
  redactEvent,
  secretKeyBytes,
  urlSecretFacts,
  verifierChallenge,
  withSecretFacts,
} from '../../utils/capture';
import { importHar } from '../../utils/har';
import { redactUrl } from '../../utils/redact';

const KEY = new Uint8Array(32).fill(9);
const CODE = 'e6a3c1f0-4b9d-4c1e-8f5a-2d7b9c0e1a36';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const TOKEN = 'https://authorization.cerner.com/tenants/t/protocols/oauth2/profiles/smart-v1/token';
const b64url = (hex: string) =>
  Buffer.from(hex, 'hex').toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

describe('secret facts', () => {
  it('code fingerprints stay the keyed HMAC when codes repeat and many pass', () => {
    const expected = (code: string, key: Uint8Array) =>
      createHmac('sha256', key).update(code).digest('base64url');
    const other = new Uint8Array(32).fill(3);
    const codes = Array.from({ length: 200 }, (_, i) => `${CODE}-${i}`);
    for (const round of [1, 2]) {
      for (const code of [...codes, CODE, codes[0]!]) {
        expect(codeFingerprint(code, KEY), `${round} ${code}`).toBe(expected(code, KEY));
        expect(codeFingerprint(code, other), `${round} ${code}`).toBe(expected(code, other));
      }
    }
  });

  it('verifier challenge is RFC 7636 S256 (appendix B)', () => {
    expect(verifierChallenge(VERIFIER)).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('code fingerprint is HMAC-SHA-256 (RFC 4231 test case 1), base64url', () => {
    const key = new Uint8Array(20).fill(0x0b);
    expect(codeFingerprint('Hi There', key)).toBe(
      b64url('b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'),
    );
  });

  it('depends on the key and on every character of the code', () => {
    const other = secretKeyBytes(newSecretKey())!;
    expect(other).toHaveLength(32);
    expect(codeFingerprint(CODE, KEY)).not.toBe(codeFingerprint(CODE, other));
    expect(codeFingerprint(CODE, KEY)).not.toBe(codeFingerprint(`${CODE.slice(0, -1)}7`, KEY));
  });

  it('keeps the S256 of a plain PKCE challenge (the verifier itself), which redaction masks', () => {
    const authorize = (q: string) => `https://authorization.cerner.com/tenants/t/authorize?client_id=c&${q}`;
    const s256 = verifierChallenge(VERIFIER);
    for (const q of [
      `code_challenge=${VERIFIER}&code_challenge_method=plain`,
      `code_challenge=${VERIFIER}`,
    ]) {
      expect(urlSecretFacts(authorize(q), KEY)).toEqual({ plainChallenge: s256 });
      expect(urlSecretFacts(authorize(q), undefined)).toEqual({ plainChallenge: s256 });
      const masked = redactUrl(authorize(q));
      expect(masked).not.toContain(VERIFIER.slice(3, 15));
      expect(redactUrl(masked)).toBe(masked);
    }
    // Nested in session-api's to=, as Oracle sends it.
    const hop = `https://authorization.cerner.com/session-api/realm/t?to=${encodeURIComponent(authorize(`code_challenge=${VERIFIER}`))}`;
    expect(urlSecretFacts(hop, KEY)).toEqual({ plainChallenge: s256 });
    expect(redactUrl(hop)).not.toContain(VERIFIER.slice(3, 15));
    // S256: the challenge is a hash, public, kept; no fact.
    const s256Url = authorize(`code_challenge=${s256}&code_challenge_method=S256`);
    expect(urlSecretFacts(s256Url, KEY)).toBeUndefined();
    expect(redactUrl(s256Url)).toBe(s256Url);
  });

  it('reads the code of a callback URL and the code and verifier of a token form', () => {
    const url = `https://app.test/launch/auth?state=s&code=${encodeURIComponent(CODE)}`;
    expect(urlSecretFacts(url, KEY)).toEqual({ codeFingerprint: codeFingerprint(CODE, KEY) });
    expect(urlSecretFacts('https://app.test/?state=s', KEY)).toBeUndefined();
    // response_mode=fragment: the code in the fragment, as webNavigation reports the URL.
    expect(urlSecretFacts(`https://app.test/cb?x=1#code=${encodeURIComponent(CODE)}&state=s`, KEY)).toEqual({
      codeFingerprint: codeFingerprint(CODE, KEY),
    });
    expect(urlSecretFacts('https://app.test/cb#section', KEY)).toBeUndefined();
    expect(formSecretFacts({ code: [CODE], code_verifier: [VERIFIER] }, KEY)).toEqual({
      codeFingerprint: codeFingerprint(CODE, KEY),
      verifierChallenge: verifierChallenge(VERIFIER),
    });
    // Without a key only the verifier fact: it needs none.
    expect(formSecretFacts({ code: [CODE], code_verifier: [VERIFIER] }, undefined)).toEqual({
      verifierChallenge: verifierChallenge(VERIFIER),
    });
  });

  it('takes no fact from an already masked value', () => {
    expect(formSecretFacts({ code: ['e6a…[36]'], code_verifier: ['dBj…[43]'] }, KEY)).toBeUndefined();
  });

  it('refuses a malformed stored key', () => {
    expect(secretKeyBytes('short')).toBeUndefined();
    expect(secretKeyBytes(42)).toBeUndefined();
  });
});

describe('facts through the capture pipeline', () => {
  const events: CaptureEvent[] = [
    {
      kind: 'nav-committed',
      tabId: 1,
      frameId: 0,
      url: `https://app.test/launch/auth?code=${CODE}&state=s`,
      timeStamp: 10,
    },
    {
      kind: 'request',
      requestId: 'r1',
      tabId: 1,
      url: TOKEN,
      method: 'POST',
      type: 'xmlhttprequest',
      timeStamp: 20,
      form: { grant_type: ['authorization_code'], code: [CODE], code_verifier: [VERIFIER] },
    },
  ];

  it('stores facts beside masked secrets, never the secrets', () => {
    const state = emptyState();
    for (const e of events) {
      applyEvent(state, redactEvent(withSecretFacts(e, KEY)), {
        redact: true,
        hasHostPermission: () => true,
      });
    }
    const stored = Object.values(state.exchanges);
    const fp = codeFingerprint(CODE, KEY);
    expect(stored.map((e) => e.secretFacts?.codeFingerprint)).toEqual([fp, fp]);
    expect(stored[1]!.secretFacts?.verifierChallenge).toBe(verifierChallenge(VERIFIER));
    const text = JSON.stringify(state);
    expect(text).not.toContain(CODE);
    expect(text).not.toContain(VERIFIER);
  });

  it('the DevTools page sends a token form redacted, with the facts of the raw one', () => {
    const entry = {
      url: TOKEN,
      method: 'POST',
      status: 200,
      startedDateTime: '2026-01-01T00:00:00Z',
      postText: `grant_type=authorization_code&code=${CODE}&code_verifier=${VERIFIER}&client_id=c`,
    };
    const payload = devtoolsPayload(1, entry, '{"access_token":"x"}', false, KEY);
    expect(payload.secretFacts).toEqual({
      codeFingerprint: codeFingerprint(CODE, KEY),
      verifierChallenge: verifierChallenge(VERIFIER),
    });
    expect(payload.form?.client_id).toEqual(['c']);
    expect(JSON.stringify(payload)).not.toContain(CODE);
    // With the user keeping secrets the page sends the raw form; the background masks it for the log.
    const raw = devtoolsPayload(1, entry, '{}', true, KEY);
    const { startedDateTime: _, ...rest } = raw;
    const event = redactEvent({ kind: 'body', ...rest, startedAt: 1 });
    expect(raw.form?.code).toEqual([CODE]);
    expect(JSON.stringify(event)).not.toContain(CODE);
    expect(event.kind === 'body' && event.secretFacts).toEqual(payload.secretFacts);
    // A login form is not sent at all.
    const login = devtoolsPayload(1, { ...entry, postText: 'username=u&password=secret1' }, '', false, KEY);
    expect(login.form).toBeUndefined();
  });
});

describe('facts of an imported HAR', () => {
  const har = readFileSync(new URL('../fixtures/har/chrome-success.har', import.meta.url), 'utf8');

  it('pairs the callback and the token request, and the verifier with the challenge', () => {
    const exchanges = importHar(har, 'success.har', 'imp');
    const callback = exchanges.find((e) => e.url.includes('?code='))!;
    const token = exchanges.find((e) => e.method === 'POST' && e.url.endsWith('/token'))!;
    expect(callback.secretFacts?.codeFingerprint).toMatch(/^[\w-]{43}$/);
    expect(token.secretFacts?.codeFingerprint).toBe(callback.secretFacts?.codeFingerprint);
    expect(token.secretFacts?.verifierChallenge).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('keys fingerprints per import unless given the install key', () => {
    const a = importHar(har, 'a.har', 'a').find((e) => e.secretFacts?.codeFingerprint);
    const b = importHar(har, 'b.har', 'b').find((e) => e.secretFacts?.codeFingerprint);
    expect(a!.secretFacts!.codeFingerprint).not.toBe(b!.secretFacts!.codeFingerprint);
    const c = importHar(har, 'c.har', 'c', KEY).find((e) => e.secretFacts?.codeFingerprint);
    const d = importHar(har, 'd.har', 'd', KEY).find((e) => e.secretFacts?.codeFingerprint);
    expect(c!.secretFacts!.codeFingerprint).toBe(d!.secretFacts!.codeFingerprint);
  });
});

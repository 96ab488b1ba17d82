import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../utils/model';
import { redactBodyText, redactExchange, redactForm, redactHeaderValue, redactUrl } from '../../utils/redact';

/*
 * Properties: wherever a secret is placed (query, fragment, nested `to=` encoded 1–3 times, form,
 * JSON body, header), neither it nor any percent-encoding of it survives; redaction is idempotent;
 * nothing throws on arbitrary input.
 */

const secret = fc.stringMatching(/^[A-Za-z0-9._~-]{16,64}$/);
const secretName = fc.constantFrom(
  'code',
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'client_assertion',
  'code_verifier',
  'password',
  'Code',
  'CLIENT_SECRET',
);
const plainValue = fc.stringMatching(/^[a-z0-9]{0,12}$/);
const enc = encodeURIComponent;

function encodeTimes(value: string, times: number): string {
  let v = value;
  for (let i = 0; i < times; i++) v = enc(v);
  return v;
}

function leaks(output: string, s: string): boolean {
  return [s, enc(s), enc(enc(s)), enc(enc(enc(s)))].some((form) => output.includes(form));
}

describe('redaction properties', () => {
  it('never lets a secret through a URL, however deeply nested', () => {
    fc.assert(
      fc.property(
        secret,
        secretName,
        plainValue,
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        (s, name, other, nesting, inFragment) => {
          const inner = `https://app.example/cb?state=${other}&${name}=${enc(s)}`;
          const url =
            nesting === 0
              ? inFragment
                ? `https://app.example/cb#${name}=${enc(s)}&x=${other}`
                : inner
              : `https://authorization.cerner.com/session-api/realm/t?to=${encodeTimes(inner, nesting)}&forceAuthn=true`;
          const out = redactUrl(url);
          expect(leaks(out, s)).toBe(false);
          expect(redactUrl(out)).toBe(out);
        },
      ),
    );
  });

  it('never lets a secret through forms, JSON bodies and headers', () => {
    fc.assert(
      fc.property(secret, secretName, plainValue, (s, name, other) => {
        const form = redactForm({ grant_type: ['authorization_code'], [name]: [s], client_id: [other] });
        expect(JSON.stringify(form)).not.toContain(s);
        const json = redactBodyText(JSON.stringify({ nested: { [name]: s }, list: [{ [name]: s }], other }));
        expect(json).not.toContain(s);
        expect(redactBodyText(json)).toBe(json);
        for (const scheme of ['Bearer', 'Basic']) {
          expect(redactHeaderValue('Authorization', `${scheme} ${s}`)).not.toContain(s);
        }
        const text = redactBodyText(`<p>${name}=${s}</p>`, 'text/html');
        expect(text).not.toContain(s);
        expect(redactBodyText(text, 'text/html')).toBe(text);
      }),
    );
  });

  it('is idempotent and total on arbitrary strings', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300 }),
        fc.constantFrom('', 'application/json', 'text/html'),
        (s, mime) => {
          const u = redactUrl(s);
          expect(redactUrl(u)).toBe(u);
          const b = redactBodyText(s, mime);
          expect(redactBodyText(b, mime)).toBe(b);
        },
      ),
    );
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        const u = redactUrl(url);
        expect(redactUrl(u)).toBe(u);
      }),
    );
  });

  it('redacts whole exchanges idempotently', () => {
    fc.assert(
      fc.property(secret, (s) => {
        const ex: Exchange = {
          id: 'webRequest:1:0',
          source: 'webRequest',
          hop: 0,
          tabId: 1,
          type: 'fetch',
          method: 'POST',
          url: `https://a.example/token?client_secret=${s}`,
          rewrittenFrom: `https://a.example/token?client_secret=${s}&forceAuthn=true`,
          location: `https://app/cb?code=${s}`,
          startedAt: 0,
          phase: 'complete',
          responseHeaders: { location: `https://app/cb?code=${s}` },
          form: { code: [s], grant_type: ['authorization_code'] },
          body: { text: JSON.stringify({ access_token: s }), truncated: false },
        };
        const once = redactExchange(ex);
        expect(JSON.stringify(once)).not.toContain(s);
        expect(redactExchange(once)).toEqual(once);
      }),
    );
  });
});

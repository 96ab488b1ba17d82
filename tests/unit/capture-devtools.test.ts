import { describe, expect, it } from 'vitest';
import { bodyWanted, decodeDevtoolsBody, devtoolsPayload, readContent } from '../../utils/capture';
import { MAX_BODY_BYTES } from '../../utils/redact';
import { forgetMaskedSecrets } from '../../utils/redact/mask';

const TOKEN = 'https://authorization.cerner.com/tenants/t/hosts/h/protocols/oauth2/profiles/smart-v1/token';

describe('bodyWanted', () => {
  it.each([
    [{ url: TOKEN, method: 'POST', status: 200 }, true],
    [
      {
        url: 'https://idp.example/oauth/exchange',
        method: 'POST',
        status: 200,
        postText: 'grant_type=x&code=y',
      },
      true,
    ],
    [
      {
        url: 'https://fhir-ehr-code.cerner.com/r4/t/.well-known/smart-configuration',
        method: 'GET',
        status: 200,
      },
      true,
    ],
    [{ url: 'https://fhir-ehr-code.cerner.com/r4/t/Patient/1', method: 'GET', status: 403 }, true],
    [{ url: 'https://fhir-ehr-code.cerner.com/r4/t/Patient/1', method: 'GET', status: 200 }, false],
    [
      {
        url: 'https://authorization.cerner.com/errors/urn%3Acerner%3Aerror/instances/1',
        method: 'GET',
        status: 200,
      },
      true,
    ],
    [{ url: 'https://authorization.cerner.com/session-api/realm/t?to=x', method: 'GET', status: 400 }, true],
    [{ url: 'http://localhost:4173/assets/app.js', method: 'GET', status: 404 }, false],
    [{ url: 'https://news.example/', method: 'GET', status: 500 }, false],
  ])('%j → %s', (entry, expected) => {
    expect(bodyWanted(entry)).toBe(expected);
  });
});

describe('devtoolsPayload', () => {
  const entry = {
    url: `${TOKEN}?code=SecretCodeValue123456`,
    method: 'POST',
    status: 200,
    startedDateTime: '2026-01-01T00:00:00Z',
    mimeType: 'application/json',
  };
  const body = JSON.stringify({
    access_token: 'SecretAccessToken123456',
    padding: 'x'.repeat(MAX_BODY_BYTES),
  });
  it('bounds and redacts by default', () => {
    const p = devtoolsPayload(4, entry, body, false);
    expect(p.text).not.toContain('SecretAccessToken123456');
    expect(p.url).not.toContain('SecretCodeValue123456');
    expect(new TextEncoder().encode(p.text).length).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(p.tabId).toBe(4);
  });
  it("an error page that echoes the token request's code: masked there, as in the form", () => {
    forgetMaskedSecrets();
    const p = devtoolsPayload(
      4,
      {
        ...entry,
        url: TOKEN,
        status: 400,
        mimeType: 'text/html',
        postText: 'grant_type=authorization_code&code=EchoedCodeValue98765&redirect_uri=x',
      },
      '<p>The authorization code EchoedCodeValue98765 was already used.</p>',
      false,
    );
    expect(p.form?.code).toEqual(['Ech…[20]']);
    expect(p.text).toBe('<p>The authorization code Ech…[20] was already used.</p>');
  });

  it('keeps secrets only when the user opted in', () => {
    const p = devtoolsPayload(4, entry, '{"access_token":"SecretAccessToken123456"}', true);
    expect(p.text).toContain('SecretAccessToken123456');
  });
  it('a token request sent as JSON: its fields travel as the form, redacted, marked JSON', () => {
    const json = JSON.stringify({
      grant_type: 'authorization_code',
      code: 'SecretCodeValue123456',
      code_verifier: 'SecretVerifierValue1234567890',
    });
    const p = devtoolsPayload(4, { ...entry, postText: json }, '{}', false);
    expect(p.formFormat).toBe('json');
    expect(p.form?.grant_type).toEqual(['authorization_code']);
    expect(JSON.stringify(p.form)).not.toMatch(/SecretCodeValue|SecretVerifierValue/);
    // The verifier's challenge (no key needed) lets PKCE be checked as for a form.
    expect(p.secretFacts?.verifierChallenge).toMatch(/^[\w-]{43}$/);
    const form = devtoolsPayload(
      4,
      { ...entry, postText: 'grant_type=authorization_code&code=x' },
      '{}',
      false,
    );
    expect(form.formFormat).toBeUndefined();
    expect(form.form?.grant_type).toEqual(['authorization_code']);
  });
  it('decodes base64 text and refuses binary', () => {
    expect(decodeDevtoolsBody(btoa('{"a":1}'), 'base64')).toBe('{"a":1}');
    expect(decodeDevtoolsBody(btoa('\xff\xfe\x00'), 'base64')).toBeUndefined();
    expect(decodeDevtoolsBody('plain', '')).toBe('plain');
  });
});

describe('readContent', () => {
  it("reads Chrome's callback form", async () => {
    const request = {
      getContent: (cb: unknown) => (cb as (c: string, e: string) => void)('{"a":1}', ''),
    };
    await expect(readContent(request)).resolves.toEqual({ content: '{"a":1}', encoding: '' });
  });

  it('reads the promise form of a wrapper that refuses callbacks (webextension-polyfill)', async () => {
    const request = {
      getContent: (...args: unknown[]) => {
        if (args.length > 0)
          throw new Error(`Expected at most 0 arguments for getContent(), got ${args.length}`);
        return Promise.resolve(['eyJhIjoxfQ==', 'base64']);
      },
    };
    await expect(readContent(request)).resolves.toEqual({ content: 'eyJhIjoxfQ==', encoding: 'base64' });
  });

  it('reads a promise returned alongside an unused callback (Firefox)', async () => {
    const request = { getContent: () => Promise.resolve(['body', 'utf-8']) };
    await expect(readContent(request)).resolves.toEqual({ content: 'body', encoding: 'utf-8' });
  });

  it('gives null content when there is none, and passes errors on', async () => {
    await expect(readContent({ getContent: () => Promise.resolve([null, '']) })).resolves.toEqual({
      content: null,
      encoding: '',
    });
    const failing = {
      getContent: (...args: unknown[]) => {
        if (args.length) throw new Error('no callbacks');
        return Promise.reject(new Error('request gone'));
      },
    };
    await expect(readContent(failing)).rejects.toThrow('request gone');
  });
});

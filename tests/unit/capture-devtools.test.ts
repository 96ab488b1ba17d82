import { describe, expect, it } from 'vitest';
import { bodyWanted, decodeDevtoolsBody, devtoolsPayload } from '../../utils/capture';
import { MAX_BODY_BYTES } from '../../utils/redact';

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
  it('keeps secrets only when the user opted in', () => {
    const p = devtoolsPayload(4, entry, '{"access_token":"SecretAccessToken123456"}', true);
    expect(p.text).toContain('SecretAccessToken123456');
  });
  it('decodes base64 text and refuses binary', () => {
    expect(decodeDevtoolsBody(btoa('{"a":1}'), 'base64')).toBe('{"a":1}');
    expect(decodeDevtoolsBody(btoa('\xff\xfe\x00'), 'base64')).toBeUndefined();
    expect(decodeDevtoolsBody('plain', '')).toBe('plain');
  });
});

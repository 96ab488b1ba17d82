import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSmartConfig } from '../../utils/smart/smart-config';
import { parseTokenBody } from '../../utils/smart/token-response';

describe('parseTokenBody', () => {
  it('accepts an Oracle token response and lists unknown fields', () => {
    const r = parseTokenBody(
      JSON.stringify({
        access_token: 'eyJ…[900]',
        token_type: 'Bearer',
        expires_in: 570,
        scope: 'launch openid',
        patient: '1',
        need_patient_banner: true,
        tenant: 't',
        user: 'u',
        username: 'portal',
        x_custom: 1,
      }),
    );
    expect(r.kind).toBe('token');
    if (r.kind === 'token') {
      expect(r.value.expires_in).toBe(570);
      expect(r.unknownFields).toEqual(['x_custom']);
    }
  });
  it('recognises OAuth error bodies', () => {
    expect(parseTokenBody('{"error":"invalid_grant","error_uri":"https://x/errors/urn"}')).toEqual({
      kind: 'error',
      value: { error: 'invalid_grant', error_uri: 'https://x/errors/urn' },
    });
  });
  it.each([
    [undefined, 'empty body'],
    ['', 'empty body'],
    ['<html>', 'not JSON'],
    ['{"access_token":1,"token_type":"Bearer"}', 'access_token'],
    ['{"token_type":"Bearer"}', 'access_token'],
    ['{"access_token":"a","token_type":"Bearer","expires_in":"570"}', 'expires_in'],
  ])('explains a bad body %s', (text, message) => {
    const r = parseTokenBody(text);
    expect(r.kind).toBe('invalid');
    if (r.kind === 'invalid') expect(r.error).toContain(message);
  });
  it('never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (t) => void parseTokenBody(t)),
      { numRuns: 300 },
    );
  });
});

describe('parseSmartConfig', () => {
  it('reads what analysis needs and tolerates junk', () => {
    expect(
      parseSmartConfig('{"code_challenge_methods_supported":["S256"],"extra":1}')
        ?.code_challenge_methods_supported,
    ).toEqual(['S256']);
    expect(parseSmartConfig('nope')).toBeUndefined();
    expect(parseSmartConfig('{"scopes_supported":"launch"}')).toBeUndefined();
  });
});

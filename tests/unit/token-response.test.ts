import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSmartConfig } from '../../utils/smart/smart-config';
import { bySchemas, parseTokenBody, tokenResponseSchema } from '../../utils/smart/token-response';

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
    ['{"access_token":"a","token_type":"Bearer","expires_in":"soon"}', 'expires_in'],
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

describe('parseTokenBody without the schemas', () => {
  it('answers as the schemas do, field order included, for bodies of every shape', () => {
    const key = fc.constantFrom(
      ...Object.keys(tokenResponseSchema.shape),
      'error',
      'error_description',
      'error_uri',
      'x_custom',
      'zz',
      '__proto__',
    );
    const value = fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.constant(''),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.integer(), { maxLength: 2 }),
      fc.dictionary(fc.string({ maxLength: 2 }), fc.integer(), { maxKeys: 2 }),
    );
    const pairs = fc.array(fc.tuple(key, value), { maxLength: 8 });
    const withBase = (base: Record<string, unknown>) =>
      fc.tuple(pairs, fc.boolean()).map(([extra, first]) => {
        const all = first ? [...Object.entries(base), ...extra] : [...extra, ...Object.entries(base)];
        return `{${all.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
      });
    const body = fc.oneof(
      withBase({ access_token: 'a', token_type: 'Bearer' }),
      withBase({ error: 'invalid_grant' }),
      fc
        .array(fc.tuple(key, value), { maxLength: 8 })
        .map((pairs) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`),
      fc.constantFrom(
        '[]',
        'null',
        '1',
        '"x"',
        '{"access_token":"a","token_type":"b","expires_in":1.5,"fhirContext":[{"a":1}]}',
      ),
    );
    fc.assert(
      fc.property(body, (text) => {
        expect(JSON.stringify(parseTokenBody(text))).toBe(JSON.stringify(bySchemas(JSON.parse(text))));
        expect(parseTokenBody(text)).toEqual(bySchemas(JSON.parse(text)));
      }),
      { numRuns: 3000 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  collectWarnings,
  decodeComponent,
  decodeUrl,
  findParamDeep,
  findParamValueDeep,
  getParam,
  hasParam,
  lazyDecodeUrl,
  MAX_NESTING_DEPTH,
  MAX_PARAMS,
  MAX_VALUE_CHARS,
  nestedUrl,
  originOf,
  parseQuery,
  splitUrl,
} from '../../utils/url';
import { formFromPairs } from '../../utils/url/query';

const AUTHORIZE =
  'https://authorization.cerner.com/tenants/ec2458f2-1e24-41c8-b71b-0e701af7583d/protocols/oauth2/profiles/smart-v1/personas/provider/authorize' +
  '?response_type=code&client_id=abc&scope=launch%20patient%2FPatient.read&redirect_uri=' +
  encodeURIComponent('https://app.example/cb?x=1') +
  '&state=s1&aud=' +
  encodeURIComponent('https://fhir-ehr-code.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d');

describe('decodeComponent', () => {
  it.each([
    ['plain', 'plain', undefined],
    ['a+b', 'a b', undefined],
    ['%41%42', 'AB', undefined],
    ['caf%C3%A9', 'café', undefined],
    ['100%', '100%', 'stray'],
    ['%E0%A4%A', '%E0%A4%A', 'stray'],
    ['ok%20then%ZZ', 'ok then%ZZ', 'stray'],
    ['%C3%28x%41', '%C3%28xA', 'not valid UTF-8'],
  ])('%s → %s', (raw, value, warning) => {
    const d = decodeComponent(raw);
    expect(d.value).toBe(value);
    if (warning) expect(d.warning).toContain(warning);
    else expect(d.warning).toBeUndefined();
  });
});

describe('splitUrl / originOf', () => {
  it('splits absolute URLs, lower-cases the host, drops userinfo', () => {
    const p = splitUrl('HTTPS://user:pw@Example.COM:8443/a/b?x=1#frag');
    expect(p).toEqual({
      scheme: 'https',
      host: 'example.com:8443',
      path: '/a/b',
      query: 'x=1',
      fragment: 'frag',
      base: 'https://example.com:8443/a/b',
    });
    expect(originOf('http://127.0.0.1:5173/cb?code=1')).toBe('http://127.0.0.1:5173');
    expect(originOf('/relative?x')).toBe('');
  });
});

describe('parseQuery', () => {
  it('keeps order, repeats and empty values', () => {
    expect(parseQuery('a=1&b&a=2&&c=').params).toEqual([
      { name: 'a', value: '1' },
      { name: 'b', value: '', bare: true },
      { name: 'a', value: '2' },
      { name: 'c', value: '' },
    ]);
  });
  it('a raw "+" in an opaque value (state, nonce, code, code_challenge) is read as a space, and says so', () => {
    const [state, scope] = parseQuery('state=ab+c/d%3D%3D&scope=launch+openid').params;
    expect(state).toMatchObject({ name: 'state', value: 'ab c/d==' });
    expect(state!.warnings).toEqual([expect.stringMatching(/^a raw "\+" is read as a space .* %2B/)]);
    // A space written as "+" where spaces belong (a scope list) is form encoding as meant.
    expect(scope).toEqual({ name: 'scope', value: 'launch openid' });
    expect(parseQuery('state=ab%2Bc').params[0]).toEqual({ name: 'state', value: 'ab+c' });
  });
  it('bounds the number of parameters and the size of values', () => {
    const many = Array.from({ length: MAX_PARAMS + 5 }, (_, i) => `p${i}=${i}`).join('&');
    const r = parseQuery(many);
    expect(r.params).toHaveLength(MAX_PARAMS);
    expect(r.warnings[0]).toContain(String(MAX_PARAMS));
    const big = parseQuery(`x=${'a'.repeat(MAX_VALUE_CHARS + 10)}`).params[0]!;
    expect(big.value).toHaveLength(MAX_VALUE_CHARS);
    expect(big.warnings?.[0]).toContain('cut');
  });
});

describe('decodeUrl', () => {
  it('decodes an authorize URL and expands URL-valued parameters', () => {
    const d = decodeUrl(AUTHORIZE);
    expect(d.host).toBe('authorization.cerner.com');
    expect(d.length).toBe(AUTHORIZE.length);
    expect(getParam(d, 'scope')).toBe('launch patient/Patient.read');
    expect(getParam(nestedUrl(d, 'redirect_uri'), 'x')).toBe('1');
    expect(nestedUrl(d, 'aud')?.path).toBe('/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d');
  });

  it('expands a double-encoded to= on the session-api hop and notes it', () => {
    const inner = `${AUTHORIZE}&initialRequestId=7d1c&isForceAuthn=true`;
    const url = `https://authorization.cerner.com/session-api/realm/ec24?to=${encodeURIComponent(encodeURIComponent(inner))}&forceAuthn=true`;
    const d = decodeUrl(url);
    const to = d.params.find((p) => p.name === 'to')!;
    expect(to.value).toBe(inner);
    expect(to.warnings).toEqual(['value was percent-encoded 2 times']);
    expect(getParam(to.nested, 'isForceAuthn')).toBe('true');
    expect(findParamDeep(d, 'state')).toEqual({ param: { name: 'state', value: 's1' }, path: ['to'] });
    expect(getParam(d, 'forceAuthn')).toBe('true');
  });

  it('keeps invalid percent-encoding raw with a warning', () => {
    const d = decodeUrl('https://x.test/cb?code=ab%ZZ&state=%E0%A4');
    expect(getParam(d, 'code')).toBe('ab%ZZ');
    expect(collectWarnings(d)).toHaveLength(2);
  });

  it('stops expanding at the depth bound', () => {
    let url = 'https://x.test/end?k=v';
    for (let i = 0; i < MAX_NESTING_DEPTH + 3; i++) url = `https://x.test/${i}?to=${encodeURIComponent(url)}`;
    const d = decodeUrl(url);
    let level = d;
    let depth = 0;
    while (level.params[0]?.nested) {
      level = level.params[0].nested;
      depth++;
    }
    expect(depth).toBe(MAX_NESTING_DEPTH);
    expect(level.params[0]?.warnings?.[0]).toContain('nesting deeper');
  });

  it('never throws and reports the length on arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.webUrl({ withQueryParameters: true, withFragments: true })),
        (s) => {
          const d = decodeUrl(s);
          expect(d.length).toBe(s.length);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('round-trips encoded parameter values', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), fc.string()), (obj) => {
        const q = Object.entries(obj)
          .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
          .join('&');
        const d = decodeUrl(`https://h.test/p?${q}`);
        for (const [k, v] of Object.entries(obj)) {
          const p = d.params.find((x) => x.name === k)!;
          // URL-like values may be re-decoded when they still look encoded; the raw text stays reachable.
          if (!/^https?:\/\//i.test(v) && !(v.startsWith('/') && v.includes('?'))) expect(p.value).toBe(v);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a lazily decoded URL answers every lookup as the decoded one does, before and after its parameters are read', () => {
    const name = fc.constantFrom('state', 'to', 'code', 'st%61te', 'a+b', 'a b', '', 'x', '%', 'state=');
    const raw = fc.oneof(
      fc.constantFrom(
        'v',
        '',
        'a+b',
        '100%',
        '%E0%A4',
        encodeURIComponent(AUTHORIZE),
        encodeURIComponent(encodeURIComponent(AUTHORIZE)),
        encodeURIComponent(encodeURIComponent(encodeURIComponent(encodeURIComponent(AUTHORIZE)))),
        '/p%3Fx%3D1',
        'https://h.test/?to=https%3A%2F%2Fi.test%2F%3Fstate%3Ds2',
      ),
      fc.string(),
    );
    const pair = fc.oneof(
      fc.tuple(name, raw).map(([n, v]) => `${n}=${v}`),
      name,
      fc.constant(''),
    );
    const url = fc
      .tuple(fc.array(pair, { maxLength: 8 }), fc.constantFrom('', '#frag'))
      .map(([pairs, frag]) => `https://H.test/p?${pairs.join('&')}${frag}`);
    const names = fc.array(fc.oneof(name, fc.string({ maxLength: 3 })), { maxLength: 12 });
    fc.assert(
      fc.property(url, names, (u, asked) => {
        const eager = decodeUrl(u);
        const lazy = lazyDecodeUrl(u);
        const same = (n: string) => {
          expect(getParam(lazy, n)).toBe(getParam(eager, n));
          expect(hasParam(lazy, n)).toBe(hasParam(eager, n));
          expect(JSON.stringify(nestedUrl(lazy, n))).toBe(JSON.stringify(nestedUrl(eager, n)));
          expect(findParamValueDeep(lazyDecodeUrl(u), n)).toBe(findParamDeep(eager, n)?.param.value);
          expect(JSON.stringify(findParamDeep(lazy, n))).toBe(JSON.stringify(findParamDeep(eager, n)));
        };
        for (const n of asked) same(n);
        for (const n of asked) same(n); // remembered answers
        expect(JSON.stringify(lazy)).toBe(JSON.stringify(eager));
        for (const n of asked) same(n); // after the parameters were decoded
      }),
      { numRuns: 1000 },
    );
  });

  it('a lazily decoded URL past the parameter bound answers as the decoded one does', () => {
    const many = Array.from({ length: MAX_PARAMS + 2 }, (_, i) => `p${i}=${i}`).join('&');
    for (const q of [many, `${many}&state=s`, `=x&${many}`]) {
      const u = `https://h.test/p?${q}`;
      for (const n of ['p0', `p${MAX_PARAMS - 1}`, `p${MAX_PARAMS}`, 'state', '']) {
        expect(getParam(lazyDecodeUrl(u), n)).toBe(getParam(decodeUrl(u), n));
        expect(hasParam(lazyDecodeUrl(u), n)).toBe(hasParam(decodeUrl(u), n));
        expect(findParamDeep(lazyDecodeUrl(u), n)).toEqual(findParamDeep(decodeUrl(u), n));
      }
      expect(JSON.stringify(lazyDecodeUrl(u))).toBe(JSON.stringify(decodeUrl(u)));
    }
  });
});

describe('formFromPairs', () => {
  it('groups values by name in order; a field named __proto__ is a field; none is undefined', () => {
    expect(formFromPairs([{ name: 'a', value: '1' }, { name: 'b' }, { name: 'a', value: '2' }])).toEqual({
      a: ['1', '2'],
      b: [''],
    });
    const hostile = formFromPairs(parseQuery('__proto__=x&code=c').params)!;
    expect(Object.keys(hostile)).toEqual(['__proto__', 'code']);
    expect(Object.getOwnPropertyDescriptor(hostile, '__proto__')?.value).toEqual(['x']);
    expect(Object.getPrototypeOf(hostile)).toBe(Object.prototype);
    expect(formFromPairs([])).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import {
  cookieSummary,
  isMasked,
  mask,
  maskJwtSignature,
  redactBodyText,
  redactForm,
  redactHeaderValue,
  redactText,
  redactUrl,
  setCookieName,
  truncateUtf8,
} from '../../utils/redact';
import { decodeUrl, findParamDeep } from '../../utils/url';

const SECRET = 'SplxlOBeZQQYbYS6WxSbIA';
const enc = encodeURIComponent;

describe('mask', () => {
  it.each([
    ['abcdefghijklmnopqrstuvwxyz0123456789', 'abc…[36]'],
    ['short', '…[5]'],
    ['', '…[0]'],
    ['abc…[36]', 'abc…[36]'],
    ['…[5]', '…[5]'],
  ])('%s → %s', (input, expected) => {
    expect(mask(input)).toBe(expected);
    expect(isMasked(mask(input))).toBe(true);
  });
});

describe('redactUrl', () => {
  const cases: Array<[string, string, string[]]> = [
    [
      'callback code',
      `https://app.example/cb?code=${SECRET}&state=st-1`,
      ['state=st-1', 'Spl%E2%80%A6%5B22%5D'],
    ],
    [
      'fragment token',
      `https://app.example/cb#access_token=${SECRET}&token_type=Bearer`,
      ['token_type=Bearer'],
    ],
    ['password in query', `https://idp.example/login?user=x&password=${SECRET}`, ['user=x']],
    [
      'code inside to=, encoded once',
      `https://authorization.cerner.com/session-api/realm/t?to=${enc(`https://app.example/cb?code=${SECRET}&state=s`)}&forceAuthn=true`,
      ['forceAuthn=true', 'state%3Ds'],
    ],
    [
      'code inside redirect_uri, encoded twice',
      `https://x.example/a?to=${enc(enc(`https://app.example/cb?code=${SECRET}`))}`,
      [],
    ],
    [
      'jwt in path',
      `https://x.example/t/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.${SECRET}`,
      ['eyJzdWIiOiIxIn0.'],
    ],
    ['case-insensitive name', `https://x.example/?Client_Secret=${SECRET}`, ['Client_Secret=']],
    // A server that appends `?code=` to a redirect URI that has a query already.
    [
      'code after a second ?',
      `https://app.example/cb?x=1?code=${SECRET}&state=s`,
      ['cb?x=1?code=Spl', '&state=s'],
    ],
    [
      'a JWT before the second ?, a code after it',
      `https://app.example/cb?x=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.${SECRET}?code=${SECRET}`,
      ['eyJzdWIiOiIxIn0.', '?code=Spl'],
    ],
    ['code after ??', `https://app.example/cb??code=${SECRET}&state=s`, ['cb??code=Spl', '&state=s']],
    [
      'a second ? inside to=',
      `https://authorization.cerner.com/s?to=${enc(`https://app.example/cb?x=1?code=${SECRET}&state=s`)}`,
      [],
    ],
    [
      'an unencoded URL as a value',
      `https://a.example/x?redirect_uri=https://b/cb?code=${SECRET}`,
      ['redirect_uri=https://b/cb?code=Spl'],
    ],
  ];
  it.each(cases)('%s', (_name, url, kept) => {
    const out = redactUrl(url);
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain(enc(SECRET));
    for (const k of kept) expect(out).toContain(k);
    expect(redactUrl(out)).toBe(out);
  });

  it('one-time codes and tickets of sign-in steps are masked; codes that are no credentials are kept', () => {
    const names = ['authCode', 'auth_code', 'mfa_code', 'verification_code', 'SAMLart', 'ticket', 'code[]'];
    const out = redactUrl(
      `https://idp.example/step?${names.map((n) => `${n}=${SECRET}`).join('&')}&error_code=E42&country_code=US`,
    );
    expect(out).not.toContain(SECRET);
    expect(out).toContain('error_code=E42&country_code=US');
  });

  it('keeps a URL without secrets byte for byte', () => {
    expect(redactUrl('https://a/search?q=what?&state=1?2')).toBe('https://a/search?q=what?&state=1?2');
    const url = `https://authorization.cerner.com/tenants/t/authorize?response_type=code&scope=launch%20openid&redirect_uri=${enc('https://app/cb?x=1')}&state=abc&aud=${enc('https://fhir/r4/t')}`;
    expect(redactUrl(url)).toBe(url);
  });

  it('keeps the nested structure decodable', () => {
    const inner = `https://app.example/cb?code=${SECRET}&state=s9`;
    const out = redactUrl(`https://a.example/x?to=${enc(inner)}`);
    const found = findParamDeep(decodeUrl(out), 'code');
    expect(found?.path).toEqual(['to']);
    expect(found?.param.value).toBe('Spl…[22]');
    expect(findParamDeep(decodeUrl(out), 'state')?.param.value).toBe('s9');
  });

  it('does not throw on broken percent-encoding', () => {
    expect(() => redactUrl('https://x/?code=%E0%A4%A&to=%zz')).not.toThrow();
    expect(redactUrl('https://x/?code=%E0%A4%A')).not.toContain('%E0%A4%A');
  });
});

describe('redactForm', () => {
  it('scans a field name that is a whole body (JSON read as a form) like a body', () => {
    const body = `{"grant_type":"authorization_code","code":"${SECRET}","client_id":"app"}`;
    const out = redactForm({ [body]: [''] });
    expect(JSON.stringify(out)).not.toContain(SECRET);
    expect(Object.keys(out)[0]).toContain('"client_id":"app"');
  });
  it('masks only secrets in a token request', () => {
    const out = redactForm({
      grant_type: ['authorization_code'],
      code: [SECRET],
      code_verifier: [SECRET],
      client_id: ['my-app'],
      redirect_uri: ['https://app/cb'],
    });
    expect(out.grant_type).toEqual(['authorization_code']);
    expect(out.client_id).toEqual(['my-app']);
    expect(out.code).toEqual(['Spl…[22]']);
    expect(out.code_verifier).toEqual(['Spl…[22]']);
  });
  it('masks every field of a login form except protocol context', () => {
    const out = redactForm({ j_username: ['portal'], j_password: ['portal'], csrf: [SECRET], state: ['s'] });
    expect(out).toEqual({ j_username: ['…[6]'], j_password: ['…[6]'], csrf: ['Spl…[22]'], state: ['s'] });
  });
});

describe('bodies', () => {
  const idToken = `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwb3J0YWwiLCJhdWQiOiJhcHAifQ.${SECRET}`;
  it('token response: masks tokens, keeps id_token claims and other fields', () => {
    const body = JSON.stringify({
      access_token: SECRET,
      refresh_token: `${SECRET}x`,
      id_token: idToken,
      token_type: 'Bearer',
      scope: 'launch openid',
      patient: '12724066',
    });
    const out = JSON.parse(redactBodyText(body, 'application/json'));
    expect(out.access_token).toBe('Spl…[22]');
    expect(out.refresh_token).toBe('Spl…[23]');
    expect(out.id_token).toBe('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwb3J0YWwiLCJhdWQiOiJhcHAifQ.Spl…[22]');
    expect(out.patient).toBe('12724066');
    expect(out.scope).toBe('launch openid');
  });
  it('a value rewritten by redaction keeps the way the request wrote its spaces', () => {
    expect(redactUrl(`https://app/cb?error_description=Code+${SECRET}+is+invalid&state=s`)).toBe(
      'https://app/cb?error_description=Code+Spl%E2%80%A6%5B22%5D+is+invalid&state=s',
    );
    expect(redactUrl(`https://app/cb?error_description=Code%20${SECRET}%20is%20invalid`)).toBe(
      'https://app/cb?error_description=Code%20Spl%E2%80%A6%5B22%5D%20is%20invalid',
    );
  });
  it('an id_token in a URL (query, fragment, inside to=) keeps its claims as in a token response', () => {
    const claims = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwb3J0YWwiLCJhdWQiOiJhcHAifQ';
    const cb = `https://app/cb?id_token=${idToken}&state=s`;
    for (const url of [cb, `https://app/cb#id_token=${idToken}&state=s`, `https://as/x?to=${enc(cb)}`]) {
      const out = redactUrl(url);
      expect(out).not.toContain(SECRET);
      let read = out;
      for (let i = 0; i < 3; i++) read = decodeURIComponent(read);
      expect(read).toContain(`id_token=${claims}.Spl…[22]&state=s`);
    }
    // Not a JWT: masked whole, as before.
    expect(redactUrl(`https://app/cb?id_token=${SECRET}`)).toBe(
      'https://app/cb?id_token=Spl%E2%80%A6%5B22%5D',
    );
  });
  it.each([
    ['html link', `<a href="https://app/cb?code=${SECRET}&amp;state=x">back</a>`, 'text/html'],
    ['json-like text', `{"access_token": "${SECRET}", "trunc`, 'application/json'],
    ['bearer', `Authorization: Bearer ${SECRET}`, 'text/plain'],
    ['form body', `grant_type=authorization_code&code=${SECRET}`, 'application/x-www-form-urlencoded'],
    ['encoded nested in text', `to=${enc(enc(`https://a/cb?x=1&code=${SECRET}&s=2`))}`, 'text/html'],
    ['jwt in text', `token is ${idToken}.`, 'text/plain'],
  ])('%s', (_n, text, mime) => {
    const out = redactBodyText(text, mime);
    expect(out).not.toContain(SECRET);
    expect(redactBodyText(out, mime)).toBe(out);
  });
  it('free text keeps ordinary words', () => {
    expect(redactText('Bad Request: session already exists')).toBe('Bad Request: session already exists');
  });
  it('jwt signature mask', () => {
    expect(maskJwtSignature('not-a-jwt')).toBeUndefined();
    expect(maskJwtSignature(maskJwtSignature(idToken)!)).toBe(maskJwtSignature(idToken));
  });
  it('truncates on a character boundary', () => {
    const r = truncateUtf8('ééé', 3);
    expect(r).toEqual({ text: 'é', truncated: true });
  });
});

describe('headers', () => {
  it.each([
    ['Authorization', `Basic ${btoa('client:secretsecret')}`, 'Basic Y2x…[28]'],
    ['Authorization', `Bearer ${SECRET}`, 'Bearer Spl…[22]'],
    ['Location', `https://app/cb?code=${SECRET}&state=1`, 'https://app/cb?code=Spl%E2%80%A6%5B22%5D&state=1'],
    ['Cerner-Correlation-Id', 'c0ffee-1', 'c0ffee-1'],
    // API keys and tokens under the names gateways and APIs give them.
    ['Ocp-Apim-Subscription-Key', SECRET, 'Spl…[22]'],
    ['Private-Token', SECRET, 'Spl…[22]'],
    ['X-Auth', SECRET, 'Spl…[22]'],
    ['X-Amzn-Oidc-Accesstoken', SECRET, 'Spl…[22]'],
    ['Authentication', `Token ${SECRET}`, 'Token Spl…[22]'],
    ['Sec-Fetch-Mode', 'navigate', 'navigate'],
  ])('%s', (name, value, expected) => {
    expect(redactHeaderValue(name, value)).toBe(expected);
  });
  it('summarises cookies without values', () => {
    const s = cookieSummary(`a=1; cloud-session-iframe=${SECRET}; b`);
    expect(s).toEqual({ count: 3, bytes: 51, names: ['a', 'cloud-session-iframe', 'b'] });
    expect(JSON.stringify(s)).not.toContain(SECRET);
    expect(setCookieName(`sid=${SECRET}; Path=/; Secure`)).toBe('sid');
  });
});

describe('auth schemes in free text', () => {
  it('masks a bearer or basic credential, padding included, but not the parameters of a challenge', () => {
    const challenge =
      'Bearer realm="fhir-ehr-code.cerner.com", error="invalid_token", error_description="The access token expired"';
    expect(redactHeaderValue('WWW-Authenticate', challenge)).toBe(challenge);
    expect(redactHeaderValue('WWW-Authenticate', 'Bearer realm=fhir, scope="a b"')).toBe(
      'Bearer realm=fhir, scope="a b"',
    );
    for (const credential of ['opaque.token-value_12345678', 'dXNlcjpwYXNzd29yZA==', 'abcdefgh12345678=']) {
      for (const scheme of ['Bearer', 'Basic']) {
        const out = redactBodyText(`sent ${scheme} ${credential} to the server`);
        expect(out).not.toContain(credential);
        expect(out.startsWith(`sent ${scheme} `)).toBe(true);
      }
    }
  });
});

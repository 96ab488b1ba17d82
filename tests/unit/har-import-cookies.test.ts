import { describe, expect, it } from 'vitest';
import { importHar } from '../../utils/har';

/**
 * Whether a HAR says what cookies a request sent: a file that keeps cookies (some request in it has a
 * Cookie header or cookies) says a request without any sent none; a file that keeps none (Chrome's
 * sanitized export) says nothing.
 */
function har(requests: Array<{ url: string; cookie?: string }>, creator = 'test'): string {
  return JSON.stringify({
    log: {
      version: '1.2',
      creator: { name: creator, version: '1' },
      entries: requests.map((r, i) => ({
        startedDateTime: new Date(Date.UTC(2026, 11, 4, 9, 0, i)).toISOString(),
        time: 20,
        request: {
          method: 'GET',
          url: r.url,
          headers: r.cookie ? [{ name: 'Cookie', value: r.cookie }] : [],
          cookies: [],
        },
        response: { status: 200, headers: [], cookies: [], content: { mimeType: 'text/html', text: '' } },
        _resourceType: 'document',
      })),
    },
  });
}

const LOGIN =
  'https://authorization.cerner.com/tenants/t1/protocols/oauth2/profiles/smart-v1/personas/provider/authorize?client_id=c&response_type=code';
const SESSION = 'https://authorization.cerner.com/session-api/realm/t1?to=x&forceAuthn=true';

describe('HAR import: the cookies a request sent', () => {
  it('a file that keeps cookies: a request without any sent none', () => {
    const [, session] = importHar(
      har([{ url: LOGIN, cookie: 'a=1; b=2' }, { url: SESSION }]),
      'f.har',
      'imp',
    );
    expect(session!.requestCookies).toEqual({ count: 0, bytes: 0, names: [] });
  });

  it('a file that keeps no cookies at all (sanitized): nothing is known', () => {
    const [, session] = importHar(har([{ url: LOGIN }, { url: SESSION }]), 'f.har', 'imp');
    expect(session!.requestCookies).toBeUndefined();
  });

  it("Firefox's export, which keeps every Cookie header: a file without any says no request sent one", () => {
    const [, session] = importHar(har([{ url: LOGIN }, { url: SESSION }], 'Firefox'), 'f.har', 'imp');
    expect(session!.requestCookies).toEqual({ count: 0, bytes: 0, names: [] });
    const [, chrome] = importHar(har([{ url: LOGIN }, { url: SESSION }], 'WebInspector'), 'f.har', 'imp');
    expect(chrome!.requestCookies).toBeUndefined();
  });

  it('a request with cookies: counted, values dropped', () => {
    const [login] = importHar(har([{ url: LOGIN, cookie: 'a=secret1; b=secret2' }]), 'f.har', 'imp');
    expect(login!.requestCookies).toMatchObject({ count: 2, names: ['a', 'b'] });
    expect(JSON.stringify(login)).not.toContain('secret1');
  });
});

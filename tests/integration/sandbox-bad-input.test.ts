/** Hostile or broken input is answered the way Oracle would, never with a crash or a 500. */
import { describe, expect, it } from 'vitest';
import { sandboxForFile } from './sandbox';
import { CookieJar, form, type Reply, send } from './sandbox-client';
import { authorizeUrl, consoleLaunch, EHR, TENANT, tokenEndpoint } from './sandbox-flow';

const errors: unknown[] = [];
const replies: Reply[] = [];
const sandbox = sandboxForFile('sandbox-bad', { logError: (e) => errors.push(e) });

async function hit(url: string, opts?: Parameters<typeof send>[2]): Promise<Reply> {
  const reply = await send(sandbox(), url, opts);
  replies.push(reply);
  return reply;
}

const AUTH = 'https://authorization.cerner.com';
const SESSION = `${AUTH}/session-api/realm/${TENANT}`;

describe('bad input', () => {
  const cases: [string, string, number][] = [
    [
      'invalid percent-encoding in the authorize query',
      `${AUTH}/tenants/${TENANT}/protocols/oauth2/profiles/smart-v1/personas/provider/authorize?client_id=%E0%A4%A&scope=%zz`,
      303,
    ],
    ['invalid percent-encoding in a path', `${AUTH}/errors/%E0%A4%A/instances/%zz`, 200],
    [
      'unknown persona',
      `${AUTH}/tenants/${TENANT}/protocols/oauth2/profiles/smart-v1/personas/admin/authorize`,
      404,
    ],
    ['session-api without to', SESSION, 400],
    [
      'session-api with to on another origin',
      `${SESSION}?to=${encodeURIComponent('https://evil.example/')}&forceAuthn=true`,
      400,
    ],
    ['session-api with to that is not a URL', `${SESSION}?to=%zz`, 400],
    [
      'session-api for an unknown realm',
      `${AUTH}/session-api/realm/nope?to=${encodeURIComponent(AUTH)}`,
      404,
    ],
    ['login form with a foreign to', `${AUTH}/idp/realm/${TENANT}/login?to=https%3A%2F%2Fevil.example`, 400],
    ['console launch of an unknown app', `https://smart.cerner.com/smart/${TENANT}/apps/nope`, 404],
    ['console launch with an unknown tenant', 'https://smart.cerner.com/smart/nope/apps/sandbox-probe', 404],
    [
      'console launch with a broken patient id',
      `https://smart.cerner.com/smart/${TENANT}/apps/sandbox-probe?PAT_PersonId=%ZZ`,
      400,
    ],
    [
      'preauth for an unknown context',
      'https://smart.cerner.com/smart/user/preauth?context_id=nope&tenant=x',
      400,
    ],
    [
      'FHIR search with a junk _count',
      `https://fhir-open.cerner.com/r4/${TENANT}/Observation?_count=abc&patient=%zz`,
      200,
    ],
    ['error page for an unknown URN', `${AUTH}/errors/urn%3Ax%3Ay/instances/1`, 200],
    ['companion path traversal', 'https://companion.smartdebugger.test/launch/..%2F..%2Fpackage.json', 404],
  ];
  it.each(cases.map(([name, url, status]) => [name, status, url] as const))(
    '%s → %i',
    async (_name, status, url) => {
      const reply = await hit(url);
      expect(reply.status).toBe(status);
    },
  );

  it('answers 404 for a Host it does not serve', async () => {
    const reply = await hit('https://smart.cerner.com/', { headers: { host: 'unknown.cerner.com' } });
    expect(reply.status).toBe(404);
    expect(reply.body).toContain('Unknown host');
  });

  it('a huge authorize request is answered (Loading page), an oversized one refused by the HTTP layer', async () => {
    const { launch, iss } = await consoleLaunch(sandbox());
    const big = await hit(authorizeUrl({ launch, aud: iss, extra: { junk: 'x'.repeat(40_000) } }));
    expect(big.status).toBe(200);
    const tooBig = await hit(authorizeUrl({ launch, aud: iss, extra: { junk: 'x'.repeat(100_000) } }));
    expect(tooBig.status).toBe(431);
  });

  it('wrong login credentials re-show the form with an error and set no cookie', async () => {
    const jar = new CookieJar();
    const reply = await hit(`${AUTH}/idp/realm/${TENANT}/login`, {
      ...form({ username: 'portal', password: 'wrong', to: `${AUTH}/x` }),
      jar,
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('Invalid username or password.');
    expect(jar.cookies).toEqual([]);
    const patientOnProvider = await hit(`${AUTH}/idp/realm/${TENANT}/login`, {
      ...form({ username: 'nancysmart', password: 'Cerner01', to: `${AUTH}/x` }),
      jar,
    });
    expect(patientOnProvider.body).toContain('Invalid username or password.');
  });

  it('token endpoint survives garbage bodies and headers', async () => {
    for (const body of ['%%%', '&&&=&=', 'grant_type=%E0%A4%A&code=%zz', 'x'.repeat(200_000)]) {
      const reply = await hit(tokenEndpoint(), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      expect([400, 401]).toContain(reply.status);
      expect(reply.json()).toHaveProperty('error');
    }
    const badHost = await hit(
      tokenEndpoint('fhir-open.cerner.com'),
      form({ grant_type: 'authorization_code' }),
    );
    expect(badHost.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('FHIR survives junk Authorization headers', async () => {
    for (const authorization of ['Bearer', 'Bearer a b c', 'Basic xyz', '\u00e9'.repeat(10)]) {
      const reply = await hit(`${EHR}/Patient/12742400`, { headers: { authorization } });
      expect(reply.status).toBe(401);
    }
  });

  it('malformed Cookie headers do not break session detection', async () => {
    const to = encodeURIComponent(`${AUTH}/x`);
    const reply = await hit(`${SESSION}?to=${to}&forceAuthn=true`, {
      headers: { cookie: ';;=;cloud-session-iframe;%zz=%' },
    });
    expect(reply.status).toBe(400);
    const noCookie = await hit(`${SESSION}?to=${to}&forceAuthn=true`, { headers: { cookie: ';;=;%zz=%' } });
    expect(noCookie.status).toBe(303);
  });

  it('never answered 500, logged no unexpected error, and stamped every response with a correlation id', () => {
    expect(replies.length).toBeGreaterThan(25);
    expect(replies.filter((r) => r.status >= 500)).toEqual([]);
    expect(errors).toEqual([]);
    // Node's own 431 comes before the application, so only application answers carry the id.
    for (const r of replies.filter((x) => x.status !== 431))
      expect(r.headers['cerner-correlation-id']).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
  });
});

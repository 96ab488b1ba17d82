// @vitest-environment jsdom
/**
 * The companion against token responses that OAuth or SMART do not allow, and that fhirclient reads in
 * ways an app developer does not expect: expires_in missing or a string, token_type missing, a scope
 * joined with "+", need_patient_banner as a string, a response that is not JSON, an access token with
 * dots that is no JWT. The callback cases run fhirclient's real ready() against a token endpoint on a
 * local port, with the page's token watch in place as auth.tsx installs it: fhirclient loaded as the web
 * build loads it (FHIRCLIENT_PURE: it takes window.fetch when its module is evaluated), after the watch.
 */

import { vi } from 'vitest';

vi.hoisted(() => {
  (globalThis as { FHIRCLIENT_PURE?: boolean }).FHIRCLIENT_PURE = true;
});

import '../../web/src/lib/watch-token-first';

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cleanup, render, screen, within } from '@testing-library/react';
import FHIR from 'fhirclient';
import { getAccessTokenExpiration } from 'fhirclient/lib/lib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenPanel } from '../../web/src/components/TokenPanel';
import { sessionFromState } from '../../web/src/lib/session-view';
import { lastPageTokenResponse, shapeOf } from '../../web/src/lib/token-watch';
import { AuthPage } from '../../web/src/pages/AuthPage';
import { ResultsView } from '../../web/src/pages/ResultsView';

afterEach(cleanup);
beforeEach(() => sessionStorage.clear());

const BASE = 'http://127.0.0.1:4001/fhir';

/** A base64url JSON part of a JWT. */
const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = (claims: object) => `${part({ alg: 'RS256' })}.${part(claims)}.c2ln`;

/** fhirclient's state after a token response, its expiresAt computed as fhirclient computes it. */
function stateAfter(tokenResponse: Record<string, unknown>) {
  return {
    serverUrl: BASE,
    clientId: 'app',
    scope: 'launch openid fhirUser patient/Patient.rs',
    tokenUri: 'http://127.0.0.1:4002/token',
    expiresAt: getAccessTokenExpiration(tokenResponse as never, { atob } as never),
    tokenResponse: { access_token: 'opaque-token', token_type: 'Bearer', ...tokenResponse },
  };
}

describe('the token response table', () => {
  it('shows each value as its JSON literal, so that a string where a number belongs is visible', () => {
    const view = sessionFromState(
      stateAfter({
        expires_in: '3600',
        need_patient_banner: true,
        patient: '12724066',
        scope: 'launch',
      }) as never,
    );
    const fields = Object.fromEntries(view.tokenFields);
    expect(fields.expires_in).toBe('"3600"');
    expect(fields.need_patient_banner).toBe('true');
    expect(fields.patient).toBe('"12724066"');
    expect(fields.access_token).toBeUndefined();
  });
});

describe("the token's lifetime", () => {
  it('a number: fhirclient’s expiry, nothing to say', () => {
    const view = sessionFromState(stateAfter({ expires_in: 3600 }) as never);
    expect(view.expiresAt).toBeGreaterThan(Date.now() / 1000 + 3500);
    expect(view.tokenResponseProblems).toEqual([]);
  });

  it('a string: no made-up expiry, and the string named', () => {
    const state = stateAfter({ expires_in: '3600' });
    // What fhirclient keeps: the clock with "3600" appended, as text.
    expect(String(state.expiresAt)).toMatch(/^\d{10}3600$/);
    const view = sessionFromState(state as never);
    expect(view.expiresAt).toBeUndefined();
    expect(view.tokenResponseProblems[0]).toMatch(/^expires_in is the string "3600", not a number/);
  });

  it('missing with an opaque token: unknown, and fhirclient’s 5-minute guess said as a guess', () => {
    const state = stateAfter({});
    expect(state.expiresAt).toBeLessThanOrEqual(Date.now() / 1000 + 301);
    const view = sessionFromState(state as never);
    expect(view.expiresAt).toBeUndefined();
    expect(view.tokenResponseProblems[0]).toMatch(/no expires_in, so the access token’s lifetime is unknown/);
  });

  it('missing with a JWT access token: the token’s exp, said where it comes from', () => {
    const exp = Math.floor(Date.now() / 1000) + 1800;
    const view = sessionFromState(stateAfter({ access_token: jwt({ exp }) }) as never);
    expect(view.expiresAt).toBe(exp);
    expect(view.tokenResponseProblems[0]).toMatch(/its expiry is the access token’s exp claim/);
  });

  it('0: expired as issued', () => {
    const view = sessionFromState(stateAfter({ expires_in: 0 }) as never);
    expect(view.expiresAt).toBeUndefined();
    expect(view.tokenResponseProblems[0]).toMatch(/^expires_in is 0: the token is expired as it is issued/);
  });

  it('below zero: fhirclient keeps an expiry in the past, and the page says so (no 5-minute guess)', () => {
    const view = sessionFromState(stateAfter({ expires_in: -60 }) as never);
    // fhirclient's own expiresAt: now − 60 s.
    expect(view.expiresAt).toBeLessThan(Date.now() / 1000 - 50);
    expect(view.tokenResponseProblems[0]).toMatch(
      /^expires_in is -60: a lifetime below zero .* fhirclient keeps an expiry 60 s in the past/,
    );
    expect(view.tokenResponseProblems[0]).not.toContain('5 minutes');
    // The countdown says whose reading "expired" is, not that the session is over.
    render(<TokenPanel session={view} refreshing={false} />);
    const line = screen.getByText(/^Access token/);
    expect(line.textContent).toBe(
      'Access token expired as issued, as fhirclient reads an expires_in below zero (below). Whether the server still takes the token, the reads below show.',
    );
    expect(line.textContent).not.toContain('the session has expired');
  });
});

describe('token_type, scope and need_patient_banner as sent', () => {
  const problems = (t: Record<string, unknown>) =>
    sessionFromState(stateAfter({ expires_in: 60, ...t }) as never).tokenResponseProblems;

  it('token_type missing or not Bearer is said; "bearer" in any case is fine', () => {
    expect(problems({ token_type: undefined })).toEqual([expect.stringMatching(/no token_type/)]);
    expect(problems({ token_type: 'bearer' })).toEqual([]);
    expect(problems({ token_type: 'mac' })).toEqual([expect.stringMatching(/^token_type is "mac"/)]);
  });

  it('a scope joined with "+" is said', () => {
    expect(problems({ scope: 'launch+openid+patient/Patient.rs' })).toEqual([
      expect.stringMatching(/joined with "\+" instead of spaces/),
    ]);
    expect(problems({ scope: 'launch openid' })).toEqual([]);
  });

  it('need_patient_banner as the string "false" is named, and the banner says so', async () => {
    const state = stateAfter({ expires_in: 60, patient: 'p1', need_patient_banner: 'false' });
    const session = sessionFromState(state as never);
    expect(session.needPatientBanner).toBeUndefined();
    expect(session.needPatientBannerInvalid).toBe('"false"');
    const patient = (async () =>
      new Response(JSON.stringify({ resourceType: 'Patient', id: 'p1', name: [{ text: 'Ann Lee' }] }), {
        status: 200,
      })) as typeof fetch;
    render(
      <ResultsView
        client={FHIR.client(state as never)}
        session={session}
        fetch={patient}
        onSession={() => undefined}
      />,
    );
    const banner = await screen.findByRole('region', { name: 'Patient banner' });
    await within(banner).findByText('Ann Lee');
    // A heading, like the page's other sections, for heading navigation.
    expect(within(banner).getByRole('heading', { level: 2, name: 'Patient banner' })).toBeTruthy();
    expect(banner.textContent).toContain('need_patient_banner is "false", not true or false');
    expect(banner.textContent).not.toContain('has no need_patient_banner');
    const token = screen.getByRole('region', { name: 'Token' });
    expect(within(token).getByText(/^Access token expires in/).textContent).toMatch(/expires in 0:5\d|1:00/);
  });
});

describe('the shape of a token response body', () => {
  it('reads JSON, form fields, text and nothing, keeping names and types only', () => {
    const json = shapeOf(200, 'application/json', '{"access_token":"abc","expires_in":"60"}');
    expect(json).toEqual({
      status: 200,
      contentType: 'application/json',
      cacheControl: '',
      format: 'json',
      fields: { access_token: 'string', expires_in: 'string' },
      accessToken: 'opaque',
    });
    expect(JSON.stringify(json)).not.toContain('abc');
    expect(shapeOf(200, 'text/plain', 'access_token=abc&token_type=bearer').format).toBe('form');
    expect(shapeOf(200, 'text/html', '<html>sign in</html>').format).toBe('text');
    expect(shapeOf(204, '', '  ').format).toBe('empty');
  });

  it('an access token: a JWT, dotted but no JWT, or opaque', () => {
    const token = (t: string) =>
      shapeOf(200, 'application/json', JSON.stringify({ access_token: t })).accessToken;
    expect(token(jwt({ exp: 1 }))).toBe('jwt');
    expect(token('ya29.a0AfH6SM.bGci')).toBe('dotted');
    expect(token('2YotnFZFEjr1zCsicMWpAA')).toBe('opaque');
  });
});

/** A token endpoint on a local port answering with `answer`; the form bodies it received. */
async function tokenServer(answer: (res: ServerResponse) => void) {
  const bodies: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      bodies.push(body);
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/token`, bodies, close: () => server.close() };
}

/**
 * The callback page with fhirclient's real ready(): a launch in progress in this tab (as authorize()
 * stores it), the code in hand, and the page's fetch watched as auth.tsx does.
 */
async function callbackWith(answer: (res: ServerResponse) => void) {
  const server = await tokenServer(answer);
  sessionStorage.setItem('SMART_KEY', JSON.stringify('k1'));
  sessionStorage.setItem(
    'k1',
    JSON.stringify({
      serverUrl: BASE,
      clientId: 'app',
      redirectUri: 'http://127.0.0.1:4000/launch/auth',
      tokenUri: server.url,
      scope: 'launch openid patient/Patient.rs',
      key: 'k1',
    }),
  );
  render(
    <AuthPage
      ready={() => FHIR.oauth2.ready({ stateKey: 'k1', code: 'the-code' })}
      authorize={async () => undefined}
      launcherUrl="/launch/"
      url={new URL('http://127.0.0.1:4000/launch/auth?code=the-code&state=k1')}
      session={sessionStorage}
      local={localStorage}
      fetch={globalThis.fetch}
      tokenSeen={lastPageTokenResponse}
    />,
  );
  return server;
}

describe('token responses fhirclient cannot use, explained from what the server sent', () => {
  const cases: Array<[string, (res: ServerResponse) => void, RegExp, RegExp]> = [
    [
      'JSON sent as text/plain',
      (res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(JSON.stringify({ access_token: 'secret-at', token_type: 'Bearer', expires_in: 3600 }));
      },
      /^Token response is not sent as JSON$/,
      /as JSON with Content-Type text\/plain/,
    ],
    [
      'form-encoded fields',
      (res) => {
        res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' });
        res.end('access_token=secret-at&token_type=bearer&expires_in=3600');
      },
      /^Token response is not sent as JSON$/,
      /as form-encoded fields with Content-Type application\/x-www-form-urlencoded/,
    ],
    [
      'an HTML page',
      (res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>Sign in</body></html>');
      },
      /^The token response is no token response$/,
      /neither JSON nor form fields \(Content-Type text\/html\)/,
    ],
    [
      'no expires_in and an access token with dots that is no JWT',
      (res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        // Its middle part decodes to text that fhirclient's JSON.parse error would quote.
        const middle = Buffer.from('secret-at-middle, not JSON').toString('base64url');
        res.end(JSON.stringify({ access_token: `ya29.${middle}.x1`, token_type: 'Bearer' }));
      },
      /^Token issued, but its lifetime could not be read$/,
      /without expires_in\. fhirclient then reads the expiry from the access token as if it were a JWT/,
    ],
  ];
  for (const [name, answer, title, summary] of cases) {
    it(name, async () => {
      const server = await callbackWith(answer);
      try {
        const alert = await screen.findByRole('alert', {}, { timeout: 5000 });
        expect(within(alert).getByRole('heading', { level: 2 }).textContent).toMatch(title);
        expect(alert.textContent).toMatch(summary);
        expect(alert.textContent).not.toContain('secret-at');
        expect(alert.textContent).not.toMatch(/"secr|not JSON/);
        expect(server.bodies).toHaveLength(1);
        expect(server.bodies[0]).toContain('grant_type=authorization_code');
      } finally {
        server.close();
      }
    });
  }
});

describe('a token response a cache may keep', () => {
  const issued = (headers: Record<string, string>) => (res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json', ...headers });
    res.end(
      JSON.stringify({
        access_token: 'secret-at',
        token_type: 'Bearer',
        expires_in: 3600,
        scope: 'launch openid patient/Patient.rs',
      }),
    );
  };
  const problems = async () => {
    await screen.findByText(/^Launch complete/, {}, { timeout: 5000 });
    return screen.queryByRole('list', { name: 'What the server gets wrong' })?.textContent ?? '';
  };

  it('without Cache-Control: the launch completes, and the page says the server must send no-store', async () => {
    const server = await callbackWith(issued({}));
    try {
      expect(await problems()).toMatch(
        /^The token response was sent with no Cache-Control header\. RFC 6749 §5\.1 requires Cache-Control: no-store/,
      );
    } finally {
      server.close();
    }
  });

  it('with a Cache-Control that allows caching, the header is quoted', async () => {
    const server = await callbackWith(issued({ 'cache-control': 'max-age=300' }));
    try {
      expect(await problems()).toMatch(/^The token response was sent with Cache-Control: max-age=300\./);
    } finally {
      server.close();
    }
  });

  it('with no-store (in any case, among other directives), nothing is said', async () => {
    const server = await callbackWith(issued({ 'cache-control': 'private, No-Store', pragma: 'no-cache' }));
    try {
      expect(await problems()).toBe('');
    } finally {
      server.close();
    }
  });
});

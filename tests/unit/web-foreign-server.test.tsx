// @vitest-environment jsdom
/**
 * The companion against servers that answer as SMART and OAuth allow but Oracle does not: a token
 * response without `scope` or need_patient_banner, a refused refresh, discovery blocked by CORS, a
 * server that requires PKCE without advertising it, v1 scopes answered in v2 spelling.
 */

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import FHIR from 'fhirclient';
import type Client from 'fhirclient/lib/Client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorExplainer } from '../../web/src/components/ErrorExplainer';
import { explainLaunchError } from '../../web/src/lib/explain';
import { explainNoAuthorization } from '../../web/src/lib/explain-discovery';
import { explainFhir401 } from '../../web/src/lib/explain-fhir-auth';
import { explainOAuthRedirect } from '../../web/src/lib/explain-redirect';
import { buildScopeReport, TRIM_REASONS } from '../../web/src/lib/scope-report';
import { sessionFromState } from '../../web/src/lib/session-view';
import { AuthPage } from '../../web/src/pages/AuthPage';

const BASE = 'http://127.0.0.1:4001/fhir';
const TOKEN_URI = 'http://127.0.0.1:4002/token';
const APP = 'http://127.0.0.1:4000';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});
beforeEach(() => sessionStorage.clear());

/** A FHIR server that answers every read with an empty Bundle. */
const emptyFhir = (async () =>
  new Response(JSON.stringify({ resourceType: 'Bundle', total: 0, entry: [] }), {
    status: 200,
  })) as typeof fetch;

function clientWith(tokenResponse: Record<string, unknown>, scope = 'launch openid online_access'): Client {
  return FHIR.client({
    serverUrl: BASE,
    clientId: 'foreign-app',
    scope,
    tokenUri: TOKEN_URI,
    expiresAt: Math.floor(Date.now() / 1000) + 300,
    tokenResponse: { access_token: 'at-value', token_type: 'bearer', expires_in: 300, ...tokenResponse },
  });
}

function renderAuth(ready: () => Promise<Client>, fetchImpl: typeof fetch = emptyFhir) {
  render(
    <AuthPage
      ready={ready}
      authorize={async () => undefined}
      launcherUrl="/launch/"
      url={new URL(`${APP}/launch/auth`)}
      session={sessionStorage}
      local={localStorage}
      fetch={fetchImpl}
    />,
  );
}

describe('the session view of a token response', () => {
  it('need_patient_banner: true, false, or not sent (undefined, not false)', () => {
    const state = (extra: Record<string, unknown>) => clientWith(extra).state;
    expect(sessionFromState(state({ need_patient_banner: true })).needPatientBanner).toBe(true);
    expect(sessionFromState(state({ need_patient_banner: false })).needPatientBanner).toBe(false);
    expect(sessionFromState(state({})).needPatientBanner).toBeUndefined();
  });

  it('says why fhirclient would refuse to refresh, as its own checks do', () => {
    const blocked = (extra: Record<string, unknown>) =>
      sessionFromState(clientWith({ refresh_token: 'rt', ...extra }).state).refreshBlocked;
    expect(blocked({ scope: 'launch openid online_access' })).toBeUndefined();
    expect(blocked({ scope: 'launch offline_access' })).toBeUndefined();
    expect(blocked({})).toMatch(/^the token response has no scope/);
    expect(blocked({ scope: 'launch openid' })).toMatch(/neither offline_access nor online_access/);
    // No refresh token: nothing to block.
    expect(sessionFromState(clientWith({}).state).refreshBlocked).toBeUndefined();
  });
});

describe('results page against another server', () => {
  it('a refresh token without scope in the response: no Refresh button that can hang, the reason instead', async () => {
    renderAuth(async () => clientWith({ refresh_token: 'rt', patient: 'p1' }));
    const token = await screen.findByRole('region', { name: 'Token' });
    expect(within(token).queryByRole('button', { name: 'Refresh' })).toBeNull();
    expect(token.textContent).toContain('Refresh is not possible: the token response has no scope');
  });

  it('a refused refresh is explained, and the page no longer offers the discarded refresh token', async () => {
    const user = userEvent.setup();
    const bodies: string[] = [];
    // A token endpoint that refuses the refresh token (RFC 6749 §5.2).
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        bodies.push(body);
        res.writeHead(400, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
        res.end(JSON.stringify({ error: 'invalid_grant', error_description: 'refresh token revoked' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const client = clientWith({ refresh_token: 'rt', patient: 'p1', scope: 'launch openid online_access' });
      client.state.tokenUri = `http://127.0.0.1:${port}/token`;
      renderAuth(async () => client);
      const token = await screen.findByRole('region', { name: 'Token' });
      await user.click(within(token).getByRole('button', { name: 'Refresh' }));
      const alert = await screen.findByRole('alert', {}, { timeout: 5000 });
      expect(alert.textContent).toMatch(/refused the refresh token/);
      expect(alert.textContent).toContain('refresh token revoked');
      expect(bodies).toEqual(['grant_type=refresh_token&refresh_token=rt']);
      expect(within(token).queryByRole('button', { name: /Refresh/ })).toBeNull();
      expect(token.textContent).toContain('fhirclient discarded the refresh token');
    } finally {
      server.close();
    }
  });

  it('a refresh fhirclient refuses before asking (it throws at once) ends with its explanation', async () => {
    const user = userEvent.setup();
    const client = clientWith({ refresh_token: 'rt', patient: 'p1', scope: 'launch openid online_access' });
    // As after a refused refresh in another view of the same state: the token URI is gone.
    vi.spyOn(client, 'refresh').mockImplementation(() => {
      throw new Error('Unable to refresh. No refresh_token found.');
    });
    renderAuth(async () => client);
    const token = await screen.findByRole('region', { name: 'Token' });
    await user.click(within(token).getByRole('button', { name: 'Refresh' }));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading', { level: 2 }).textContent).toBe('Cannot refresh');
    expect(within(token).queryByRole('button', { name: 'Refreshing…' })).toBeNull();
  });

  it('a patient without need_patient_banner: a banner, and says that the field was not sent', async () => {
    renderAuth(
      async () => clientWith({ patient: 'p1' }, 'launch/patient openid patient/Patient.rs'),
      (async () =>
        new Response(JSON.stringify({ resourceType: 'Patient', id: 'p1', name: [{ text: 'Ann Lee' }] }), {
          status: 200,
        })) as typeof fetch,
    );
    const banner = await screen.findByRole('region', { name: 'Patient banner' });
    expect(await within(banner).findByText('Ann Lee')).toBeTruthy();
    expect(banner.textContent).toContain('The token response has no need_patient_banner');
    expect(banner.textContent).not.toContain('need_patient_banner is false');
  });

  it('a patient in context the FHIR server does not have (404): said as a disagreement of the two servers', async () => {
    renderAuth(
      async () => clientWith({ patient: 'p404' }, 'launch/patient openid patient/Patient.rs'),
      (async () =>
        new Response(
          JSON.stringify({
            resourceType: 'OperationOutcome',
            issue: [{ diagnostics: 'Resource Patient/p404 is not known' }],
          }),
          { status: 404 },
        )) as typeof fetch,
    );
    const banner = await screen.findByRole('region', { name: 'Patient banner' });
    expect(await within(banner).findByText(/could not be read: HTTP 404 for Patient\/p404/)).toBeTruthy();
    expect(banner.textContent).toContain(
      'names this patient as the launch context, but the FHIR server does not have it',
    );
  });

  it('launch/patient granted without a patient in the token response: the server is named', async () => {
    renderAuth(async () =>
      clientWith(
        { scope: 'launch/patient openid patient/Patient.rs' },
        'launch/patient openid patient/Patient.rs',
      ),
    );
    const note = await screen.findByRole('note');
    expect(note.textContent).toContain('although launch/patient was granted');
  });
});

describe('no authorization endpoint found (fhirclient skipped OAuth)', () => {
  const failing = (answers: Record<string, () => Response>) =>
    (async (input: RequestInfo | URL) => {
      const path = new URL(String(input)).pathname;
      const answer = answers[path];
      if (!answer) throw new TypeError('Failed to fetch');
      return answer();
    }) as typeof fetch;

  it('discovery blocked by CORS and a CapabilityStatement without oauth-uris: both said, CORS fix first', async () => {
    const problem = await explainNoAuthorization(
      `${BASE}/`,
      APP,
      failing({
        '/fhir/metadata': () =>
          new Response(JSON.stringify({ resourceType: 'CapabilityStatement', rest: [{ mode: 'server' }] })),
      }),
    );
    expect(problem.kind).toBe('discovery');
    expect(problem.causes[0]).toBe(
      `GET ${BASE}/.well-known/smart-configuration failed in the browser ("Failed to fetch"): blocked by CORS for this page's origin, or unreachable (the browser does not say which).`,
    );
    expect(problem.causes[1]).toContain('no oauth-uris security extension');
    expect(problem.fixes[0]).toContain(`CORS open to any origin (at least ${APP})`);
    expect(problem.causes.join(' ')).not.toMatch(/fhir-open/);
  });

  it("Oracle's open endpoint: named as such", async () => {
    const problem = await explainNoAuthorization(
      'https://fhir-open.cerner.com/r4/t',
      APP,
      failing({ '/r4/t/.well-known/smart-configuration': () => new Response('{}', { status: 404 }) }),
    );
    expect(problem.causes[0]).toMatch(/^The iss is Oracle's open \(unsecured\) FHIR endpoint/);
    expect(problem.causes[1]).toContain('answered HTTP 404');
    expect(problem.fixes[0]).toContain('secure FHIR base');
  });

  it('the auth page shows the reads it made instead of guessing an open endpoint', async () => {
    const client = FHIR.client({ serverUrl: BASE, clientId: 'foreign-app', scope: 'launch openid' });
    renderAuth(async () => client, failing({}));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading', { level: 2 }).textContent).toBe(
      'No authorization happened: SMART discovery gave no authorization endpoint',
    );
    expect(alert.textContent).toContain(`${BASE}/.well-known/smart-configuration failed in the browser`);
  });
});

describe('authorize refused without a code_challenge', () => {
  const params = new URLSearchParams({
    error: 'invalid_request',
    error_description: 'PKCE required',
    state: 's',
  });

  it('names the missing challenge and how fhirclient decides to send one', () => {
    const problem = explainOAuthRedirect(params, {
      authorizeUri: 'http://127.0.0.1:4002/authorize?response_type=code&client_id=a&state=s',
    });
    expect(problem?.causes.join(' ')).toContain('The authorize request carried no code_challenge');
    expect(problem?.fixes.join(' ')).toContain('pkceMode "unsafeV1"');
  });

  it('says nothing of PKCE when the challenge was sent, or the request is unknown', () => {
    const sent = explainOAuthRedirect(params, {
      authorizeUri: 'http://127.0.0.1:4002/authorize?code_challenge=abc&code_challenge_method=S256',
    });
    expect(sent?.causes.join(' ')).not.toContain('code_challenge');
    expect(explainOAuthRedirect(params)?.causes.join(' ')).not.toContain('code_challenge');
  });
});

describe('scope report: v1 scopes answered in v2 spelling', () => {
  it('a .read scope left out while the others came back as .rs is not blamed on the SMART version', () => {
    const report = buildScopeReport(
      'launch patient/Patient.read patient/Observation.read patient/Condition.read',
      'launch patient/Patient.rs patient/Observation.rs',
    );
    const row = report.rows.find((r) => r.scope === 'patient/Condition.read');
    expect(row).toMatchObject({ status: 'trimmed', reason: TRIM_REASONS.other });
    expect(report.explanations).toEqual([TRIM_REASONS.other]);
  });

  it('every .read left out, v2 scopes granted: still the v1-on-v2 explanation', () => {
    const report = buildScopeReport(
      'launch patient/Patient.rs patient/Condition.read',
      'launch patient/Patient.rs',
    );
    expect(report.rows.find((r) => r.scope === 'patient/Condition.read')?.reason).toBe(TRIM_REASONS.v1OnV2);
  });
});

describe('wording that holds for any server', () => {
  it('a blocked token request names the token endpoint, and no Oracle CORS quirk', () => {
    const p = explainLaunchError(new TypeError('Failed to fetch'), {
      phase: 'callback',
      origin: APP,
      tokenUri: TOKEN_URI,
    });
    expect(p.causes[0]).toBe(
      `The token endpoint (${TOKEN_URI}) does not answer this origin (${APP}) with CORS (Access-Control-Allow-Origin), so the browser hid its answer. A token request of form fields alone needs no preflight: the server most likely received it, and the code is spent.`,
    );
    expect(p.causes.join(' ')).not.toContain('Oracle');
    expect(p.fixes[1]).toMatch(
      /^Server side: answer the token endpoint with Access-Control-Allow-Origin .* Then relaunch for a new code\.$/,
    );
    expect(p.details[0]).toEqual({ label: 'token endpoint', value: TOKEN_URI });
  });

  it('a token refusal without an OAuth error body says RFC 6749 §5.2 wants one; with one, it is explained', () => {
    const plain = explainLaunchError(
      new Error(`400 Bad Request\nURL: ${TOKEN_URI}\n\nSomething went wrong`),
      {
        phase: 'callback',
      },
    );
    expect(plain.summary).toBe(
      'The token endpoint answered HTTP 400 without an OAuth error: RFC 6749 §5.2 requires a JSON body naming the error, so an app cannot tell why it was refused.',
    );
    const named = explainLaunchError(new Error(`401 Unauthorized\nURL: ${TOKEN_URI}\ninvalid_client`), {
      phase: 'callback',
    });
    expect(named.summary).toBe('Client authentication failed.');
    expect(named.fixes[0]).toMatch(/a public client with none \(RFC 6749 §2\.3\)/);
  });

  it('an error sent back without the state the request carried is said; with the state, it is not', () => {
    const without = explainOAuthRedirect(new URLSearchParams('error=access_denied'), { sentState: 'abc' });
    expect(without?.causes.at(-1)).toMatch(
      /^The error came back without the state the authorize request carried, which RFC 6749 §4\.1\.2\.1 requires/,
    );
    expect(without?.fixes[0]).toMatch(/^If the user declined, relaunch and approve; if the server denied it/);
    const withState = explainOAuthRedirect(new URLSearchParams('error=access_denied&state=abc'), {
      sentState: 'abc',
    });
    expect(withState?.causes.join(' ')).not.toContain('without the state');
  });

  it("a FHIR 401 names Oracle's token lifetime only for Oracle's FHIR servers", () => {
    expect(explainFhir401({ body: '', url: `${BASE}/Patient/1` })).not.toContain('Oracle');
    expect(explainFhir401({ body: '', url: 'https://fhir-ehr-code.cerner.com/r4/t/Patient/1' })).toContain(
      'Oracle: about 10 minutes',
    );
    const expired = { body: '', expiresAt: 10, now: 20 };
    expect(explainFhir401({ ...expired, url: `${BASE}/Patient/1` })).not.toContain('Oracle');
  });

  it('an error_uri is a link; other details stay text', () => {
    render(
      <ErrorExplainer
        problem={{
          kind: 'oauth',
          title: 't',
          summary: 's',
          causes: [],
          fixes: [],
          details: [
            { label: 'error', value: 'server_error' },
            { label: 'error_uri', value: 'https://auth.example/errors/42' },
          ],
        }}
      />,
    );
    const link = screen.getByRole('link', { name: 'https://auth.example/errors/42' });
    expect(link.getAttribute('href')).toBe('https://auth.example/errors/42');
    expect(link.getAttribute('rel')).toBe('noreferrer noopener');
    expect(screen.queryByRole('link', { name: 'server_error' })).toBeNull();
  });
});

describe('id_token claims an app trips over', () => {
  const jwt = (claims: Record<string, unknown>) =>
    `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
  const problems = (claims: Record<string, unknown>, scope = 'launch openid fhirUser') =>
    sessionFromState(clientWith({ id_token: jwt(claims), scope }).state).idTokenProblems;

  it('an audience that is not the client, and fhirUser granted without the claim', () => {
    expect(problems({ aud: 'foreign-app', fhirUser: 'Practitioner/1' })).toBeUndefined();
    expect(problems({ aud: ['x', 'foreign-app'], profile: 'Practitioner/1' })).toBeUndefined();
    expect(problems({ aud: 'other-app', fhirUser: 'Practitioner/1' })).toEqual([
      "aud is other-app, not this app's client_id foreign-app: an OpenID Connect library that checks the audience refuses this sign-in.",
    ]);
    expect(problems({ aud: 'foreign-app' })?.[0]).toMatch(
      /^fhirUser was granted, but the id_token has no fhirUser claim/,
    );
    expect(problems({ aud: 'foreign-app' }, 'launch openid')).toBeUndefined();
  });

  it('shown under the claims', async () => {
    renderAuth(async () =>
      clientWith({ id_token: jwt({ aud: 'other-app' }), scope: 'launch openid fhirUser' }),
    );
    const card = await screen.findByRole('region', { name: 'id_token claims' });
    expect(card.textContent).toContain('not this app');
    expect(card.textContent).toContain('no fhirUser claim');
  });
});

describe('launch context of another server', () => {
  it('shows no Tenant row (an Oracle notion) when the token response names none', async () => {
    const { ContextPanel } = await import('../../web/src/components/ContextPanel');
    const session = {
      serverUrl: BASE,
      clientId: 'foreign-app',
      requestedScope: 'launch',
      tokenFields: [],
      tokenResponseProblems: [],
    };
    const { rerender } = render(<ContextPanel session={session} fhir={{ fetch: emptyFhir } as never} />);
    expect(screen.queryByText('Tenant')).toBeNull();
    rerender(
      <ContextPanel session={{ ...session, tenant: 'ec2458f2' }} fhir={{ fetch: emptyFhir } as never} />,
    );
    expect(screen.getByText('Tenant')).toBeTruthy();
    expect(screen.getByText('ec2458f2')).toBeTruthy();
  });
});

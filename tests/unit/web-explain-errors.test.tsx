// @vitest-environment jsdom
import { createRequire } from 'node:module';
import { cleanup, render, screen, within } from '@testing-library/react';
import type HttpErrorType from 'fhirclient/lib/HttpError';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorExplainer } from '../../web/src/components/ErrorExplainer';
import { explainLaunchError, explainOAuthRedirect } from '../../web/src/lib/explain';
import { saveLaunchRecord } from '../../web/src/lib/launch-record';
import { AuthPage } from '../../web/src/pages/AuthPage';

// The vitest alias rewrites `fhirclient/*` to the browser entry, so load fhirclient's own HttpError directly.
const HttpError = createRequire(import.meta.url)('fhirclient/lib/HttpError.js')
  .default as typeof HttpErrorType;
const P = 'urn:cerner:error:authorization-server:';
const TOKEN_URL = 'https://authorization.cerner.com/tenants/t/protocols/oauth2/profiles/smart-v1/token';

afterEach(() => {
  cleanup();
  sessionStorage.clear();
});

/** The error fhirclient throws when the token endpoint answers JSON `body` with `status`. */
async function tokenError(status: number, body: Record<string, string>) {
  const res = new Response(JSON.stringify(body), {
    status,
    statusText: status === 401 ? 'Unauthorized' : 'Bad Request',
    headers: { 'content-type': 'application/json' },
  });
  Object.defineProperty(res, 'url', { value: TOKEN_URL });
  return new HttpError(res).parse();
}

/** The companion's redirect page answering an OAuth error redirect (fhirclient's ready() rejects with it). */
function renderRedirect(error: string, state: string) {
  render(
    <AuthPage
      ready={() => Promise.reject(new Error(error))}
      authorize={async () => undefined}
      launcherUrl="/launch/"
      url={new URL(`https://app.example/launch/auth?error=${error}&state=${state}`)}
      session={sessionStorage}
      local={localStorage}
      fetch={fetch}
    />,
  );
}

describe("the server's own error_description", () => {
  it('is shown above the explanation, not only under Details', () => {
    const problem = explainOAuthRedirect(
      new URLSearchParams({ error: 'invalid_scope', error_description: 'Scope patient/Foo.rs is unknown' }),
    );
    expect(problem?.serverMessage).toBe('Scope patient/Foo.rs is unknown');
    render(<ErrorExplainer problem={problem!} />);
    const quote = screen.getByText('Scope patient/Foo.rs is unknown', { selector: 'blockquote' });
    expect(quote.closest('details')).toBeNull();
    expect(quote.closest('figure')?.textContent).toContain('The server said');
    // Still in the raw facts too.
    expect(
      screen.getByText('Scope patient/Foo.rs is unknown', { selector: 'code' }).closest('details'),
    ).not.toBeNull();
  });

  it('comes from a token error message too', async () => {
    const err = await tokenError(400, {
      error: 'invalid_grant',
      error_description: 'PKCE verification failed',
    });
    const p = explainLaunchError(err, { phase: 'callback' });
    expect(p.serverMessage).toBe('PKCE verification failed');
    expect(p.title).toBe('Token exchange failed: invalid_grant');
  });

  it('is absent when the server sent none', () => {
    expect(
      explainOAuthRedirect(new URLSearchParams({ error: 'access_denied' }))?.serverMessage,
    ).toBeUndefined();
  });
});

describe('invalid_client on the authorize redirect', () => {
  it('means an unknown client id for this public client, naming the id from the launch', () => {
    const p = explainOAuthRedirect(new URLSearchParams({ error: 'invalid_client', state: 's' }), {
      clientId: 'my-app-123',
    });
    expect(p?.title).toBe('Unknown client id');
    expect(p?.causes[0]).toContain('"my-app-123"');
    expect(p?.causes.join(' ')).toMatch(/not registered/);
    expect(p?.causes.join(' ')).toMatch(/cannot mean a wrong secret/);
    expect(`${p?.title} ${p?.summary} ${p?.causes.join(' ')}`).not.toMatch(/authentication failed/i);
  });

  it('is what the auth page shows, with the client id it launched with', async () => {
    saveLaunchRecord(sessionStorage, {
      kind: 'standalone',
      serverId: 's',
      serverLabel: 'Server',
      iss: 'https://fhir.example/r4',
      clientId: 'companion-77',
      scope: 'openid',
      redirectUri: 'https://app.example/launch/auth',
      pkceMode: 'ifSupported',
    });
    renderRedirect('invalid_client', 's');
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading', { level: 2 }).textContent).toBe('Unknown client id');
    expect(alert.textContent).toContain('"companion-77"');
  });

  it("reads unauthorized_client on an Oracle persona's authorize endpoint as a likely persona mismatch", async () => {
    const authorizeUri =
      'https://authorization.cerner.com/tenants/t1/protocols/oauth2/profiles/smart-v1/personas/patient/authorize';
    // fhirclient keeps its state under the request's `state` value.
    sessionStorage.setItem('st8', JSON.stringify({ authorizeUri, clientId: 'companion-77' }));
    renderRedirect('unauthorized_client', 'st8');
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading', { level: 2 }).textContent).toBe('Likely persona mismatch');
    expect(alert.textContent).toContain('…/personas/patient/authorize');
    expect(alert.textContent).toContain('registered as a Patient app');
  });

  it('keeps the generic reading of unauthorized_client without a persona endpoint or without state', () => {
    const bare = new URLSearchParams({ error: 'unauthorized_client', state: 'gone' });
    expect(explainOAuthRedirect(bare)?.title).not.toBe('Likely persona mismatch');
    expect(
      explainOAuthRedirect(bare, { authorizeUri: 'https://auth.example/oauth2/authorize' })?.title,
    ).not.toBe('Likely persona mismatch');
    expect(explainOAuthRedirect(bare, { authorizeUri: 'not a url' })?.title).not.toBe(
      'Likely persona mismatch',
    );
  });

  it('leaves an Oracle URN in charge when there is one', () => {
    const p = explainOAuthRedirect(
      new URLSearchParams({
        error: 'invalid_client',
        error_uri: `${P}oauth2:grant:unauthorized-client-for-tenant`,
      }),
    );
    expect(p?.title).toBe('App not enabled for the tenant');
  });
});

describe('a failed refresh', () => {
  it('gets refresh causes, not the code-exchange list', async () => {
    const err = await tokenError(400, { error: 'invalid_grant' });
    const p = explainLaunchError(err, { phase: 'refresh' });
    const causes = p.causes.join(' ');
    expect(p.title).toBe('Token refresh failed: invalid_grant');
    expect(causes).toMatch(/expired or was revoked/);
    expect(causes).toMatch(/online_access/);
    expect(causes).toContain('session-invalid');
    expect(causes).not.toMatch(/code_verifier|already exchanged|authorization code/);
    expect(p.summary).not.toMatch(/code|PKCE/);
    expect(p.fixes.join(' ')).toMatch(/offline_access/);
  });

  it("names Oracle's refresh-token URNs only for Oracle's token endpoint", async () => {
    const res = new Response(JSON.stringify({ error: 'invalid_grant' }), {
      status: 400,
      statusText: 'Bad Request',
      headers: { 'content-type': 'application/json' },
    });
    Object.defineProperty(res, 'url', { value: 'https://auth.example.org/oauth2/token' });
    const p = explainLaunchError(await new HttpError(res).parse(), { phase: 'refresh' });
    const causes = p.causes.join(' ');
    expect(causes).toMatch(/expired or was revoked/);
    expect(causes).not.toMatch(/Oracle|session-invalid/);
  });

  it("explains Oracle's refresh-token URN when the description carries it", async () => {
    const err = await tokenError(400, {
      error: 'invalid_grant',
      error_description: `${P}oauth2:token:refresh-token:session-invalid`,
    });
    const p = explainLaunchError(err, { phase: 'refresh' });
    expect(p.summary).toMatch(/online_access and the user's session has ended/);
    expect(p.details).toContainEqual({
      label: 'Oracle URN',
      value: `${P}oauth2:token:refresh-token:session-invalid`,
    });
  });

  it('names a missing client_id on a refresh answered invalid_client', async () => {
    const err = await tokenError(401, { error: 'invalid_client' });
    expect(explainLaunchError(err, { phase: 'refresh' }).causes[0]).toMatch(/client_id/);
  });

  it('explains why fhirclient would not even try', () => {
    const p = explainLaunchError(new Error('Unable to refresh. No refresh_token found.'), {
      phase: 'refresh',
    });
    expect(p.title).toBe('Cannot refresh');
    expect(p.causes.join(' ')).toMatch(/online_access or offline_access/);
  });

  it('still gives a code exchange the code causes', async () => {
    const err = await tokenError(400, { error: 'invalid_grant' });
    expect(explainLaunchError(err, { phase: 'callback' }).causes.join(' ')).toMatch(/already exchanged/);
  });
});

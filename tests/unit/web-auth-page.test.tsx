// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import FHIR from 'fhirclient';
import type Client from 'fhirclient/lib/Client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthPage } from '../../web/src/pages/AuthPage';

const BASE = 'https://fhir-ehr-code.cerner.com/r4/tenant-1';
const ACCESS = 'access-token-value-that-must-stay-hidden';

afterEach(cleanup);
beforeEach(() => sessionStorage.clear());

/** A FHIR server answering from a table; anything else is a 403 like Oracle's insufficient-scope answer. */
function fakeFhir(routes: Record<string, unknown>): typeof fetch {
  return (async (input: RequestInfo | URL) => {
    const path = String(input).slice(BASE.length + 1);
    const body = routes[path];
    if (body) return new Response(JSON.stringify(body), { status: 200 });
    return new Response(
      JSON.stringify({
        resourceType: 'OperationOutcome',
        issue: [
          { code: 'forbidden', diagnostics: 'urn:cerner:error:oauth2:resource-access:insufficient-scopes' },
        ],
      }),
      { status: 403 },
    );
  }) as typeof fetch;
}

function renderAuth(url: string, ready: () => Promise<Client>, fetchImpl = fakeFhir({})) {
  render(
    <AuthPage
      ready={ready}
      authorize={async () => undefined}
      launcherUrl="/launch/"
      url={new URL(url)}
      session={sessionStorage}
      local={localStorage}
      fetch={fetchImpl}
    />,
  );
}

describe('auth page: a code sent back without its state', () => {
  const launched = () => {
    // The tab's launch in progress, as fhirclient keeps it: SMART_KEY names the state it was sent with.
    sessionStorage.setItem('SMART_KEY', JSON.stringify('state-sent-0123456789'));
    sessionStorage.setItem('state-sent-0123456789', JSON.stringify({ serverUrl: BASE, clientId: 'app' }));
  };
  const client = () =>
    FHIR.client({
      serverUrl: BASE,
      clientId: 'app',
      tokenResponse: { access_token: ACCESS, token_type: 'Bearer', expires_in: 570, scope: 'openid' },
    });

  it('fhirclient goes on with the tab’s launch; the page says the server dropped the state', async () => {
    launched();
    renderAuth('https://companion.smartdebugger.test/launch/auth?code=abc', async () => client());
    const list = await screen.findByRole('list', { name: 'What the server gets wrong' });
    expect(list.textContent).toMatch(
      /^The server sent the code back without the state it was sent\. RFC 6749 §4\.1\.2/,
    );
    expect(screen.getByText(/^Launch complete/)).toBeTruthy();
  });

  it('online_access granted but no refresh token: the server chose not to issue one', async () => {
    const granted = FHIR.client({
      serverUrl: BASE,
      clientId: 'app',
      tokenResponse: {
        access_token: ACCESS,
        token_type: 'Bearer',
        expires_in: 570,
        scope: 'openid online_access',
      },
    });
    renderAuth('https://companion.smartdebugger.test/launch/auth?code=abc&state=s', async () => granted);
    expect(
      await screen.findByText(/^No refresh token was issued, although the granted scope names online_access/),
    ).toBeTruthy();
  });

  it('a token response without scope: SMART requires it, and the table assumes what OAuth assumes', async () => {
    const noScope = FHIR.client({
      serverUrl: BASE,
      clientId: 'app',
      scope: 'openid launch',
      tokenResponse: { access_token: ACCESS, token_type: 'Bearer', expires_in: 570 },
    });
    renderAuth('https://companion.smartdebugger.test/launch/auth?code=abc&state=s', async () => noScope);
    expect(
      await screen.findByText(/^The token response has no scope field, which SMART App Launch requires/),
    ).toBeTruthy();
  });

  it('with the state back, nothing is said', async () => {
    launched();
    renderAuth(
      'https://companion.smartdebugger.test/launch/auth?code=abc&state=state-sent-0123456789',
      async () => client(),
    );
    await screen.findByText(/^Launch complete/);
    expect(screen.queryByRole('list', { name: 'What the server gets wrong' })).toBeNull();
  });
});

describe('auth page', () => {
  it('explains an error redirect from its error_uri without calling ready()', async () => {
    let readyCalls = 0;
    const uri =
      'https://authorization.cerner.com/errors/urn%3Acerner%3Aerror%3Aauthorization-server%3Aoauth2%3Agrant%3Adenied-by-user/instances/1';
    renderAuth(
      `https://companion.smartdebugger.test/launch/auth?error=access_denied&error_uri=${encodeURIComponent(uri)}&state=s`,
      async () => {
        readyCalls++;
        throw new Error('access_denied');
      },
    );
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading', { level: 2 }).textContent).toBe('Denied by the user');
    expect(readyCalls).toBe(0);
  });

  it('explains an error a server sent in the fragment, not as a discovery failure', async () => {
    let readyCalls = 0;
    renderAuth(
      `https://app.kc.test/launch/auth#error=invalid_scope&error_description=${encodeURIComponent('Invalid scopes: patient/Condition.rs')}&state=s`,
      async () => {
        readyCalls++;
        throw new Error('unreachable');
      },
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('error=invalid_scope');
    expect(alert.textContent).toContain('Invalid scopes: patient/Condition.rs');
    expect(alert.textContent).not.toMatch(/discovery/i);
    expect(readyCalls).toBe(0);
  });

  it('explains a lost state from ready()', async () => {
    renderAuth('http://127.0.0.1:5173/launch/auth?code=c&state=s', async () => {
      throw new Error('No state found! Please (re)launch the app.');
    });
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading', { level: 2 }).textContent).toBe('Launch state lost');
    expect(alert.textContent).toContain('http://127.0.0.1:5173');
  });

  it('shows the patient, the scope diff, smoke reads and a masked token after ready()', async () => {
    const user = userEvent.setup();
    const client = FHIR.client({
      serverUrl: BASE,
      clientId: 'smart-debugger-companion',
      scope: 'launch openid fhirUser user/Patient.rs user/Observation.rs user/Condition.read',
      expiresAt: Math.floor(Date.now() / 1000) + 570,
      tokenResponse: {
        access_token: ACCESS,
        token_type: 'Bearer',
        expires_in: 570,
        scope: 'launch openid fhirUser user/Patient.rs user/Observation.rs',
        patient: '12724066',
        need_patient_banner: true,
        tenant: 'tenant-1',
      },
    });
    renderAuth(
      'https://companion.smartdebugger.test/launch/auth',
      async () => client,
      fakeFhir({
        'Patient/12724066': {
          resourceType: 'Patient',
          id: '12724066',
          name: [{ use: 'official', given: ['Nancy'], family: 'Smart' }],
          gender: 'female',
          birthDate: '1980-08-11',
          identifier: [{ use: 'usual', type: { text: 'MRN' }, value: '10002701' }],
        },
        'Observation?patient=12724066': { resourceType: 'Bundle', total: 4, entry: [] },
      }),
    );

    const banner = await screen.findByRole('region', { name: 'Patient banner' });
    expect(await within(banner).findByText('Nancy Smart')).toBeTruthy();
    expect(banner.textContent).toContain('MRN 10002701');
    expect(banner.textContent).toContain('1980-08-11');

    const scopes = screen.getByRole('region', { name: 'Scopes: requested vs granted' });
    const trimmedRow = within(scopes).getByText('user/Condition.read').closest('tr');
    expect(trimmedRow?.className).toBe('trimmed');
    expect(scopes.textContent).toContain('Oracle silently drops v1 scopes');

    const smoke = screen.getByRole('region', { name: 'Smoke reads' });
    await within(smoke).findByText('3 of 3 done.');
    const status = (type: string) =>
      smoke.querySelector(`tr[data-resource="${type}"]`)?.getAttribute('data-status');
    expect([status('Patient'), status('Observation'), status('Condition')]).toEqual([
      'ok',
      'ok',
      'expected-denial',
    ]);
    expect(smoke.textContent).toContain('4 resource(s)');

    expect(document.body.textContent).not.toContain(ACCESS);
    await user.click(screen.getByRole('button', { name: /Reveal access token/ }));
    expect(document.body.textContent).toContain(ACCESS);
    expect(screen.queryByRole('button', { name: 'Refresh' })).toBeNull();
  });
});

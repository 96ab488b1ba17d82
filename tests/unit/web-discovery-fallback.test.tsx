// @vitest-environment jsdom
/**
 * fhirclient reads .well-known/smart-configuration and, when that fails (404, CORS), takes the
 * endpoints from the CapabilityStatement without a word. The launch page's watch keeps how discovery
 * failed; the callback page says it above the results, since a SMART 2.0 app fails on such a server.
 */
import { cleanup, render, screen } from '@testing-library/react';
import FHIR from 'fhirclient';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveLaunchRecord } from '../../web/src/lib/launch-record';
import { rememberedDiscoveryFailure, watchTokenResponses } from '../../web/src/lib/token-watch';
import { AuthPage } from '../../web/src/pages/AuthPage';

const BASE = 'https://fhir.foreign.test/r4';
const DISCOVERY = `${BASE}/.well-known/smart-configuration`;

afterEach(cleanup);
beforeEach(() => sessionStorage.clear());

async function readDiscovery(answer: () => Promise<Response>): Promise<void> {
  const target = { fetch: (async () => answer()) as typeof fetch };
  const watch = watchTokenResponses(target, sessionStorage);
  await target.fetch(DISCOVERY).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 10));
  watch.stop();
}

/** The callback page after fhirclient's ready() handed over `state` with a token (FHIR reads answer 404). */
function renderCallback(state: { codeVerifier?: string } = {}) {
  const client = FHIR.client({
    serverUrl: BASE,
    clientId: 'app',
    ...state,
    tokenResponse: { access_token: 'at', token_type: 'Bearer', expires_in: 570, scope: 'openid' },
  });
  render(
    <AuthPage
      ready={async () => client}
      authorize={async () => undefined}
      launcherUrl="/launch/"
      url={new URL('https://app.test/launch/auth?code=c&state=s')}
      session={sessionStorage}
      local={localStorage}
      fetch={(async () => new Response('{}', { status: 404 })) as typeof fetch}
    />,
  );
}

describe('discovery that failed on the launch page', () => {
  it('keeps how: a status, or not readable at all; a later success clears it', async () => {
    await readDiscovery(async () => new Response('not found', { status: 404 }));
    expect(rememberedDiscoveryFailure(sessionStorage, BASE)).toBe('answered HTTP 404');
    await readDiscovery(async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(rememberedDiscoveryFailure(sessionStorage, `${BASE}/`)).toBe(
      'could not be read by the page (blocked by CORS, or unreachable)',
    );
    await readDiscovery(async () => Response.json({ authorization_endpoint: 'https://a.test/authorize' }));
    expect(rememberedDiscoveryFailure(sessionStorage, BASE)).toBeFalsy();
  });

  it('the callback page says it above the results', async () => {
    await readDiscovery(async () => new Response('not found', { status: 404 }));
    renderCallback();
    const list = await screen.findByRole('list', { name: 'What the server gets wrong' });
    expect(list.textContent).toBe(
      `SMART discovery (${DISCOVERY}) answered HTTP 404; fhirclient took the endpoints from the CapabilityStatement (/metadata) instead, the SMART App Launch 1.0 fallback. SMART App Launch 2.0 requires .well-known/smart-configuration, readable from any origin (CORS): an app that relies on it fails on this server.`,
    );
  });
});

describe('a launch that ran without PKCE', () => {
  const record = (pkceMode: 'ifSupported' | 'disabled') =>
    saveLaunchRecord(sessionStorage, {
      kind: 'standalone',
      serverId: 'foreign',
      serverLabel: 'Foreign',
      iss: BASE,
      clientId: 'app',
      scope: 'openid',
      redirectUri: 'https://app.test/launch/auth',
      pkceMode,
    });
  const problems = async () => {
    await screen.findByText(/^Launch complete/);
    return screen.queryByRole('list', { name: 'What the server gets wrong' })?.textContent ?? '';
  };

  it('discovery failed, so fhirclient sent no challenge and the server took the code anyway: said', async () => {
    await readDiscovery(async () => new Response('not found', { status: 404 }));
    record('ifSupported');
    renderCallback({});
    expect(await problems()).toContain(
      'This launch ran without PKCE: without smart-configuration fhirclient could not tell that the server supports PKCE, so fhirclient (pkceMode "ifSupported") sent no code_challenge',
    );
  });

  it('discovery read, S256 not listed: said, naming code_challenge_methods_supported', async () => {
    record('ifSupported');
    renderCallback({});
    expect(await problems()).toMatch(
      /^This launch ran without PKCE: the server’s smart-configuration does not list S256 in code_challenge_methods_supported/,
    );
  });

  it('with a verifier, or with PKCE turned off in the configuration, nothing is said', async () => {
    record('ifSupported');
    renderCallback({ codeVerifier: 'verifier-kept-by-fhirclient' });
    expect(await problems()).toBe('');
    cleanup();
    record('disabled');
    renderCallback({});
    expect(await problems()).toBe('');
  });
});

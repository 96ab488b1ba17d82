// @vitest-environment jsdom
/**
 * An authorization server that sends back another `state` than the one it was sent (truncated, extended,
 * replaced) while the tab still holds its launch: the server is named, not the developer's origin or tab.
 * The launch is started with the real fhirclient (discovery served on loopback) so sessionStorage holds
 * exactly what fhirclient keeps. Each page gets its own adapter, as on a real page load: an adapter
 * reads the page URL once and keeps it.
 */

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cleanup, render, screen, within } from '@testing-library/react';
import BrowserAdapter from 'fhirclient/lib/adapters/BrowserAdapter';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { explainLaunchError } from '../../web/src/lib/explain';
import { launchInProgressState } from '../../web/src/lib/launch-record';
import { newStateKey } from '../../web/src/lib/state-key';
import { AuthPage } from '../../web/src/pages/AuthPage';

let server: Server;
let iss: string;

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.setHeader('access-control-allow-origin', '*');
    res.end(
      JSON.stringify({
        authorization_endpoint: 'https://auth.foreign.test/authorize',
        token_endpoint: 'https://auth.foreign.test/token',
        code_challenge_methods_supported: ['S256'],
      }),
    );
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  iss = `http://127.0.0.1:${(server.address() as AddressInfo).port}/r4`;
});
afterAll(() => server.close());
beforeEach(() => sessionStorage.clear());
afterEach(() => {
  cleanup();
  window.history.replaceState({}, '', '/');
});

/** Start a launch the way the companion does: fhirclient's authorize() with a 43-character state. */
async function startLaunch(): Promise<string> {
  const stateKey = newStateKey();
  await new BrowserAdapter().getSmartApi().authorize({
    iss,
    clientId: 'companion',
    scope: 'openid launch/patient',
    redirectUri: `${window.location.origin}/launch/auth`,
    completeInTarget: true,
    stateKey,
    noRedirect: true,
  });
  return stateKey;
}

/** The redirect back to the app, with the state the server chose, completed by the real ready(). */
async function callbackWith(state: string) {
  window.history.replaceState({}, '', `/launch/auth?code=c1&state=${encodeURIComponent(state)}`);
  render(
    <AuthPage
      ready={() => new BrowserAdapter().getSmartApi().ready()}
      authorize={async () => undefined}
      launcherUrl="/launch/"
      url={new URL(window.location.href)}
      session={sessionStorage}
      local={localStorage}
      fetch={(async () => new Response('{}')) as typeof fetch}
    />,
  );
  return screen.findByRole('alert');
}

describe('a callback whose state the server changed', () => {
  it('truncated to 32 characters: the server is named, with both lengths, never the state values', async () => {
    const sent = await startLaunch();
    expect(launchInProgressState(sessionStorage)).toBe(sent);
    const alert = await callbackWith(sent.slice(0, 32));
    expect(within(alert).getByRole('heading', { level: 2 }).textContent).toBe('The server changed the state');
    const text = alert.textContent ?? '';
    expect(text).toContain('cut short: 32 of the 43 characters sent');
    expect(text).toContain('RFC 6749 §10.12');
    expect(text).toContain('return state exactly as it was sent');
    expect(text).toContain('an app whose state has 32 characters or fewer gets through this server');
    expect(text).toContain('Changing the redirect_uri or the origin does not help');
    expect(text).not.toContain('Register and use a redirect_uri');
    expect(text).toContain(`43 characters, starting ${sent.slice(0, 4)}…`);
    expect(text).toContain(`32 characters, starting ${sent.slice(0, 4)}…`);
    expect(text).not.toContain(sent.slice(0, 32));
  });

  it('another state of the same length: replaced, and an old callback named as the less likely cause', () => {
    const p = explainLaunchError(new Error('No state found! Please (re)launch the app.'), {
      phase: 'callback',
      sentState: 'abcdefghijklmnop',
      returnedState: 'ponmlkjihgfedcba',
    });
    expect(p.kind).toBe('state-changed');
    expect(p.causes[0]).toContain('same length (16 characters) but other characters');
    expect(p.causes[1]).toMatch(/^Less likely: an older callback URL/);
    expect(p.fixes.join(' ')).not.toContain('characters or fewer');
    expect(p.details).toContainEqual({ label: 'state returned', value: '16 characters, starting ponm…' });
  });

  it('extended: the added characters are counted', () => {
    const p = explainLaunchError(new Error('No state found! Please (re)launch the app.'), {
      phase: 'callback',
      sentState: 'abcdefghijklmnop',
      returnedState: 'abcdefghijklmnop%20x',
    });
    expect(p.causes).toEqual([
      'The state came back longer: the 16 characters sent, followed by 4 more the server added.',
    ]);
  });
});

describe('a callback whose state this tab does not know, without a launch in progress', () => {
  it('no launch in this tab: still "Launch state lost", with the origin causes', async () => {
    const alert = await callbackWith(newStateKey().slice(0, 32));
    expect(within(alert).getByRole('heading', { level: 2 }).textContent).toBe('Launch state lost');
    expect(alert.textContent).toContain('Register and use a redirect_uri');
  });

  it('a completed launch in this tab is not a launch in progress', () => {
    sessionStorage.setItem('SMART_KEY', JSON.stringify('done-key'));
    sessionStorage.setItem('done-key', JSON.stringify({ tokenResponse: { access_token: 'at' } }));
    expect(launchInProgressState(sessionStorage)).toBeUndefined();
    sessionStorage.setItem('done-key', JSON.stringify({ tokenResponse: {} }));
    expect(launchInProgressState(sessionStorage)).toBe('done-key');
    sessionStorage.setItem('SMART_KEY', 'not json');
    expect(launchInProgressState(sessionStorage)).toBeUndefined();
  });
});

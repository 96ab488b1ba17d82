import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange } from '../../utils/model';
import { makeExchange } from '../fixtures/exchange';

/**
 * A server-side app takes the authorization code at its callback and exchanges it itself: the browser
 * sees the callback answered with a redirect into the app, and no token request. That is the status
 * `authorized` (the exchange is not visible), not a lost launch state.
 */

const APP = 'https://portal.example.app';
const AS = 'https://auth.example-ehr.org';
const ISS = 'https://fhir.example-ehr.org/r4';

/** As a HAR records it: every request of the page is in it. */
function launch(callback: Partial<Exchange>): Exchange[] {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: 'portal',
    scope: 'openid fhirUser launch/patient patient/Patient.rs',
    redirect_uri: `${APP}/callback`,
    state: 'st-server-side-0123456789',
    aud: ISS,
  });
  const cbUrl = `${APP}/callback?code=abc&state=st-server-side-0123456789`;
  return [
    makeExchange({
      id: 'authorize',
      source: 'har',
      url: `${AS}/authorize?${q}`,
      status: 302,
      location: cbUrl,
      startedAt: 1_000,
    }),
    makeExchange({
      id: 'callback',
      source: 'har',
      url: cbUrl,
      status: 200,
      startedAt: 1_100,
      completedAt: 1_150,
      ...callback,
    }),
  ];
}

describe('a callback taken by the app’s server', () => {
  it('answered with a redirect into the app: authorized, and the reason says the server exchanges the code', () => {
    const [l] = analyze(launch({ status: 302, location: `${APP}/dashboard` }));
    expect(l!.status).toBe('authorized');
    expect(l!.statusReason).toBe(
      `The code reached ${APP}, whose server answered with a redirect to /dashboard: a server-side app exchanges the code for a token itself, and that exchange is not visible in the browser.`,
    );
    expect(l!.findings.map((f) => f.ruleId)).not.toContain('state-lost');
  });

  it('answered with a page (an app in the browser): no token request followed, the state was lost', () => {
    const [l] = analyze(launch({}));
    expect(l!.status).toBe('failed');
    expect(l!.findings[0]!.ruleId).toBe('state-lost');
  });

  it('redirected back to the authorization server to sign in again: not a server-side exchange', () => {
    const again = `${AS}/authorize?response_type=code&client_id=portal&state=other`;
    const [l] = analyze(launch({ status: 302, location: again }));
    expect(l!.statusReason ?? '').not.toContain('server-side app');
  });
});

/**
 * An app that asks for authorization again before the first request came back: a fhirclient app under
 * React StrictMode runs its authorize effect twice (the browser aborts the first navigation), and the
 * browser's Back from the sign-in page loads the app's launch URL again, which starts a new authorization.
 * The `launch` value is the same both times; `state` and the PKCE challenge are new. Each authorization
 * is a launch of its own: the one the app gave up reads abandoned, and the one that reached the app is
 * judged by its own authorize request (no "PKCE mismatch" for the verifier that matches it).
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Launch } from '../../utils/model';
import {
  APP,
  AUTH,
  appLaunchPage,
  authorizeUrl,
  CHALLENGE,
  CODE,
  cernerHeaders,
  fhirGet,
  launchStart,
  loadingPage,
  loginAndCallback,
  Recorder,
  STATE,
  sessionApiUrl,
  tokenPost,
} from '../fixtures/exchanges/oracle-flow';

const FIRST_STATE = 'Rmlyc3RBdHRlbXB0U3RhdGUwMQ';
const FIRST_CHALLENGE = 'Zmlyc3QtY2hhbGxlbmdlLW9mLXRoZS1hYm9ydGVkLW9uZQ';
const first = authorizeUrl({ state: FIRST_STATE }).replace(CHALLENGE, FIRST_CHALLENGE);
const second = authorizeUrl();

/** session-api (no session yet: 303 to the IdP's login page); its request id. */
function toLogin(r: Recorder, authorize: string): string {
  const req = r.newRequestId();
  r.wait(200).add({
    requestId: req,
    initiator: AUTH,
    url: sessionApiUrl(authorize),
    requestCookies: { count: 0, bytes: 0, names: [] },
    status: 303,
    location: 'https://sandboxcernercentral.example/saml2/sso',
    responseHeaders: cernerHeaders({
      'content-type': 'text/html',
      location: 'https://sandboxcernercentral.example/saml2/sso',
    }),
  });
  return req;
}

/** The second authorization, from its authorize request to the app's FHIR read. */
function secondToTheEnd(r: Recorder) {
  loadingPage(r, second);
  const req = toLogin(r, second);
  loginAndCallback(r, second, req, `code=${encodeURIComponent(CODE)}&state=${STATE}`);
  r.wait(120);
  tokenPost(r);
  fhirGet(r, 'Patient/12724066');
}

const errors = (l: Launch) => l.findings.filter((f) => f.severity === 'error').map((f) => f.ruleId);
const states = (l: Launch) =>
  l.steps
    .filter((s) => s.kind === 'authorize' || s.kind === 'loading-page')
    .map((s) => new URL(s.exchange.url).searchParams.get('state'));

describe('an app that authorizes again before the first authorization came back', () => {
  it('twice at once (an effect run twice): the aborted one abandoned, the other succeeded on its own challenge', () => {
    const r = new Recorder();
    launchStart(r);
    r.add({ initiator: APP, url: first, phase: 'failed', error: 'net::ERR_ABORTED' });
    secondToTheEnd(r);
    const [done, given] = analyze(r.out, { now: r.out.at(-1)!.startedAt + 60_000 });
    expect(done!.status).toBe('succeeded');
    expect(done!.state).toBe(STATE);
    expect(states(done!)).toEqual([STATE, STATE]);
    expect(errors(done!)).toEqual([]);
    expect(given!.status).toBe('abandoned');
    expect(given!.state).toBe(FIRST_STATE);
    expect(given!.statusReason).toMatch(
      /aborted .*started a new launch \d+ ms later in this tab \(its code asked for authorization twice, as an effect run twice does/,
    );
    expect(given!.steps[0]!.kind).toBe('ehr-launch');
  });

  it('from the launch URL loaded again (Back on the sign-in page): the new launch starts at that launch URL', () => {
    const r = new Recorder();
    launchStart(r);
    loadingPage(r, first);
    const req = toLogin(r, first);
    r.add({
      requestId: req,
      hop: 1,
      initiator: AUTH,
      url: 'https://sandboxcernercentral.example/saml2/sso',
      status: 200,
    });
    // Back: the launch URL loads again, and the app reads discovery again.
    r.wait(3000);
    appLaunchPage(r);
    secondToTheEnd(r);
    const [done, given] = analyze(r.out, { now: r.out.at(-1)!.startedAt + 60_000 });
    expect(done!.status).toBe('succeeded');
    expect(done!.steps.slice(0, 2).map((s) => s.kind)).toEqual(['ehr-launch', 'discovery']);
    expect(states(done!)).toEqual([STATE, STATE]);
    expect(errors(done!)).toEqual([]);
    expect(given!.status).toBe('abandoned');
    expect(states(given!)).toEqual([FIRST_STATE]);
    // The launch URL loaded again: a reload or Back, not the code running twice.
    expect(given!.statusReason).toMatch(
      /started a new launch .* \(a second click on Launch, a reload, or a new attempt\)/,
    );
  });
});

/**
 * Events lost as Chrome stopped the extension's worker while they were dispatched (a stop storm): the
 * sign-in's POST, the authorize redirect and the callback never arrived, and of the app's token request
 * only its completion did (no body: no client, no code). That request is still the launch's, found by
 * its tab and the token endpoint the launch's discovery named, not a launch of its own that "succeeded".
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import { UNRECORDED_SIGN_IN_REASON } from '../../utils/launch/status';
import type { Exchange } from '../../utils/model';
import {
  APP,
  AUTH,
  authorizeUrl,
  cernerHeaders,
  fhirGet,
  launchStart,
  loadingPage,
  Recorder,
  redirectTo,
  sessionApiUrl,
  tokenPost,
} from '../fixtures/exchanges/oracle-flow';
import { toCallback } from '../fixtures/exchanges/outcomes';

/** A provider launch recorded up to the IdP's login page (session-api → 303 → the form); its login URL. */
function toLoginPage(r: Recorder): string {
  launchStart(r);
  const authorize = authorizeUrl();
  loadingPage(r, authorize);
  const req = r.newRequestId();
  const login = `${AUTH}/idp/realm/x/login`;
  r.wait(100).add({
    requestId: req,
    initiator: AUTH,
    url: sessionApiUrl(authorize),
    ...redirectTo(login, 303),
  });
  r.add({ requestId: req, hop: 1, url: login, status: 200, responseHeaders: cernerHeaders() });
  return login;
}

/** A launch recorded up to the login page, then only a body-less token request and a FHIR read, in `tokenTab`. */
function lostSignIn(tokenTab = 101): Exchange[] {
  const r = new Recorder();
  toLoginPage(r);
  r.wait(6000);
  const token = tokenPost(r);
  delete token.form;
  delete token.secretFacts;
  token.tabId = tokenTab;
  fhirGet(r, 'Patient/12724066');
  return r.out;
}

describe('correlation with events lost', () => {
  it("a token request whose body was not recorded joins its tab's launch that asked for authorization", () => {
    const launches = analyze(lostSignIn());
    expect(launches).toHaveLength(1);
    const [l] = launches;
    expect(l!.steps.map((s) => s.kind)).toContain('token');
    expect(l!.status).toBe('succeeded');
  });

  it('not from another tab: nothing ties it to this launch there', () => {
    const launches = analyze(lostSignIn(202));
    const withToken = launches.find((l) => l.steps.some((s) => s.kind === 'token'));
    expect(withToken?.steps.some((s) => s.kind === 'loading-page')).not.toBe(true);
  });

  it('neither the callback nor the token request recorded, a FHIR read after sign-in succeeded: succeeded, saying what is missing', () => {
    const r = new Recorder();
    const login = toLoginPage(r);
    // The login POST's answer, the authorize redirect, the callback and the token request: lost.
    r.wait(6000).add({
      method: 'POST',
      url: login,
      phase: 'pending',
      responseHeaders: {},
      form: { username: ['portal'], password: ['…[6]'] },
    });
    r.wait(300);
    const read = fhirGet(r, 'Patient/12724066');
    const [l] = analyze(r.out);
    expect(l!.steps.at(-1)!.kind).toBe('fhir');
    expect(l!.status).toBe('succeeded');
    expect(l!.statusReason).toBe(UNRECORDED_SIGN_IN_REASON);
    // What is left of the lost events is said: the login POST's answer never came.
    const lost = l!.findings.find((f) => f.ruleId === 'events-lost')!;
    expect(lost).toMatchObject({ severity: 'info', title: 'Some events were not recorded' });
    expect(lost.summary).toMatch(
      /^Part of this launch did not reach the extension: 1 step without its answer\./,
    );
    expect(lost.evidence).toEqual([
      { label: 'no answer recorded', value: 'IdP login (form)', exchangeId: r.out.at(-2)!.id },
    ]);
    // The read refused: nothing says the app had a token.
    const edited = (edit: (e: Exchange) => Partial<Exchange> | undefined) =>
      r.out.map((e) => ({ ...e, ...edit(e) }));
    expect(analyze(edited((e) => (e === read ? { status: 401 } : undefined)))[0]!.status).not.toBe(
      'succeeded',
    );
    // The sign-in failed on the wire (session-api 400): a read that succeeded after it is not this launch's token.
    const refused = edited((e) =>
      e.url.includes('/session-api/')
        ? { status: 400, location: undefined, responseHeaders: cernerHeaders() }
        : undefined,
    );
    expect(analyze(refused)[0]!.status).toBe('failed');
    // Another tool's file (no tabs to tell side-by-side launches apart): not said.
    const imported = edited(() => ({ source: 'har' as const, tabId: 0 }));
    expect(analyze(imported)[0]!.status).not.toBe('succeeded');
  });
});

describe('a launch that reached its callback, then the same app launched again in its tab', () => {
  it('is authorized at once (the tab moved on), not abandoned as given up', () => {
    const r = new Recorder();
    // The app's origin not watched: the callback is seen, the token request is not.
    toCallback(r);
    r.wait(3000);
    launchStart(r, { launch: 'second-launch-context' });
    const callback = `${APP}/index.html?code=second&state=S2`;
    r.add({
      initiator: APP,
      url: authorizeUrl({ launch: 'second-launch-context', state: 'S2' }),
      ...redirectTo(callback),
    });
    r.add({ source: 'webNavigation', url: callback });
    // Live, a second after the second launch: the first is no longer moving.
    const now = r.out.at(-1)!.startedAt + 1000;
    const [second, first] = analyze(r.out, { now, watchedOrigins: ['https://*.cerner.com/*'] });
    expect(second!.launchParam).toBe('second-launch-context');
    expect(first!.status).toBe('authorized');
    expect(first!.statusReason).toMatch(
      /^The code reached http:\/\/localhost:5173, but its token request was not visible/,
    );
  });
});

describe('what is left of lost events is said', () => {
  it('a hop known only from a redirect; nothing for a file of another tool', () => {
    const r = new Recorder();
    toCallback(r);
    r.wait(120);
    tokenPost(r);
    const hop = r.out.find((e) => e.url.includes('/authorize'))!;
    hop.inferred = true;
    const find = (opts = {}, out = r.out) =>
      analyze(out, opts)[0]!.findings.find((f) => f.ruleId === 'events-lost');
    expect(find()?.summary).toMatch(
      /^Part of this launch did not reach the extension: 1 step known only from the redirect before it\./,
    );
    expect(find()?.evidence[0]).toMatchObject({ label: 'known from a redirect only', exchangeId: hop.id });
    const imported = r.out.map((e) => ({ ...e, source: 'har' as const }));
    expect(find({}, imported)).toBeUndefined();
  });
});

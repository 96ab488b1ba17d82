import { describe, expect, it } from 'vitest';
import { RULES } from '../../utils/diagnose/rules';
import type { Rule } from '../../utils/diagnose/types';
import { analyze } from '../../utils/launch/analyze';
import { DEFAULT_ABANDON_MS, decideStatus, UNRECORDED_TOKEN_REASON } from '../../utils/launch/status';
import type { Exchange, Launch } from '../../utils/model';
import { APP, OTHER_CODE_FINGERPRINT } from '../fixtures/exchanges/oracle-flow';
import {
  callbackReloaded,
  cancelledSignIn,
  codeSentTwice,
  INVALID_TOKEN,
  stalledAtLogin,
  tokenRetried,
  tokenWithoutType,
  withToken,
} from '../fixtures/exchanges/outcomes';
import { loadExchanges } from '../fixtures/load';

function only(exchanges: Exchange[], opts = {}): Launch {
  const launches = analyze(exchanges, opts);
  expect(launches).toHaveLength(1);
  return launches[0]!;
}
const lead = (l: Launch) => `${l.findings[0]?.severity}:${l.findings[0]?.ruleId}`;
const stepOf = (l: Launch, id: string | undefined) => l.steps.find((s) => s.exchange.id === id);
const lastAt = (ex: Exchange[]) => Math.max(...ex.map((e) => e.completedAt ?? e.startedAt));

describe('launch status', () => {
  it('failed: names the failing step and the leading cause in one line', () => {
    const l = only(loadExchanges('forceauthn-400'));
    expect(l.status).toBe('failed');
    expect(stepOf(l, l.failedAt)?.kind).toBe('session-api');
    expect(l.statusReason).toMatch(
      /^forceAuthn rejected because a session already exists: Oracle's session-api/,
    );
    expect(l.statusReason).not.toMatch(/\n/);
  });

  it('succeeded: the app obtained a token nothing shows to be unusable', () => {
    const l = only(loadExchanges('success-oracle'));
    expect(l.status).toBe('succeeded');
    expect(l.failedAt).toBeUndefined();
    expect(l.statusReason).toBeUndefined();
  });

  it('succeeded: the token response was not recorded, but FHIR requests after it succeeded', () => {
    const ex = loadExchanges('success-oracle');
    const unanswered = (list: Exchange[]) =>
      list.map((e) => {
        if (!/\/token$/.test(new URL(e.url).pathname)) return e;
        const { status: _s, completedAt: _c, responseHeaders: _h, ...rest } = e;
        return { ...rest, responseHeaders: {}, phase: 'pending' as const };
      });
    const lost = only(unanswered(ex));
    expect(lost.steps.some((s) => s.kind === 'token' && s.exchange.status === undefined)).toBe(true);
    expect(lost.status).toBe('succeeded');
    expect(lost.statusReason).toBe(UNRECORDED_TOKEN_REASON);
    // Without a successful FHIR request after it, nothing says the token worked.
    const noFhir = unanswered(ex).map((e) =>
      /\/Patient|\/Observation|\/metadata/.test(e.url) ? { ...e, status: 401 } : e,
    );
    expect(only(noFhir).status).not.toBe('succeeded');
  });

  it('authorized: the code reached the app but its token request was not visible', () => {
    const ex = loadExchanges('token-invisible');
    const l = only(ex, { watchedOrigins: ['https://*.cerner.com/*'] });
    expect(l.status).toBe('authorized');
    expect(l.statusReason).toBe(
      'The code reached http://localhost:5173, but its token request was not visible: http://localhost:5173 is not watched and DevTools was not open on the tab.',
    );
    expect(lead(l)).toBe('warning:token-not-visible');
    expect(l.findings[0]!.fixes[0]).toMatchObject({ kind: 'watch-origin', origin: 'http://localhost:5173' });
    expect(only(ex).statusReason).toContain('may not be watched');
    // Signed in in a popup, which hands the code to the page that opened it: either tab may send the request.
    const popup = ex.map((e) => ({ ...e, openerTabId: 7 }));
    expect(only(popup, { watchedOrigins: ['https://*.cerner.com/*'] }).statusReason).toMatch(
      /is not watched and DevTools was open on neither its tab nor the tab that opened it\.$/,
    );
    // Live: in progress while the token request may still come, authorized once settled, never abandoned.
    expect(only(ex, { now: lastAt(ex) + 1000 }).status).toBe('in-progress');
    expect(only(ex, { now: lastAt(ex) + 60 * 60_000 }).status).toBe('authorized');
  });

  it('cancelled: sign-in cancelled on the login page, the explaining finding first', () => {
    const extra: Rule = {
      id: 'extra',
      severity: 'error',
      title: 'Unrelated error',
      detect: () => [
        { ruleId: 'extra', severity: 'error', title: 'x', summary: 'y', evidence: [], fixes: [] },
      ],
    };
    const l = only(cancelledSignIn(), { rules: [...RULES, extra] });
    expect(l.status).toBe('cancelled');
    expect(stepOf(l, l.failedAt)?.kind).toBe('callback');
    expect(l.findings.map((f) => `${f.severity}:${f.ruleId}`)).toEqual([
      'warning:user-cancelled',
      'error:extra',
    ]);
    expect(l.statusReason).toBe(
      'Sign-in cancelled: The user cancelled the sign-in page, so the server sent the app access_denied instead of a code.',
    );
  });

  it('cancelled: access denied by the user', () => {
    const l = only(loadExchanges('denied-by-user'));
    expect(l.status).toBe('cancelled');
    expect(l.findings[0]).toMatchObject({ ruleId: 'user-cancelled', title: 'Access denied by the user' });
    expect(l.statusReason).toMatch(/^Access denied by the user: The user declined/);
  });

  it('a tab closed after a request whose answer never reached the extension says the answer was not recorded', () => {
    // The forceAuthn launch, its session-api answer lost (sent, never answered), then the tab closed.
    const ex = loadExchanges('forceauthn-400');
    const sent = ex.at(-1)!;
    expect(sent.url).toContain('/session-api/');
    const lost = {
      ...sent,
      phase: 'pending' as const,
      status: undefined,
      completedAt: undefined,
      responseHeaders: {},
      tabClosedAt: sent.startedAt + 1000,
    };
    const l = only([...ex.slice(0, -1), lost], { now: sent.startedAt + 2000 });
    expect(l.status).toBe('abandoned');
    expect(l.statusReason).toMatch(
      /^The tab was closed 1 s after session-api .*, whose answer was not recorded \(Chrome drops events while it restarts the extension's worker\)/,
    );
    expect(l.findings.find((f) => f.ruleId === 'events-lost')?.summary).toContain(
      '1 step without its answer',
    );
  });

  it('abandoned at once when the tab it was signing in was closed (live); a recording is not judged by it', () => {
    const ex = stalledAtLogin();
    const last = lastAt(ex);
    const closed = ex.map((e, i) => (i === ex.length - 1 ? { ...e, tabClosedAt: last + 4000 } : e));
    const l = only(closed, { now: last + 5000 });
    expect(l.status).toBe('abandoned');
    expect(l.statusReason).toBe(
      'The tab was closed 4 s after IdP login (SAML) came, with the page still shown (nothing was sent from it): the sign-in was left.',
    );
    // Without the close, the same moment is still in progress; a file (no clock) ends where it ends.
    expect(only(ex, { now: last + 5000 }).status).toBe('in-progress');
    expect(only(closed).statusReason).toMatch(/^The recording ends at /);
    // Past the callback the app may go on in another tab (a popup hands the code to its opener): the
    // settling time applies as before.
    const atCallback = loadExchanges('token-invisible');
    const end = lastAt(atCallback);
    const tabGone = atCallback.map((e, i) => (i === atCallback.length - 1 ? { ...e, tabClosedAt: end } : e));
    expect(only(tabGone, { now: end + 1000 }).status).toBe('in-progress');
  });

  it('abandoned when the tab was closed while the token request waited (the browser aborts it): not a failure', () => {
    const flow = loadExchanges('success-oracle');
    const at = flow.findIndex((e) => e.method === 'POST' && e.url.endsWith('/token'));
    const token = flow[at]!;
    const aborted: Exchange = {
      ...token,
      status: undefined,
      phase: 'failed',
      error: 'net::ERR_ABORTED',
      completedAt: token.startedAt + 5000,
      responseHeaders: {},
    };
    delete aborted.body;
    const closed = [...flow.slice(0, at), { ...aborted, tabClosedAt: token.startedAt + 5003 }];
    const l = only(closed, { now: token.startedAt + 6000 });
    expect(l.status).toBe('abandoned');
    expect(l.statusReason).toBe(
      'The tab was closed while token (authorization_code) waited for its answer 5 s after it was sent: the browser aborted it (net::ERR_ABORTED); no server refused it. The server may still have received it and used up the code: launch again rather than send it again.',
    );
    expect(l.findings.map((f) => f.ruleId)).not.toContain('unexplained-failure');
    // The same abort without the close (the page went elsewhere), or in a file: failed, as before.
    expect(only([...flow.slice(0, at), aborted], { now: token.startedAt + 6000 }).status).toBe('failed');
    expect(only(closed).status).toBe('failed');
  });

  it('abandoned: live only, after the timeout the user chose', () => {
    const ex = stalledAtLogin();
    const last = lastAt(ex);
    expect(only(ex, { now: last + 1000 })).toMatchObject({ status: 'in-progress' });
    expect(only(ex, { now: last + 1000 }).statusReason).toBeUndefined();
    // The last step is the IdP's page, which the user has in front of them: "after" it would read as signed in.
    expect(only(ex, { now: last + 2 * 60_000 }).statusReason).toBe(
      'Waiting at IdP login (SAML): the page came, and nothing was sent from it yet (the user has not signed in).',
    );
    expect(only(ex, { now: last + 2 * 60_000, recordingEnds: [last + 500] }).statusReason).toBe(
      'The browser closed right after IdP login (SAML) came, with the page still shown (nothing was sent from it), before the launch completed: nothing after it was recorded.',
    );
    const gone = only(ex, { now: last + DEFAULT_ABANDON_MS + 60_000 });
    expect(gone.status).toBe('abandoned');
    expect(gone.statusReason).toMatch(/^Stopped at .+: no activity for over 5 min\.$/);
    expect(only(ex, { now: last + 60 * 60_000 }).statusReason).toBe(gone.statusReason);
    expect(only(ex, { now: last + 2 * 60_000, abandonAfterMs: 60_000 }).status).toBe('abandoned');
    expect(only(ex, { now: last + 2 * 60_000, abandonAfterMs: 10 * 60_000 }).status).toBe('in-progress');
  });

  it('a live launch in progress says when its status may change with no event: settled, then given up', () => {
    const ex = stalledAtLogin();
    const last = lastAt(ex);
    expect(only(ex, { now: last + 1000 }).reviewAt).toBe(last + 30_000);
    expect(only(ex, { now: last + 2 * 60_000 }).reviewAt).toBe(last + DEFAULT_ABANDON_MS);
    expect(only(ex, { now: last + 2 * 60_000, abandonAfterMs: 10 * 60_000 }).reviewAt).toBe(
      last + 10 * 60_000,
    );
    // Given up, or recorded in a file: nothing more comes by itself.
    expect(only(ex, { now: last + DEFAULT_ABANDON_MS + 1 }).reviewAt).toBeUndefined();
    expect(only(ex).reviewAt).toBeUndefined();
  });

  it("a FHIR read answered by a gateway's HTML error page is a step (a server error), not left out", () => {
    const ex = loadExchanges('success-oracle');
    const read = ex.find((e) => /\/Patient\//.test(e.url))!;
    const gateway: Exchange = {
      ...read,
      id: 'gw-502',
      requestId: 'gw',
      url: read.url.replace(/Patient\/.*/, 'Observation?patient=1'),
      status: 502,
      responseHeaders: { 'content-type': 'text/html' },
      startedAt: read.startedAt + 1,
      completedAt: read.startedAt + 5,
    };
    delete gateway.body;
    const l = only([...ex, gateway].sort((a, b) => a.startedAt - b.startedAt));
    expect(l.steps.find((s) => s.exchange.id === 'gw-502')?.kind).toBe('fhir');
    expect(l.findings.map((f) => `${f.severity} ${f.title}`)).toContain('warning FHIR server error');
    // The same page loaded in a tab under a FHIR-like path stays no FHIR call.
    const page = { ...gateway, id: 'page', type: 'main_frame' };
    expect(
      only([...ex, page].sort((a, b) => a.startedAt - b.startedAt)).steps.some(
        (s) => s.exchange.id === 'page',
      ),
    ).toBe(false);
  });

  it('in a HAR every request of the tab is recorded: a callback without a token request is state lost', () => {
    const har = loadExchanges('token-invisible').map((e) => ({ ...e, source: 'har' as const }));
    const l = only(har);
    expect(l.status).toBe('failed');
    expect(lead(l)).toBe('error:state-lost');
    expect(stepOf(l, l.failedAt)?.kind).toBe('callback');
  });

  it('recorded or imported data (no now) is settled but never abandoned', () => {
    const l = only(stalledAtLogin());
    expect(l.status).toBe('in-progress');
    expect(l.statusReason).toMatch(/^The recording ends at .+, before the launch completed\.$/);
  });
});

describe('not "succeeded" when the token could not be used', () => {
  it('scopes trimmed, then FHIR 403 insufficient_scope: failed at the FHIR step', () => {
    const l = only(loadExchanges('scopes-trimmed'));
    expect(l.status).toBe('failed');
    expect(stepOf(l, l.failedAt)?.kind).toBe('fhir');
    expect(lead(l)).toBe('error:scopes-trimmed');
    expect(l.statusReason).toMatch(/^Scopes trimmed: FHIR requests refused: /);
  });

  it('FHIR 401 invalid_token: failed at the FHIR step; a later successful read means recovered', () => {
    const l = only(loadExchanges('token-expired'));
    expect(l.status).toBe('failed');
    expect(stepOf(l, l.failedAt)?.exchange.status).toBe(401);
    expect(lead(l)).toBe('error:token-expired');
    const recovered = only(
      withToken(
        {},
        {
          fhir: [
            ['Patient/1', 401, INVALID_TOKEN],
            ['Patient/1', 200],
          ],
        },
      ),
    );
    expect(recovered.status).toBe('succeeded');
    expect(recovered.findings.find((f) => f.ruleId === 'token-expired')?.severity).toBe('warning');
  });

  it('the same code sent twice (same fingerprint) and refused: failed at the second token request', () => {
    const l = only(codeSentTwice());
    expect(l.status).toBe('failed');
    const failed = stepOf(l, l.failedAt)!;
    expect(failed.kind).toBe('token');
    expect(failed.exchange.status).toBe(400);
    expect(l.findings[0]).toMatchObject({
      ruleId: 'code-reuse',
      severity: 'error',
      title: 'Authorization code reused',
    });
  });

  it('a code sent twice with no page load between: a double call, guard the token request', () => {
    const f = only(codeSentTwice()).findings[0]!;
    expect(f.summary).toMatch(/Usually a double call/);
    expect(f.fixes[0]!.label).toMatch(/guard the token request/);
    expect(f.evidence.map((e) => e.label)).not.toContain('callback page loaded again');
  });

  it('the callback page loaded again between the two exchanges: a reload, clear the address', () => {
    const l = only(callbackReloaded());
    expect(l.status).toBe('failed');
    expect(stepOf(l, l.failedAt)?.exchange.status).toBe(400);
    const f = l.findings[0]!;
    expect(f).toMatchObject({ ruleId: 'code-reuse', title: 'Authorization code reused' });
    expect(f.summary).toMatch(/callback page was loaded again \(reload or back button\)/);
    expect(f.summary).not.toMatch(/double call/);
    expect(f.fixes[0]).toMatchObject({
      kind: 'advice',
      label: expect.stringContaining('history.replaceState'),
    });
    expect(f.fixes[0]!.label).toMatch(/code and state/);
    const reload = l.steps.filter((s) => s.kind === 'callback').at(-1)!;
    expect(f.evidence.find((e) => e.label === 'callback page loaded again')).toEqual({
      label: 'callback page loaded again',
      value: '40 s after the first exchange',
      exchangeId: reload.exchange.id,
    });
    // Accepted twice: the warning names the same cause.
    const accepted = only(callbackReloaded({ repeatAccepted: true })).findings.find(
      (x) => x.ruleId === 'code-reuse',
    )!;
    expect(accepted.severity).toBe('warning');
    expect(accepted.summary).toMatch(/loaded again/);
    expect(accepted.fixes[0]!.label).toMatch(/history\.replaceState/);
  });

  it("the callback page loaded again where the app's token requests cannot be seen: said as likely sent again", () => {
    // The app's origin not watched: its pages seen through navigations, its token requests not at all.
    const unwatched = (o = {}) =>
      callbackReloaded(o)
        .filter((e) => !/\/token$|\/Patient\//.test(e.url))
        .map((e) => ({ ...e, source: e.url.startsWith(APP) ? ('webNavigation' as const) : e.source }));
    const l = only(unwatched());
    expect(l.status).toBe('authorized');
    const f = l.findings.find((x) => x.title === 'Callback loaded again with the same code')!;
    expect(f).toMatchObject({ ruleId: 'code-reuse', severity: 'warning' });
    expect(f.summary).toMatch(
      /^The callback page was loaded 2 times with the same code \(a reload or the back button 40 s after the first load/,
    );
    expect(f.fixes[0]!.label).toMatch(/history\.replaceState/);
    const reload = l.steps.filter((s) => s.kind === 'callback').at(-1)!;
    expect(f.evidence.at(-1)).toEqual({
      label: 'same code again',
      value: '40 s later',
      exchangeId: reload.exchange.id,
    });
    // Another code in the reloaded address: no reload of this one.
    const other = only(unwatched({ fingerprint: OTHER_CODE_FINGERPRINT }));
    expect(other.findings.map((x) => x.title)).not.toContain('Callback loaded again with the same code');
    // Token requests visible and none after the reload: the app did not send the code again.
    const guarded = callbackReloaded().slice(0, -1);
    expect(only(guarded).findings.map((x) => x.ruleId)).not.toContain('code-reuse');
  });

  it('a page load carrying another code is no reload of this one', () => {
    const f = only(callbackReloaded({ fingerprint: OTHER_CODE_FINGERPRINT })).findings.find(
      (x) => x.ruleId === 'code-reuse',
    )!;
    expect(f.summary).toMatch(/Usually a double call/);
    expect(f.fixes[0]!.label).toMatch(/guard the token request/);
  });

  it('equal masked codes with different fingerprints are not called a reuse', () => {
    const l = only(codeSentTwice(OTHER_CODE_FINGERPRINT));
    const codes = l.steps.filter((s) => s.kind === 'token').map((s) => s.exchange.form?.code?.[0]);
    expect(codes[0]).toBe(codes[1]);
    expect(l.findings[0]).toMatchObject({
      ruleId: 'code-reuse',
      title: 'Authorization code invalid or expired',
    });
    expect(l.findings[0]!.summary).not.toMatch(/same authorization code/);
    const noFacts = codeSentTwice().map(({ secretFacts: _, ...e }) => e);
    expect(only(noFacts).findings[0]!.title).toBe('Authorization code invalid or expired');
  });

  it('a token response without token_type is unreadable: failed at the token step', () => {
    const l = only(tokenWithoutType());
    expect(l.status).toBe('failed');
    expect(stepOf(l, l.failedAt)?.kind).toBe('token');
    expect(l.findings[0]).toMatchObject({
      ruleId: 'token-response-shape',
      severity: 'error',
      title: 'Unreadable token response',
    });
  });

  it('Cache-Control is read by its directives: no-store anywhere among them, not inside another word', () => {
    const cached = (cacheControl: string) =>
      only(withToken({ cacheControl })).findings.some((f) => f.ruleId === 'token-cache-control');
    expect(cached('no-store')).toBe(false);
    expect(cached('private, No-Store, max-age=0')).toBe(false);
    expect(cached('x-no-store-hint, max-age=300')).toBe(true);
    expect(cached('no-cache')).toBe(true);
  });

  it('conformance points such as Cache-Control stay warnings on a succeeded launch', () => {
    const l = only(withToken({ cacheControl: 'private' }));
    expect(l.status).toBe('succeeded');
    expect(l.findings.find((f) => f.ruleId === 'token-cache-control')?.severity).toBe('warning');
  });

  it('a failed token request the app retried successfully does not fail the launch', () => {
    expect(only(tokenRetried()).status).toBe('succeeded');
  });
});

describe('status edge cases', () => {
  it('a sign-in cancelled and then completed in the same launch succeeded', () => {
    // Built as one launch directly: whether correlation joins the two attempts is not what is tested.
    const cancelled = only(cancelledSignIn());
    const retry = only(withToken()).steps.map((s) => ({
      ...s,
      exchange: { ...s.exchange, id: `${s.exchange.id}-retry`, startedAt: s.exchange.startedAt + 30_000 },
    }));
    const both: Launch = { ...cancelled, steps: [...cancelled.steps, ...retry], findings: [] };
    expect(decideStatus(both).status).toBe('succeeded');
    expect(decideStatus({ ...both, steps: [...retry, ...cancelled.steps.map(later)] }).status).toBe(
      'cancelled',
    );
  });
});

const later = (s: Launch['steps'][number]) => ({
  ...s,
  exchange: { ...s.exchange, startedAt: s.exchange.startedAt + 60_000 },
});

import { describe, expect, it } from 'vitest';
import { loopKey } from '../../utils/diagnose/rules/redirect-loop';
import { scopeCharsIn } from '../../utils/diagnose/rules/request-too-large';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange, Finding, Launch } from '../../utils/model';
import { loopedSignIn, passwordRetried, signInNotKept } from '../fixtures/exchanges/outcomes';
import { loadExchanges } from '../fixtures/load';

function only(name: string, opts = {}): Launch {
  const launches = analyze(loadExchanges(name), opts);
  expect(launches).toHaveLength(1);
  return launches[0]!;
}
/** token-invisible as recorded with the app's origin watched: webRequest saw the app's pages too. */
const appWatched = () =>
  loadExchanges('token-invisible').map((e) =>
    e.source === 'webNavigation' ? { ...e, source: 'webRequest' as const } : e,
  );
const ids = (l: Launch) => l.findings.map((f) => `${f.severity}:${f.ruleId}`);
const evidence = (f: Finding, label: string) => f.evidence.find((e) => e.label === label);

describe('diagnosis of each recorded failure class', () => {
  it.each([
    ['forceauthn-400', ['error:force-authn-session']],
    ['oversized-400', ['error:request-too-large']],
    ['redirect-loop', ['error:redirect-loop']],
    ['unknown-client', ['error:authorization-error-page']],
    ['redirect-uri-not-registered', ['error:authorization-error-page']],
    ['aud-missing', ['error:aud-mismatch']],
    ['launch-invalid', ['error:launch-invalid']],
    ['persona-mismatch', ['error:persona-mismatch']],
    ['missing-patient', ['error:missing-patient-context']],
    ['invalid-scope', ['error:scope-rejected']],
    ['denied-by-user', ['warning:user-cancelled']],
    ['scopes-trimmed', ['error:scopes-trimmed', 'info:need-patient-banner']],
    ['state-lost', ['error:state-lost']],
    ['code-reused', ['error:code-reuse', 'info:need-patient-banner']],
    ['pkce-mismatch', ['error:pkce']],
    ['cors-token', ['error:cors-failure']],
    ['discovery-fhir-open', ['error:discovery-failure']],
    ['token-expired', ['error:token-expired', 'info:need-patient-banner']],
    ['success-oracle', ['info:need-patient-banner']],
    [
      'lint-generic',
      [
        'warning:aud-mismatch',
        'warning:pkce',
        'warning:state-entropy',
        'warning:launch-not-echoed',
        'warning:redirect-uri-mismatch',
        'warning:token-cache-control',
        'info:token-response-shape',
      ],
    ],
  ])('%s → %j', (name, expected) => {
    expect(ids(only(name))).toEqual(expected);
  });

  it('forceAuthn: session present, with the evidence and one-click fixes', () => {
    const l = only('forceauthn-400');
    const f = l.findings[0]!;
    const hop = l.steps.at(-1)!.exchange.id;
    expect(l.failedAt).toBe(hop);
    expect(evidence(f, 'status')).toEqual({ label: 'status', value: '400', exchangeId: hop });
    expect(evidence(f, 'forceAuthn (top level)')?.value).toBe('true');
    expect(evidence(f, 'isForceAuthn inside to=')?.value).toBe('true');
    expect(evidence(f, 'cookies sent')?.value).toBe(
      '3 cookie(s), 412 bytes: cloud-session-iframe, JSESSIONID, cerner-auth-session',
    );
    expect(evidence(f, 'URL length')?.value).toMatch(/^4\d{3} characters$/);
    expect(evidence(f, 'Cerner-Correlation-Id')?.value).toMatch(/^b0e1c2d3-/);
    expect(f.fixes.map((x) => x.kind)).toEqual(['enable-strip-rule', 'clear-session', 'relaunch']);
    expect(f.fixes[1]).toMatchObject({ origin: 'https://authorization.cerner.com' });
    expect(f.fixes[2]).toMatchObject({ url: expect.stringContaining('https://smart.cerner.com/smart/') });
    // The EHR page not recorded: the launch URL's `launch` code is single-use, so no URL is offered to copy.
    const noEhrPage = loadExchanges('forceauthn-400').filter((e) => !e.url.includes('/apps/'));
    const without = analyze(noEhrPage)[0]!.findings[0]!;
    expect(without.fixes.map((x) => x.kind)).toEqual(['enable-strip-rule', 'clear-session']);
  });

  it('a hop with isForceAuthn inside to= only says so, not forceAuthn=true', () => {
    const base = loadExchanges('forceauthn-400');
    const innerOnly = base.map((e) =>
      e.url.includes('/session-api/') ? { ...e, url: e.url.replace(/&forceAuthn=true$/, '') } : e,
    );
    expect(innerOnly.some((e) => e.url.includes('/session-api/') && !e.url.includes('&forceAuthn='))).toBe(
      true,
    );
    const f = analyze(innerOnly)[0]!.findings[0]!;
    expect(f.ruleId).toBe('force-authn-session');
    expect(f.summary).toContain('asked for a forced re-login (isForceAuthn=true inside its to= URL)');
    expect(f.summary).not.toContain('(forceAuthn=true)');
    expect(only('forceauthn-400').findings[0]!.summary).toContain('forced re-login (forceAuthn=true)');
  });

  it('the same 400 without cookies is not blamed on a cookie session; a huge one is "too large"', () => {
    const base = loadExchanges('forceauthn-400');
    const noCookies = base.map((e, i) =>
      i === base.length - 1 ? { ...e, requestCookies: { count: 0, bytes: 0, names: [] } } : e,
    );
    // No cookies sent: a session kept in the origin's storage is still possible, and said as such.
    const none = analyze(noCookies)[0]!.findings[0]!;
    expect(none).toMatchObject({
      ruleId: 'force-authn-session',
      title: 'forceAuthn rejected although no cookies were sent',
    });
    expect(none.summary).toContain('although the request carried no cookies');
    expect(none.summary).not.toContain('already held');
    const bigCookies = base.map((e, i) =>
      i === base.length - 1 ? { ...e, requestCookies: { count: 3, bytes: 4000, names: ['a', 'b', 'c'] } } : e,
    );
    expect(ids(analyze(bigCookies)[0]!)).toEqual(['error:request-too-large']);
    const unknown = base.map((e, i) => {
      if (i !== base.length - 1) return e;
      const { requestCookies: _drop, ...rest } = e;
      return rest;
    });
    const f = analyze(unknown)[0]!.findings[0]!;
    expect(f.ruleId).toBe('force-authn-session');
    expect(f.summary).toContain('not recorded');
  });

  it('"Cookie Too Large" with the cookies not recorded: not counted as 0, and clearing them comes first', () => {
    const base = loadExchanges('forceauthn-400');
    const sanitized = base.map((e, i) => {
      if (i !== base.length - 1) return e;
      const { requestCookies: _drop, ...rest } = e;
      // A short authorize URL inside to=: nothing in the URL makes the request large.
      const authorize = `${new URL(e.url).origin}/tenants/t/protocols/oauth2/profiles/smart-v1/personas/provider/authorize?client_id=c&scope=launch`;
      return {
        ...rest,
        url: `${e.url.slice(0, e.url.indexOf('?'))}?to=${encodeURIComponent(authorize)}&forceAuthn=true`,
        body: {
          text: '<h1>400 Request Header Or Cookie Too Large</h1>',
          mimeType: 'text/html',
          truncated: false,
        },
      };
    });
    const f = analyze(sanitized)[0]!.findings[0]!;
    expect(f.ruleId).toBe('request-too-large');
    expect(f.summary).toContain('cookies that were not recorded');
    expect(f.summary).not.toContain('cookies 0');
    expect(f.fixes[0]!.kind).toBe('clear-session');
  });

  it('oversized: reports sizes against the limit', () => {
    const f = only('oversized-400').findings[0]!;
    expect(evidence(f, 'request size')?.value).toBe('9404 bytes');
    expect(f.summary).toContain('8192');
  });

  it('oversized: names what makes the hop large only as far as the figures show it', () => {
    const base = loadExchanges('oversized-400');
    const hop = base.length - 1;
    const summaryWith = (change: (e: Exchange) => Exchange) =>
      analyze(base.map((e, i) => (i === hop ? change(e) : e)))[0]!.findings[0]!.summary;
    // As recorded: the scopes inside to= are most of the URL.
    const scopes = scopeCharsIn(base[hop]!.url);
    expect(scopes * 2).toBeGreaterThan(base[hop]!.url.length);
    expect(summaryWith((e) => e)).toContain(`encoded inside to=, make up most of it (${scopes} characters).`);
    // Another parameter grown past them: the scopes are named for their share only.
    const padded = (e: Exchange) => ({ ...e, url: `${e.url}&pad=${'x'.repeat(3 * e.url.length)}` });
    expect(summaryWith(padded)).toContain(
      `The requested scopes are ${scopes} characters of it: the rest of the URL`,
    );
    // Cookies larger than the URL.
    const cookies = (e: Exchange) => ({
      ...padded(e),
      requestCookies: { count: 2, bytes: 20 * e.url.length, names: ['a', 'b'] },
    });
    expect(summaryWith(cookies)).toContain('The cookies make up most of it.');
    // The fix for what makes up most of it comes first.
    const fixesWith = (change: (e: Exchange) => Exchange) =>
      analyze(base.map((e, i) => (i === hop ? change(e) : e)))[0]!.findings[0]!.fixes.map((x) => x.kind);
    expect(fixesWith(cookies).slice(0, 2)).toEqual(['clear-session', 'advice']);
    expect(fixesWith((e) => e).slice(0, 2)).toEqual(['advice', 'clear-session']);
  });

  it('scopeCharsIn: the scope parameter as sent, in the query or encoded inside to=', () => {
    expect(scopeCharsIn('https://a.example/authorize?client_id=x&scope=launch%20openid&state=s')).toBe(15);
    expect(scopeCharsIn('https://a.example/authorize?scope=abc')).toBe(3);
    const inner = encodeURIComponent('https://a.example/authorize?client_id=x&scope=launch%20openid&state=s');
    expect(scopeCharsIn(`https://a.example/session-api/realm/t?to=${inner}&forceAuthn=true`)).toBe(
      'launch%2520openid'.length,
    );
    // Encoded once more (a `to=` value encoded twice), as Oracle's session-api hop may carry it.
    expect(scopeCharsIn(`https://a.example/session-api/realm/t?to=${encodeURIComponent(inner)}`)).toBe(
      'launch%252520openid'.length,
    );
    expect(scopeCharsIn('https://a.example/authorize?client_id=x&myscope=1')).toBe(0);
  });

  it('error pages and OAuth errors are explained from the Oracle URN', () => {
    expect(only('unknown-client').findings[0]!.title).toBe('Unknown client');
    expect(only('redirect-uri-not-registered').findings[0]!.title).toBe('redirect_uri not registered');
    const aud = only('aud-missing').findings[0]!;
    expect(evidence(aud, 'server error')?.value).toBe(
      'urn:cerner:error:authorization-server:smart-v1:grant:launch:audience-required',
    );
  });

  it('state lost names both origins', () => {
    const l = only('state-lost');
    expect(l.status).toBe('failed');
    const f = l.findings[0]!;
    expect(evidence(f, 'launch page origin')?.value).toBe('http://localhost:5173');
    expect(evidence(f, 'callback origin')?.value).toBe('http://127.0.0.1:5173');
  });

  it('a callback whose token request could not be seen offers to watch the origin', () => {
    const watched = only('token-invisible', { watchedOrigins: ['https://*.cerner.com/*'] });
    expect(ids(watched)).toEqual(['warning:token-not-visible']);
    expect(watched.findings[0]!.fixes).toEqual([
      { kind: 'watch-origin', label: expect.any(String), origin: 'http://localhost:5173' },
    ]);
    expect(watched.status).toBe('authorized');
    const unknown = only('token-invisible');
    expect(ids(unknown)).toEqual(['warning:token-not-visible']);
    expect(unknown.findings[0]!.fixes[0]!.kind).toBe('watch-origin');
    expect(unknown.status).toBe('authorized');
    expect(ids(analyze(appWatched(), { watchedOrigins: ['http://localhost/*'] })[0]!)).toEqual([
      'error:state-lost',
    ]);
  });

  it('waits while a live launch may still move on', () => {
    const ex = loadExchanges('token-invisible');
    const last = Math.max(...ex.map((e) => e.completedAt ?? e.startedAt));
    expect(ids(analyze(ex, { now: last + 1000 })[0]!)).toEqual(['warning:token-not-visible']);
    expect(analyze(ex, { now: last + 1000 })[0]!.status).toBe('in-progress');
    expect(analyze(ex, { now: last + 60_000 })[0]!.status).toBe('authorized');
    const watched = { watchedOrigins: ['http://localhost/*'] };
    expect(ids(analyze(appWatched(), { ...watched, now: last + 1000 })[0]!)).toEqual([]);
    expect(ids(analyze(appWatched(), { ...watched, now: last + 60_000 })[0]!)).toEqual(['error:state-lost']);
  });

  it('scopes trimmed lists the dropped scopes and the 403', () => {
    const f = only('scopes-trimmed').findings[0]!;
    expect(evidence(f, 'dropped')?.value).toBe('patient/*.read user/Observation.read');
    expect(evidence(f, 'FHIR refused')?.value).toContain('403');
  });

  it('a rule that throws does not break analysis', () => {
    const boom = {
      id: 'boom',
      severity: 'error' as const,
      title: 'x',
      detect: () => {
        throw new Error('kaput');
      },
    };
    const l = analyze(loadExchanges('success-oracle'), { rules: [boom] })[0]!;
    expect(l.findings).toEqual([
      expect.objectContaining({
        ruleId: 'boom',
        severity: 'info',
        summary: expect.stringContaining('kaput'),
      }),
    ]);
  });
});

describe('redirect loops and sign-in retries', () => {
  const built = (exchanges: Exchange[]) => {
    const launches = analyze(exchanges);
    expect(launches).toHaveLength(1);
    return launches[0]!;
  };
  const loopFinding = (l: Launch) => l.findings.find((f) => f.ruleId === 'redirect-loop');

  it('a mistyped password posted again is no loop: the launch that went on is judged by its end', () => {
    const signedIn = built(passwordRetried({ token: true }));
    expect(signedIn.steps.filter((s) => s.label === 'IdP login (form)')).toHaveLength(3);
    expect(ids(signedIn)).toEqual(['info:need-patient-banner']);
    expect(signedIn.status).toBe('succeeded');
    // The app's origin not watched: the code reached it, the token request could not be seen.
    const authorized = built(passwordRetried());
    expect(ids(authorized)).toEqual(['warning:token-not-visible']);
    expect(authorized.status).toBe('authorized');
  });

  it('login forms the user submitted are not visits, even when sign-in never completes', () => {
    const gaveUp = built(passwordRetried({ mistakes: 4, signIn: false }));
    expect(loopFinding(gaveUp)).toBeUndefined();
  });

  it("a loop through Oracle's Loading page, which mints a new initialRequestId each round: no URL repeats, still a loop", () => {
    // The EHR launch up to the first authorize (a Loading page), then rounds of session-api (302) back to
    // authorize with the round's initialRequestId (a Loading page again, which sends the browser round
    // once more with a new one), until the recording stops: no browser error, no URL visited twice.
    const start = loadExchanges('redirect-loop').slice(0, 5);
    const authorize = start[4]!;
    const realm = 'https://authorization.cerner.com/session-api/realm/ec2458f2-1e24-41c8-b71b-0e701af7583d';
    const rounds: Exchange[] = [];
    let at = authorize.completedAt! + 100;
    for (let round = 1; round <= 4; round++) {
      const id = `0b1c2d3e-0000-4000-8000-00000000000${round}`;
      const back = `${authorize.url}&initialRequestId=${id}`;
      const base = { ...authorize, hop: 1, responseHeaders: {} };
      rounds.push({
        ...base,
        id: `round-${round}-session`,
        hop: 0,
        url: `${realm}?to=${encodeURIComponent(back)}&forceAuthn=true`,
        status: 302,
        location: back,
        startedAt: at,
        completedAt: at + 40,
      });
      rounds.push({
        ...base,
        id: `round-${round}-authorize`,
        url: back,
        status: 200,
        startedAt: at + 50,
        completedAt: at + 90,
      });
      at += 300;
    }
    const l = built([...start, ...rounds]);
    const f = loopFinding(l)!;
    expect(f.summary).toMatch(/went through authorize \(provider\) Loading page 5 times/);
    expect(l.status).toBe('failed');
    expect(l.findings[0]).toBe(f);
    expect(f.fixes.map((x) => x.kind)).toContain('clear-session');
    // Two rounds are a sign-in going on (the last authorize brings the code), not yet a loop.
    expect(loopFinding(built([...start, ...rounds.slice(0, 2)]))).toBeUndefined();
  });

  it('a visit is keyed without its initialRequestId, however deep in to= and wherever in the query', () => {
    const a = 'https://h/authorize?client_id=c&state=s';
    expect(loopKey(`${a}&initialRequestId=1-2`)).toBe(a);
    expect(loopKey('https://h/authorize?initialRequestId=9&client_id=c&state=s')).toBe(a);
    const to = (u: string) => `https://h/session-api/realm/r?to=${u}&forceAuthn=true`;
    const once = encodeURIComponent(a);
    const twice = encodeURIComponent(once);
    expect(loopKey(to(encodeURIComponent(`${a}&initialRequestId=7`)))).toBe(to(once));
    expect(loopKey(to(encodeURIComponent(encodeURIComponent(`${a}&initialRequestId=7`))))).toBe(to(twice));
    // Other values stay: another state is another visit.
    expect(loopKey(`${a}x&initialRequestId=1`)).not.toBe(a);
  });

  it('a loop in a frame of another site: third-party cookies, not a stale session; no session clearing offered', () => {
    const framed = loadExchanges('redirect-loop').map((e) =>
      e.type === 'main_frame' && new URL(e.url).host === 'authorization.cerner.com'
        ? { ...e, type: 'sub_frame' }
        : e,
    );
    const f = loopFinding(built(framed))!;
    expect(f.summary).toContain('It runs in a frame inside a page of another site');
    expect(f.summary).not.toContain('stale or conflicting session');
    expect(f.fixes.map((x) => x.kind)).not.toContain('clear-session');
    expect(f.fixes[0]!.label).toMatch(
      /^Open the app \(or at least its sign-in\) in a window or tab of its own/,
    );
    // The same loop in the tab itself: the session is the likely cause, and clearing it is offered.
    const inTab = loopFinding(built(loadExchanges('redirect-loop')))!;
    expect(inTab.fixes.map((x) => x.kind)).toContain('clear-session');
  });

  it('a sign-in in a frame that does not stick is said after one round, not after three', () => {
    const l = built(signInNotKept());
    const f = loopFinding(l)!;
    expect(f.title).toBe('Sign-in does not stick in a frame');
    expect(f.summary).toMatch(
      /^The sign-in was accepted \(IdP login \(form\) answered 303 and set 3 cookies\), but authorize \(provider\) right after it came without any cookie, and the server asked for sign-in again \(IdP login\)\. It runs in a frame/,
    );
    expect(f.fixes.map((x) => x.kind)).toEqual(['advice', 'relaunch']);
    expect(evidence(f, 'cookies it sent')?.value).toBe('0');
    expect(evidence(f, 'cookies the sign-in set')?.value).toBe(
      'cerner-authz-session, idp-session, cerner-sso',
    );
    // Settled, the launch failed at the request that came without the session.
    const back = l.steps.find((s) => s.kind === 'authorize' && s.exchange.hop === 1)!;
    expect(l.status).toBe('failed');
    expect(l.failedAt).toBe(back.exchange.id);
    expect(l.statusReason).toMatch(/^Sign-in does not stick in a frame: The sign-in was accepted/);
    // A file without cookies: the frame is reason enough, said with less certainty.
    expect(loopFinding(built(signInNotKept({ cookies: 'unknown' })))!.summary).toContain(
      'came without the session, it seems',
    );
  });

  it('in the tab itself, a sign-in whose cookies were not sent back says the browser kept them; not without that evidence', () => {
    const f = loopFinding(built(signInNotKept({ framed: false })))!;
    expect(f.title).toBe('Sign-in did not stick: no cookies sent back');
    expect(f.summary).toContain(
      'The browser sent none of the cookies the sign-in set back to authorization.cerner.com',
    );
    expect(f.fixes[0]!.label).toMatch(
      /^Allow cookies for https:\/\/authorization\.cerner\.com in this browser/,
    );
    expect(f.fixes.map((x) => x.kind)).not.toContain('clear-session');
    // Nothing known of the cookies, in the tab: no claim (the loop rule waits for three visits).
    expect(loopFinding(built(signInNotKept({ framed: false, cookies: 'unknown' })))).toBeUndefined();
    // The request carried cookies: the session was sent, so this is some other trouble.
    expect(loopFinding(built(signInNotKept({ cookies: 'sent' })))).toBeUndefined();
    // forceAuthn asked for the sign-in again on the way: that, not a lost session (force-authn-session).
    expect(loopFinding(built(signInNotKept({ cookies: 'unknown', forceAuthnAgain: true })))).toBeUndefined();
  });

  it('recorded live in Chromium, whose webRequest reports the hop at its redirect limit as aborted: the loop is why the launch failed', () => {
    const file = loadExchanges('redirect-loop');
    const gaveUp = file.at(-1)!;
    const chain = file.filter((e) => e.requestId === gaveUp.requestId && e !== gaveUp);
    const start = chain[0]!.startedAt;
    // session-api and /my-session/status in turn, 19 hops, then the 20th (the status page): its 302
    // arrived, and webRequest reports it aborted (net::ERR_ABORTED, not ERR_TOO_MANY_REDIRECTS).
    const hops = Array.from({ length: 20 }, (_, hop): Exchange => {
      const at = start + hop * 20;
      const base = hop < 19 ? chain[hop % chain.length]! : { ...chain[1]!, error: 'net::ERR_ABORTED' };
      return {
        ...base,
        id: `webRequest:${gaveUp.requestId}:${hop}`,
        hop,
        startedAt: at,
        completedAt: at + 10,
      };
    });
    const live = built([...file.filter((e) => e.requestId !== gaveUp.requestId), ...hops]);
    expect(live.status).toBe('failed');
    expect(live.failedAt).toBe(hops[19]!.id);
    expect(live.statusReason).toMatch(
      /^Redirect loop during sign-in: The browser went through .* 10 times until it gave up \(too many redirects\)/,
    );
    expect(live.findings.map((f) => f.ruleId)).toEqual(['redirect-loop']);
    expect(evidence(loopFinding(live)!, 'network error')?.value).toBe('net::ERR_ABORTED');
  });

  it('GET redirects bouncing between sign-in URLs are a loop unless a code reached the app after', () => {
    const stuck = built(loopedSignIn({ visits: 3 }));
    expect(loopFinding(stuck)).toMatchObject({ severity: 'error' });
    expect(evidence(loopFinding(stuck)!, 'visits')?.value).toBe('3');
    expect(loopFinding(built(loopedSignIn({ visits: 2 })))).toBeUndefined();
    const through = built(loopedSignIn({ visits: 3, callback: true }));
    expect(through.steps.some((s) => s.kind === 'callback')).toBe(true);
    expect(loopFinding(through)).toBeUndefined();
  });
});

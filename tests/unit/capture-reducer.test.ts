import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  type CaptureEvent,
  type CaptureState,
  emptyState,
  redactEvent,
} from '../../utils/capture';
import type { Exchange } from '../../utils/model';
import { captureBody } from '../../utils/redact/body';
import { cookieSummary } from '../../utils/redact/headers';

const T = 'ec2458f2-1e24-41c8-b71b-0e701af7583d';
const AUTH = `https://authorization.cerner.com/tenants/${T}/protocols/oauth2/profiles/smart-v1/personas/provider/authorize?response_type=code&client_id=app&state=st1`;
const SESSION_WITH = `https://authorization.cerner.com/session-api/realm/${T}?to=${encodeURIComponent(AUTH)}&forceAuthn=true`;
const SESSION_CLEAN = `https://authorization.cerner.com/session-api/realm/${T}?to=${encodeURIComponent(AUTH)}`;
const CODE = 'Abcdefghijklmnopqrstuvwxyz0123';
const CALLBACK = `http://localhost:4173/index.html?code=${CODE}&state=st1`;
const TOKEN = `https://authorization.cerner.com/tenants/${T}/protocols/oauth2/profiles/smart-v1/token`;
const LAUNCH = `http://localhost:4173/launch.html?iss=${encodeURIComponent(`https://fhir-ehr-code.cerner.com/r4/${T}`)}&launch=ctx-1`;
const INTERNAL = 'HTTP/1.1 307 Internal Redirect';

const base = { tabId: 7, frameId: 0, type: 'main_frame', method: 'GET' };
let clock = 1000;
const at = () => (clock += 10);

function req(requestId: string, url: string, extra: Partial<CaptureEvent> = {}): CaptureEvent {
  return { kind: 'request', requestId, url, timeStamp: at(), ...base, ...extra } as CaptureEvent;
}
function headers(
  requestId: string,
  url: string,
  statusCode: number,
  h: Record<string, string> = {},
): CaptureEvent {
  const responseHeaders = Object.entries(h).map(([name, value]) => ({ name, value }));
  return {
    kind: 'headers',
    requestId,
    url,
    statusCode,
    statusLine: `HTTP/1.1 ${statusCode} X`,
    responseHeaders,
    timeStamp: at(),
    ...base,
  };
}
function redirect(
  requestId: string,
  url: string,
  redirectUrl: string,
  statusCode = 302,
  statusLine?: string,
): CaptureEvent {
  return { kind: 'redirect', requestId, url, redirectUrl, statusCode, statusLine, timeStamp: at(), ...base };
}
function done(
  requestId: string,
  url: string,
  statusCode = 200,
  extra: Partial<CaptureEvent> = {},
): CaptureEvent {
  return {
    kind: 'completed',
    requestId,
    url,
    statusCode,
    timeStamp: at(),
    ...base,
    ...extra,
  } as CaptureEvent;
}

function run(events: CaptureEvent[], permitted = false): Exchange[] {
  const state: CaptureState = emptyState();
  const ctx = { redact: true, hasHostPermission: () => permitted };
  for (const e of events) applyEvent(state, redactEvent(e), ctx);
  return Object.values(state.exchanges).sort((a, b) => a.startedAt - b.startedAt || a.hop - b.hop);
}

function brief(ex: Exchange[]) {
  return ex.map((e) => ({
    id: e.id,
    url: e.url,
    phase: e.phase,
    status: e.status,
    ...(e.rewrittenFrom ? { rewrittenFrom: e.rewrittenFrom } : {}),
  }));
}

const cases: Array<{ name: string; events: () => CaptureEvent[]; expected: ReturnType<typeof brief> }> = [
  {
    name: 'one request, complete',
    events: () => [req('1', AUTH), headers('1', AUTH, 200), done('1', AUTH)],
    expected: [{ id: 'webRequest:1:0', url: AUTH, phase: 'complete', status: 200 }],
  },
  {
    name: 'session-api rewritten by our rule (307 internal redirect)',
    events: () => [
      req('2', SESSION_WITH),
      redirect('2', SESSION_WITH, SESSION_CLEAN, 307, INTERNAL),
      req('2', SESSION_CLEAN),
      headers('2', SESSION_CLEAN, 400),
      done('2', SESSION_CLEAN, 400),
    ],
    expected: [
      {
        id: 'webRequest:2:0',
        url: SESSION_CLEAN,
        phase: 'complete',
        status: 400,
        rewrittenFrom: SESSION_WITH,
      },
    ],
  },
  {
    name: 'rewritten 302 target seen only as a URL change (quirk)',
    events: () => [
      req('3', AUTH),
      headers('3', AUTH, 302, { Location: SESSION_WITH }),
      redirect('3', AUTH, SESSION_WITH),
      req('3', SESSION_WITH),
      headers('3', SESSION_CLEAN, 303),
      redirect('3', SESSION_CLEAN, 'https://authorization.cerner.com/login', 303),
    ],
    expected: [
      { id: 'webRequest:3:0', url: AUTH, phase: 'complete', status: 302 },
      {
        id: 'webRequest:3:1',
        url: SESSION_CLEAN,
        phase: 'complete',
        status: 303,
        rewrittenFrom: SESSION_WITH,
      },
    ],
  },
  {
    name: 'onBeforeRequest missing',
    events: () => [headers('4', TOKEN, 400), done('4', TOKEN, 400)],
    expected: [{ id: 'webRequest:4:0', url: TOKEN, phase: 'complete', status: 400 }],
  },
  {
    name: 'completion before the request (out of order) keeps the phase',
    events: () => {
      const r = req('5', TOKEN, { method: 'POST', type: 'fetch' });
      return [done('5', TOKEN, 200), r];
    },
    expected: [{ id: 'webRequest:5:0', url: TOKEN, phase: 'complete', status: 200 }],
  },
  {
    name: 'network error',
    events: () => [
      req('6', TOKEN, { method: 'POST', type: 'fetch' }),
      { kind: 'error', requestId: '6', url: TOKEN, error: 'net::ERR_FAILED', timeStamp: at(), ...base },
    ],
    expected: [{ id: 'webRequest:6:0', url: TOKEN, phase: 'failed', status: undefined }],
  },
  {
    name: 'unrelated browsing is not recorded',
    events: () => [
      req('7', 'https://news.example/today'),
      done('7', 'https://news.example/today'),
      req('8', 'https://authorization.cerner.com/app.css', { type: 'stylesheet' }),
      { kind: 'nav-committed', tabId: 3, frameId: 0, url: 'https://shop.example/?q=1', timeStamp: at() },
    ],
    expected: [],
  },
  {
    name: 'redirect loop revisits the same URL as new hops',
    events: () => [
      req('9', AUTH),
      redirect('9', AUTH, SESSION_CLEAN),
      req('9', SESSION_CLEAN),
      redirect('9', SESSION_CLEAN, AUTH),
      req('9', AUTH),
      done('9', AUTH),
    ],
    expected: [
      { id: 'webRequest:9:0', url: AUTH, phase: 'complete', status: 302 },
      { id: 'webRequest:9:1', url: SESSION_CLEAN, phase: 'complete', status: 302 },
      { id: 'webRequest:9:2', url: AUTH, phase: 'complete', status: 200 },
    ],
  },
];

describe('capture reducer', () => {
  it.each(cases)('$name', ({ events, expected }) => {
    expect(brief(run(events()))).toEqual(expected);
  });

  it.each(cases)('$name: every event delivered twice gives the same result', ({ events }) => {
    const once = events();
    const twice = once.flatMap((e) => [e, e]);
    expect(brief(run(twice))).toEqual(brief(run(once)));
  });

  it('a navigation equally near two records completes the first recorded, one rewritten by our rule too', () => {
    const t = (timeStamp: number) => ({ timeStamp });
    const out = run([
      // A navigation before: the reducer's URL index exists when the rewrite comes.
      { kind: 'nav-committed', tabId: 7, frameId: 0, url: LAUNCH, timeStamp: 0 },
      // Request a, started first, is rewritten to the clean URL only after request b went there.
      req('a', SESSION_WITH, t(0)),
      req('b', SESSION_CLEAN, t(20)),
      redirect('a', SESSION_WITH, SESSION_CLEAN, 307, INTERNAL),
      // The commit is 10 ms from both starts.
      { kind: 'nav-committed', tabId: 7, frameId: 0, url: SESSION_CLEAN, timeStamp: 10 },
    ]);
    expect(out.map((e) => [e.requestId, e.url, e.phase])).toEqual([
      [undefined, LAUNCH, 'complete'],
      ['a', SESSION_CLEAN, 'complete'],
      ['b', SESSION_CLEAN, 'pending'],
    ]);
  });

  it('a request recorded from its completion alone has no known duration; one seen from its start has one', () => {
    const FHIR = 'https://fhir-ehr-code.cerner.com/r4/t/Patient/1';
    const [alone] = run([done('30', FHIR)]);
    expect(alone!.durationUnknown).toBe(true);
    const [whole] = run([req('31', FHIR), done('31', FHIR)]);
    expect(whole!.durationUnknown).toBeUndefined();
    expect(whole!.completedAt! - whole!.startedAt).toBe(10);
  });

  it('follows a redirect to the app callback and redacts the code', () => {
    const out = run([
      req('10', AUTH),
      redirect('10', AUTH, CALLBACK),
      req('10', CALLBACK),
      done('10', CALLBACK),
    ]);
    expect(out.map((e) => e.hop)).toEqual([0, 1]);
    expect(out[0]!.location).toContain('state=st1');
    expect(JSON.stringify(out)).not.toContain(CODE);
  });

  it("another server's sign-in and consent POSTs are kept: a login form, and any page POST that redirects into the launch", () => {
    const LOGIN = 'https://auth.example.net/auth/login';
    const CONSENT = 'https://auth.example.net/auth/consent';
    const post = { method: 'POST' };
    const out = run([
      req('20', LOGIN, { ...post, form: { username: ['pat'], password: ['Secr3t-pw'] } }),
      { ...done('20', LOGIN, 200), ...post } as CaptureEvent,
      // Consent: a form with nothing to tell it by, until its answer sends the browser to the callback.
      req('21', CONSENT, { ...post, form: { approve: ['yes'] } }),
      { ...redirect('21', CONSENT, CALLBACK, 303), ...post } as CaptureEvent,
      req('21', CALLBACK),
      done('21', CALLBACK),
      // A page POST that goes nowhere near a launch stays out.
      req('22', 'https://auth.example.net/profile', { ...post, form: { theme: ['dark'] } }),
      {
        ...redirect('22', 'https://auth.example.net/profile', 'https://auth.example.net/home', 303),
        ...post,
      } as CaptureEvent,
    ]);
    expect(out.map((e) => `${e.method} ${e.url.replace(/\?.*/, '')} ${e.status ?? ''} hop ${e.hop}`)).toEqual(
      [
        `POST ${LOGIN} 200 hop 0`,
        `POST ${CONSENT} 303 hop 0`,
        'GET http://localhost:4173/index.html 200 hop 1',
      ],
    );
    expect(out[0]!.form?.password).toEqual(['…[9]']);
    expect(JSON.stringify(out)).not.toContain('Secr3t-pw');
  });

  it('keeps a redirect’s next hop whose own events were lost, completed by its commit', () => {
    const chain = (lose: boolean) => [
      req('13', AUTH),
      redirect('13', AUTH, CALLBACK),
      ...(lose ? [] : [req('13', CALLBACK), done('13', CALLBACK)]),
      { kind: 'nav-committed', tabId: 7, frameId: 0, url: CALLBACK, timeStamp: at() } as CaptureEvent,
    ];
    const lost = run(chain(true), true);
    expect(lost.map((e) => [e.id, e.method, e.phase, e.inferred])).toEqual([
      ['webRequest:13:0', 'GET', 'complete', undefined],
      ['webRequest:13:1', 'GET', 'complete', true],
    ]);
    expect(JSON.stringify(lost)).not.toContain(CODE);
    // Delivered as usual, the hop is the browser's own record: no mark, its own start time.
    const whole = run(chain(false), true);
    expect(whole.map((e) => [e.id, e.phase, e.status, e.inferred])).toEqual([
      ['webRequest:13:0', 'complete', 302, undefined],
      ['webRequest:13:1', 'complete', 200, undefined],
    ]);
    expect(whole[1]!.startedAt).toBeGreaterThan(whole[0]!.completedAt!);
    // Nothing is made up for a URL the browser does not show us.
    expect(run(chain(true)).map((e) => e.id)).toEqual([
      'webRequest:13:0',
      expect.stringMatching(/^webNavigation:/),
    ]);
  });

  it('drops an inferred hop the request never followed, keeps one that failed itself', () => {
    const fail = (requestId: string, url: string): CaptureEvent =>
      ({
        kind: 'error',
        requestId,
        url,
        error: 'net::ERR_ABORTED',
        timeStamp: at(),
        ...base,
      }) as CaptureEvent;
    // Chromium stops after too many redirects: the error names the last URL it requested.
    const unfollowed = run([req('15', AUTH), redirect('15', AUTH, SESSION_CLEAN), fail('15', AUTH)], true);
    expect(unfollowed.map((e) => [e.id, e.url, e.error])).toEqual([
      ['webRequest:15:0', AUTH, 'net::ERR_ABORTED'],
    ]);
    const failed = run(
      [req('16', AUTH), redirect('16', AUTH, SESSION_CLEAN), fail('16', SESSION_CLEAN)],
      true,
    );
    expect(failed.map((e) => [e.url, e.phase, e.inferred])).toEqual([
      [AUTH, 'complete', undefined],
      [SESSION_CLEAN, 'failed', undefined],
    ]);
  });

  it('a redirected POST continues as GET after 302/303 and keeps its method after 307', () => {
    const post = (status: number) =>
      run(
        [
          req('14', TOKEN, { method: 'POST' }),
          { ...redirect('14', TOKEN, AUTH, status), method: 'POST' } as CaptureEvent,
        ],
        true,
      ).map((e) => e.method);
    expect(post(302)).toEqual(['POST', 'GET']);
    expect(post(303)).toEqual(['POST', 'GET']);
    expect(post(307)).toEqual(['POST', 'POST']);
  });

  it('keeps form fields of a token POST redacted, cookie names and selected headers only', () => {
    const out = run([
      req('11', TOKEN, {
        method: 'POST',
        type: 'fetch',
        initiator: 'http://localhost:4173',
        form: { grant_type: ['authorization_code'], code: [CODE], client_id: ['app'] },
      } as Partial<CaptureEvent>),
      {
        kind: 'send-headers',
        requestId: '11',
        url: TOKEN,
        timeStamp: at(),
        ...base,
        requestHeaders: [{ name: 'Cookie', value: `sid=${CODE}; other=1` }],
      },
      headers('11', TOKEN, 200, {
        'Cerner-Correlation-Id': 'corr-1',
        'Set-Cookie': `x=${CODE}; Path=/`,
        'X-Other': 'no',
      }),
      done('11', TOKEN),
    ]);
    const [ex] = out;
    expect(ex!.form).toEqual({ grant_type: ['authorization_code'], code: ['Abc…[30]'], client_id: ['app'] });
    expect(ex!.requestCookies).toEqual({ count: 2, bytes: 43, names: ['sid', 'other'] });
    expect(ex!.setCookieNames).toEqual(['x']);
    expect(ex!.responseHeaders).toEqual({ 'cerner-correlation-id': 'corr-1' });
    expect(ex!.initiator).toBe('http://localhost:4173');
    expect(JSON.stringify(out)).not.toContain(CODE);
  });

  it("a closed tab marks the tab's latest exchange, once; another tab's are untouched", () => {
    const state = emptyState();
    const ctx = { hasHostPermission: () => true, redact: true };
    for (const e of [req('31', AUTH), done('31', AUTH), req('32', SESSION_WITH), done('32', SESSION_WITH)])
      applyEvent(state, e, ctx);
    const other = applyEvent(state, { kind: 'tab-closed', tabId: 99, timeStamp: at() }, ctx);
    expect(other.upserted.size).toBe(0);
    const closedAt = at();
    const change = applyEvent(state, { kind: 'tab-closed', tabId: base.tabId, timeStamp: closedAt }, ctx);
    const marked = Object.values(state.exchanges).filter((e) => e.tabClosedAt !== undefined);
    expect(marked.map((e) => [e.url, e.tabClosedAt])).toEqual([[SESSION_WITH, closedAt]]);
    expect([...change.upserted]).toEqual([marked[0]!.id]);
    expect(
      applyEvent(state, { kind: 'tab-closed', tabId: base.tabId, timeStamp: at() }, ctx).upserted.size,
    ).toBe(0);
  });

  it('a request whose headers were heard without a Cookie sent none (not: cookies unknown)', () => {
    const sent = (id: string, requestHeaders: { name: string; value: string }[]) => [
      req(id, AUTH),
      { kind: 'send-headers' as const, requestId: id, url: AUTH, timeStamp: at(), ...base, requestHeaders },
      headers(id, AUTH, 400, {}),
      done(id, AUTH),
    ];
    const [none, some] = run([
      ...sent('21', [{ name: 'Accept', value: '*/*' }]),
      ...sent('22', [{ name: 'Cookie', value: 'sid=1' }]),
    ]);
    expect(none!.requestCookies).toEqual({ count: 0, bytes: 0, names: [] });
    expect(some!.requestCookies).toEqual({ count: 1, bytes: 5, names: ['sid'] });
    // No send-headers event (a host whose headers are not listened to): unknown, as before.
    const [unheard] = run([req('23', AUTH), headers('23', AUTH, 400, {}), done('23', AUTH)]);
    expect(unheard!.requestCookies).toBeUndefined();
  });

  it('records app-side launch and callback navigations, partial without host permission', () => {
    const events: CaptureEvent[] = [
      { kind: 'tab-opened', tabId: 9, openerTabId: 7, timeStamp: at() },
      { kind: 'nav-before', tabId: 9, frameId: 0, url: LAUNCH, timeStamp: at() },
      { kind: 'nav-committed', tabId: 9, frameId: 0, url: LAUNCH, timeStamp: at() },
      { kind: 'nav-committed', tabId: 9, frameId: 0, url: CALLBACK, timeStamp: at() },
    ];
    const out = run(events);
    expect(out.map((e) => [e.source, e.phase, e.partial, e.openerTabId])).toEqual([
      ['webNavigation', 'complete', true, 7],
      ['webNavigation', 'complete', true, 7],
    ]);
    expect(run(events, true).every((e) => e.partial === false)).toBe(true);
  });

  it('does not duplicate a navigation that webRequest saw', () => {
    const out = run([
      req('12', AUTH),
      { kind: 'nav-committed', tabId: 7, frameId: 0, url: AUTH, timeStamp: at() },
      done('12', AUTH),
    ]);
    expect(out.map((e) => e.id)).toEqual(['webRequest:12:0']);
  });

  it('merges a DevTools body into the matching exchange, redacted', () => {
    const r = req('13', TOKEN, { method: 'POST', type: 'fetch' });
    const body = JSON.stringify({ access_token: CODE, token_type: 'Bearer', patient: '123' });
    const out = run([
      r,
      done('13', TOKEN, 200, { method: 'POST', type: 'fetch' }),
      {
        kind: 'body',
        tabId: 7,
        url: TOKEN,
        method: 'POST',
        status: 200,
        startedAt: (r as { timeStamp: number }).timeStamp,
        mimeType: 'application/json',
        text: body,
      },
    ]);
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0]!.body!.text)).toEqual({
      access_token: 'Abc…[30]',
      token_type: 'Bearer',
      patient: '123',
    });
  });

  it('keeps a body webRequest never saw as a partial devtools exchange', () => {
    const out = run([
      {
        kind: 'body',
        tabId: 7,
        url: TOKEN,
        method: 'POST',
        status: 400,
        startedAt: at(),
        text: '{"error":"invalid_grant"}',
      },
    ]);
    expect(out.map((e) => [e.source, e.status, e.partial, e.body?.text])).toEqual([
      ['devtools', 400, true, '{"error":"invalid_grant"}'],
    ]);
  });
});

const urls = [AUTH, SESSION_WITH, SESSION_CLEAN, CALLBACK, TOKEN, LAUNCH, 'https://x.example/', '%%%', ''];
const eventArb: fc.Arbitrary<CaptureEvent> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('request', 'send-headers', 'headers', 'completed', 'redirect', 'error'),
    requestId: fc.constantFrom('a', 'b', 'c'),
    url: fc.constantFrom(...urls),
    redirectUrl: fc.constantFrom(...urls),
    statusCode: fc.constantFrom(200, 302, 307, 400),
    statusLine: fc.constantFrom(undefined, INTERNAL, 'HTTP/1.1 400 Bad Request'),
    error: fc.string(),
    tabId: fc.integer({ min: -1, max: 3 }),
    timeStamp: fc.integer({ min: 0, max: 1000 }),
    method: fc.constantFrom('GET', 'POST', undefined),
  }) as fc.Arbitrary<CaptureEvent>,
  fc.record({
    kind: fc.constantFrom('nav-before', 'nav-committed', 'nav-error'),
    tabId: fc.integer({ min: 0, max: 3 }),
    frameId: fc.integer({ min: 0, max: 2 }),
    url: fc.constantFrom(...urls),
    timeStamp: fc.integer({ min: 0, max: 1000 }),
  }) as fc.Arbitrary<CaptureEvent>,
  fc.record({
    kind: fc.constant('body' as const),
    tabId: fc.integer({ min: 0, max: 3 }),
    url: fc.constantFrom(...urls),
    method: fc.constantFrom('GET', 'POST'),
    status: fc.constantFrom(0, 200, 400),
    startedAt: fc.integer({ min: 0, max: 1000 }),
    text: fc.string(),
  }),
);

/**
 * The events reduced into one long-running state, and into one reloaded from storage before every event:
 * the reducer indexes records per exchange table, and a reloaded state (a new table) starts without them.
 */
function keptAndReloaded(events: CaptureEvent[], permitted: boolean): [CaptureState, CaptureState] {
  const ctx = { hasHostPermission: () => permitted, redact: true };
  const kept = emptyState();
  let reloaded = emptyState();
  for (const e of events) {
    applyEvent(kept, redactEvent(e), ctx);
    reloaded = structuredClone(reloaded);
    applyEvent(reloaded, redactEvent(e), ctx);
  }
  return [kept, reloaded];
}

describe('capture reducer properties', () => {
  it('never throws and never stores a code, whatever the order', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 40 }), (events) => {
        const out = run(events);
        expect(JSON.stringify(out)).not.toContain(CODE);
        for (const ex of out) expect(['pending', 'complete', 'failed']).toContain(ex.phase);
      }),
    );
  });

  it('a long-running state reduces like one reloaded from storage before every event', () => {
    // The reducer indexes navigation and DevTools records per exchange table; a reloaded state (a new
    // table) starts without that index, so both must end the same whatever the events.
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 40 }), (events) => {
        const [kept, reloaded] = keptAndReloaded(events, false);
        expect(kept).toEqual(reloaded);
        expect(Object.keys(kept.exchanges)).toEqual(Object.keys(reloaded.exchanges));
      }),
    );
  });

  it('finds the records a navigation or body duplicates as a scan of every record does', () => {
    // Few URLs (the strip rule's rewrite among them), tabs and instants: records rewritten to another URL
    // and records equally near in time, which the reducer's URL index must answer as a scan would.
    const few = [SESSION_WITH, SESSION_CLEAN, CALLBACK];
    const at = fc.constantFrom(0, 10, 20);
    const crowded: fc.Arbitrary<CaptureEvent> = fc.oneof(
      fc.record({
        kind: fc.constantFrom('request', 'completed', 'redirect', 'error'),
        requestId: fc.constantFrom('a', 'b', 'c', 'd'),
        url: fc.constantFrom(...few),
        redirectUrl: fc.constantFrom(...few),
        statusCode: fc.constantFrom(200, 302, 307),
        statusLine: fc.constantFrom(undefined, INTERNAL),
        error: fc.constant('net::ERR_ABORTED'),
        tabId: fc.constantFrom(1, 2),
        timeStamp: at,
        method: fc.constantFrom('GET', 'POST'),
      }) as fc.Arbitrary<CaptureEvent>,
      fc.record({
        kind: fc.constantFrom('nav-before', 'nav-committed', 'nav-error'),
        tabId: fc.constantFrom(1, 2),
        frameId: fc.constant(0),
        url: fc.constantFrom(...few),
        timeStamp: at,
      }) as fc.Arbitrary<CaptureEvent>,
      fc.record({
        kind: fc.constant('body' as const),
        tabId: fc.constantFrom(1, 2),
        url: fc.constantFrom(...few),
        method: fc.constantFrom('GET', 'POST'),
        status: fc.constantFrom(0, 200),
        startedAt: at,
        text: fc.constant('{}'),
      }),
    );
    fc.assert(
      fc.property(fc.array(crowded, { maxLength: 30 }), (events) => {
        const [kept, reloaded] = keptAndReloaded(events, true);
        expect(kept).toEqual(reloaded);
      }),
      { numRuns: 2000 },
    );
  });

  it('any delivery order of a complete chain ends with no pending exchange', () => {
    const chain = [
      req('p', AUTH),
      redirect('p', AUTH, SESSION_CLEAN),
      req('p', SESSION_CLEAN),
      headers('p', SESSION_CLEAN, 400),
      done('p', SESSION_CLEAN, 400),
    ];
    fc.assert(
      fc.property(fc.shuffledSubarray(chain, { minLength: chain.length }), (events) => {
        const out = run(events);
        expect(out.length).toBeGreaterThan(0);
        expect(out.every((e) => e.phase === 'complete')).toBe(true);
      }),
    );
  });
});

describe('cookie values in redacted events', () => {
  it('keeps names, count and size, never a value', () => {
    const cookie = 'JSESSIONID=Zk9secretSession123; theme=dark; é=çà';
    const event: CaptureEvent = {
      kind: 'send-headers',
      requestId: '90',
      url: AUTH,
      timeStamp: at(),
      ...base,
      requestHeaders: [{ name: 'Cookie', value: cookie }],
    };
    const setCookie: CaptureEvent = {
      ...(headers('90', AUTH, 200) as Extract<CaptureEvent, { kind: 'headers' }>),
      responseHeaders: [{ name: 'Set-Cookie', value: 'SID=Zk9secretSet; Path=/; HttpOnly' }],
    };
    const redacted = JSON.stringify([redactEvent(event), redactEvent(setCookie)]);
    expect(redacted).not.toMatch(/Zk9secret|dark|çà/);
    const line = (redactEvent(event) as Extract<CaptureEvent, { kind: 'send-headers' }>).requestHeaders![0]!;
    expect(cookieSummary(line.value!)).toEqual(cookieSummary(cookie));
    const [ex] = run([event, setCookie]);
    expect(ex!.requestCookies).toEqual(cookieSummary(cookie));
    expect(ex!.setCookieNames).toEqual(['SID']);
  });
});

describe('DevTools bodies in redacted events', () => {
  it('are bounded and redacted before they are journaled, and reduced to the same body as before', () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlMTIzNDU2Nzg5';
    const text = JSON.stringify({ access_token: token, token_type: 'Bearer', pad: 'x'.repeat(70_000) });
    const event: CaptureEvent = {
      kind: 'body',
      tabId: 7,
      url: TOKEN,
      method: 'POST',
      status: 200,
      startedAt: at(),
      mimeType: 'application/json',
      text,
    };
    const redacted = redactEvent(event);
    expect(JSON.stringify(redacted)).not.toContain(token);
    expect(redactEvent(redacted)).toEqual(redacted);
    const state = emptyState();
    applyEvent(state, redacted, { redact: true, hasHostPermission: () => true });
    expect(Object.values(state.exchanges)[0]!.body).toEqual(captureBody(text, 'application/json', true));
  });
});

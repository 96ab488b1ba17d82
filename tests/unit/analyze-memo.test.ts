import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cachedScopeDiff } from '../../utils/diagnose/scope-diff';
import { analyze } from '../../utils/launch/analyze';
import { classify } from '../../utils/launch/classify';
import type { Exchange, Launch } from '../../utils/model';
import { diffScopes, parseScopes } from '../../utils/smart/scopes';
import { decodeUrl } from '../../utils/url';
import { analyzeCorpus } from '../bench/analyze';
import { makeExchange } from '../fixtures/exchange';
import { fixtureNames, loadExchanges, twinOf } from '../fixtures/load';

/**
 * analyze() remembers per exchange object and revision what it derived from it (classification,
 * decoded URL, correlation facts, parsed token bodies, a launch's findings). The reference for every
 * check here is the same analysis of deep copies of the exchanges, which nothing remembered applies
 * to. Whoever changes an exchange in place bumps its revision (the capture reducer does).
 */
const json = (launches: Launch[]) => JSON.stringify(launches);
const cold = (exchanges: Exchange[], opts = {}) => json(analyze(structuredClone(exchanges), opts));

/** An exchange changed in place gets a new revision. */
function bump(ex: Exchange): void {
  ex.revision = (ex.revision ?? 0) + 1;
}

/** Assign in place; true, so that edits read as conditions. */
function set<T extends object, K extends keyof T>(target: T, key: K, value: T[K]): true {
  target[key] = value;
  return true;
}

/**
 * A launch of its own in another tab a second after `last` (a FHIR call refused with 401): it takes the
 * capture's recent end, which is correlated again on every call, so the launch before it is kept from
 * call to call (utils/launch/correlate.ts).
 */
function laterLaunch(last: number): Exchange {
  return makeExchange({
    id: 'later',
    url: 'https://fhir.example/r4/Patient/1',
    type: 'xmlhttprequest',
    tabId: 99,
    startedAt: last + 1_000,
    completedAt: last + 1_010,
    status: 401,
  });
}

/** Where two serialised analyses part, with some context; '' when they are the same. */
function difference(actual: string, expected: string): string {
  if (actual === expected) return '';
  let i = 0;
  while (i < actual.length && actual[i] === expected[i]) i++;
  return `at ${i}: …${actual.slice(Math.max(0, i - 200), i + 200)}… expected …${expected.slice(Math.max(0, i - 200), i + 200)}…`;
}

describe('analyze: remembered results never change the output', () => {
  it.each(fixtureNames())('%s: a second analysis of the same objects equals a fresh one', (name) => {
    const exchanges = loadExchanges(name);
    const first = json(analyze(exchanges));
    expect(difference(json(analyze(exchanges)), first)).toBe('');
    expect(difference(first, cold(exchanges))).toBe('');
  });

  it('20,000 exchanges: same objects again, and fresh copies, give the same launches', {
    timeout: 60_000,
  }, () => {
    const big = analyzeCorpus(20_000);
    const first = analyze(big);
    const again = analyze(big);
    expect(difference(json(again), json(first))).toBe('');
    expect(difference(json(again), cold(big))).toBe('');
    // Every step carries its URL decoded exactly as decodeUrl() decodes it.
    for (const launch of again) {
      for (const step of launch.steps) expect(step.decoded).toEqual(decodeUrl(step.exchange.url));
    }
  });

  it('exchanges updated in place between analyses are analyzed as they are now', () => {
    const pool = fixtureNames().flatMap((n) => loadExchanges(n));
    const pick = (i: number) => pool[i % pool.length]!;
    const withForm = pool.filter((e) => e.form);
    const withBody = pool.filter((e) => e.body);
    const mutation = fc.oneof(
      fc.record({
        kind: fc.constant('status' as const),
        v: fc.constantFrom(200, 302, 400, 401, 500, undefined),
      }),
      fc.record({ kind: fc.constant('url' as const), from: fc.nat() }),
      fc.record({
        kind: fc.constant('content-type' as const),
        v: fc.constantFrom('text/html', 'application/fhir+json', undefined),
      }),
      fc.record({ kind: fc.constant('smart-launch' as const), v: fc.constantFrom('ctx-1', undefined) }),
      fc.record({ kind: fc.constant('location' as const), from: fc.nat() }),
      fc.record({ kind: fc.constant('form' as const), from: fc.nat() }),
      fc.record({ kind: fc.constant('body' as const), from: fc.nat() }),
      fc.record({ kind: fc.constant('body-text' as const), from: fc.nat() }),
      fc.record({ kind: fc.constant('method' as const), v: fc.constantFrom('GET', 'POST') }),
      fc.record({ kind: fc.constant('type' as const), v: fc.constantFrom('main_frame', 'xmlhttprequest') }),
      fc.record({ kind: fc.constant('tab' as const), v: fc.integer({ min: -1, max: 3 }) }),
      fc.record({
        kind: fc.constant('initiator' as const),
        v: fc.constantFrom('https://app.example', undefined),
      }),
      fc.record({ kind: fc.constant('request' as const), v: fc.constantFrom('r1', 'r2', undefined) }),
      fc.record({
        kind: fc.constant('source' as const),
        v: fc.constantFrom('webRequest', 'webNavigation', 'har'),
      }),
      fc.record({ kind: fc.constant('timing' as const), v: fc.integer({ min: -5000, max: 5000 }) }),
      fc.record({ kind: fc.constant('error' as const), v: fc.constantFrom('net::ERR_FAILED', undefined) }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: fixtureNames().length - 1 }),
        fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        (fixture, mutations, settledLater) => {
          // A fixture twice (its own objects: an edit touches one exchange; the copy a moment later in the next tab, with the same state and codes,
          // so that tabs and times decide), plus a successful launch.
          const a = loadExchanges(fixtureNames()[fixture]!);
          const exchanges = structuredClone([...a, ...twinOf(a), ...loadExchanges('success-oracle')]);
          const last = Math.max(...exchanges.map((e) => e.completedAt ?? e.startedAt));
          const opts = { now: last + 1000 };
          analyze(exchanges, opts);
          for (const [at, m] of mutations) {
            const ex = exchanges[at % exchanges.length]!;
            switch (m.kind) {
              case 'status':
                ex.status = m.v;
                break;
              case 'url':
                ex.url = pick(m.from).url;
                break;
              case 'content-type':
              case 'smart-launch':
                if (m.v === undefined) delete ex.responseHeaders[m.kind];
                else ex.responseHeaders[m.kind] = m.v;
                break;
              case 'location':
                ex.location = pick(m.from).url;
                break;
              case 'form':
                ex.form = structuredClone(withForm[m.from % withForm.length]!.form);
                break;
              case 'body':
                ex.body = structuredClone(withBody[m.from % withBody.length]!.body);
                break;
              case 'body-text':
                if (ex.body) ex.body.text = withBody[m.from % withBody.length]!.body!.text;
                break;
              case 'method':
                ex.method = m.v;
                break;
              case 'type':
                ex.type = m.v;
                break;
              case 'tab':
                ex.tabId = m.v;
                break;
              case 'initiator':
                ex.initiator = m.v;
                break;
              case 'request':
                ex.requestId = m.v;
                break;
              case 'source':
                ex.source = m.v;
                break;
              case 'timing':
                ex.startedAt += m.v;
                ex.completedAt = ex.startedAt + Math.abs(m.v);
                break;
              case 'error':
                ex.error = m.v;
                break;
            }
            bump(ex);
          }
          const later = settledLater ? { now: last + 60_000 } : opts;
          expect(difference(json(analyze(exchanges, later)), cold(exchanges, later))).toBe('');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('each field analysis reads, changed in place on any exchange, is seen by the next analysis', {
    timeout: 60_000,
  }, () => {
    const pool = fixtureNames().flatMap((n) => loadExchanges(n));
    // For each field: a way to give an exchange another value taken from a different exchange.
    const edits: [string, (ex: Exchange, other: Exchange) => boolean][] = [
      ['tabId', (ex) => set(ex, 'tabId', ex.tabId + 1)],
      ['form', (ex, o) => o.form !== undefined && set(ex, 'form', structuredClone(o.form))],
      ['requestId', (ex, o) => o.requestId !== ex.requestId && set(ex, 'requestId', o.requestId)],
      ['initiator', (ex, o) => o.initiator !== ex.initiator && set(ex, 'initiator', o.initiator)],
      ['location', (ex, o) => o.url !== ex.location && set(ex, 'location', o.url)],
      ['smart-launch', (ex) => set(ex.responseHeaders, 'smart-launch', 'other-launch')],
      ['source', (ex) => set(ex, 'source', ex.source === 'webNavigation' ? 'webRequest' : 'webNavigation')],
      ['url', (ex, o) => o.url !== ex.url && set(ex, 'url', o.url)],
      ['method', (ex) => set(ex, 'method', ex.method === 'POST' ? 'GET' : 'POST')],
      ['status', (ex) => set(ex, 'status', ex.status === 200 ? 400 : 200)],
      ['type', (ex) => set(ex, 'type', ex.type === 'main_frame' ? 'xmlhttprequest' : 'main_frame')],
      ['content-type', (ex) => set(ex.responseHeaders, 'content-type', 'text/html')],
      ['body', (ex, o) => o.body !== undefined && set(ex, 'body', structuredClone(o.body))],
    ];
    for (const name of fixtureNames()) {
      const a = loadExchanges(name);
      // The fixture twice (its own objects: an edit touches one exchange), the copy a moment later in the next tab with the same state and codes.
      const base = [...a, ...twinOf(a)];
      for (const [field, edit] of edits) {
        for (let i = 0; i < a.length; i++) {
          const exchanges = structuredClone(base);
          analyze(exchanges);
          const other = pool[(i * 7 + field.length) % pool.length]!;
          if (!edit(exchanges[i]!, other)) continue;
          bump(exchanges[i]!);
          const problem = difference(json(analyze(exchanges)), cold(exchanges));
          expect(problem, `${name}: ${field} of exchange ${i}`).toBe('');
        }
      }
    }
  });

  it('a rule list changed in place between analyses orders findings by its new order', () => {
    const exchanges = loadExchanges('lint-generic');
    const rules = (rule: string) => ({
      id: rule,
      severity: 'warning' as const,
      title: rule,
      detect: () => [
        { ruleId: rule, severity: 'warning' as const, title: rule, summary: '', evidence: [], fixes: [] },
      ],
    });
    const list = [rules('a'), rules('b'), rules('c')];
    expect(analyze(exchanges, { rules: list })[0]!.findings.map((f) => f.ruleId)).toEqual(['a', 'b', 'c']);
    list.reverse();
    expect(analyze(exchanges, { rules: list })[0]!.findings.map((f) => f.ruleId)).toEqual(['c', 'b', 'a']);
  });
});

describe('classify: remembered per exchange while its revision is unchanged', () => {
  const ex = (url: string, more: Partial<Exchange> = {}): Exchange => makeExchange({ url, ...more });

  const cases: [string, Exchange, (e: Exchange) => void][] = [
    [
      'url',
      ex('https://a.example/x?iss=https://f.example'),
      (e) => set(e, 'url', 'https://a.example/cb?code=1'),
    ],
    ['method', ex('https://a.example/token'), (e) => set(e, 'method', 'POST')],
    [
      'status',
      ex('https://a.example/authorize?response_type=code&client_id=c', {
        responseHeaders: { 'content-type': 'text/html' },
        status: 302,
      }),
      (e) => set(e, 'status', 200),
    ],
    ['type', ex('https://a.example/cb?state=s&error_uri=u'), (e) => set(e, 'type', 'xmlhttprequest')],
    [
      'content-type',
      ex('https://a.example/api/Patient/1'),
      (e) => set(e.responseHeaders, 'content-type', 'application/fhir+json'),
    ],
    [
      'body mimeType',
      ex('https://a.example/authorize?response_type=code&client_id=c', {
        status: 200,
        body: { text: '', truncated: false },
      }),
      (e) => set(e.body!, 'mimeType', 'text/html'),
    ],
    [
      'grant_type',
      ex('https://a.example/oauth/token', { method: 'POST', form: { grant_type: ['authorization_code'] } }),
      (e) => set(e.form!, 'grant_type', ['refresh_token']),
    ],
    [
      'password',
      ex('https://a.example/auth', { method: 'POST', form: { username: ['u'] } }),
      (e) => set(e.form!, 'password', ['p']),
    ],
    [
      'SAMLResponse',
      ex('https://a.example/acs', { method: 'POST' }),
      (e) => set(e, 'form', { SAMLResponse: ['x'] }),
    ],
  ];
  it.each(cases)('%s changed in place', (_field, exchange, change) => {
    const before = classify(exchange);
    change(exchange);
    bump(exchange);
    const after = classify(exchange);
    const fresh = classify(structuredClone(exchange));
    expect([after.kind, after.label]).toEqual([fresh.kind, fresh.label]);
    expect([after.kind, after.label]).not.toEqual([before.kind, before.label]);
    expect(after.decoded).toEqual(decodeUrl(exchange.url));
  });
});

describe('revisions', () => {
  const token = (): Exchange[] => structuredClone(loadExchanges('success-oracle'));
  const failToken = (ex: Exchange) => {
    ex.status = 400;
    ex.body = { text: '{"error":"invalid_grant"}', mimeType: 'application/json', truncated: false };
  };
  const tokenOf = (xs: Exchange[]) => xs.find((e) => e.form?.grant_type?.[0] === 'authorization_code')!;

  it('a changed exchange with a bumped revision is analyzed again, as a fresh analysis sees it', () => {
    const exchanges = token();
    const before = json(analyze(exchanges));
    const ex = tokenOf(exchanges);
    failToken(ex);
    bump(ex);
    const after = json(analyze(exchanges));
    expect(after).not.toBe(before);
    expect(difference(after, cold(exchanges))).toBe('');
    expect(analyze(exchanges)[0]!.status).toBe('failed');
  });
});

describe('remembered findings', () => {
  it('are worked out again when a rule reads the time itself', () => {
    const clock = {
      id: 'clock',
      severity: 'info' as const,
      title: 'clock',
      detect: (_l: Launch, ctx: { now: number }) => [
        {
          ruleId: 'clock',
          severity: 'info' as const,
          title: 't',
          summary: String(ctx.now),
          evidence: [],
          fixes: [],
        },
      ],
    };
    const launch = loadExchanges('success-oracle');
    const last = Math.max(...launch.map((e) => e.completedAt ?? e.startedAt));
    const exchanges = [...launch, laterLaunch(last)];
    for (const shared of [false, true]) {
      const at = (now: number) =>
        analyze(exchanges, { now, rules: [clock], shared }).find((l) => l.steps.length > 1)!.findings[0]!
          .summary;
      expect(at(last + 60_000)).toBe(String(last + 60_000));
      expect(at(last + 70_000)).toBe(String(last + 70_000));
    }
  });

  it('are worked out again once a launch has settled', () => {
    for (const name of fixtureNames()) {
      const exchanges = loadExchanges(name);
      const last = Math.max(...exchanges.map((e) => e.completedAt ?? e.startedAt));
      for (const now of [last + 1000, last + 60_000, last + 2000]) {
        expect(difference(json(analyze(exchanges, { now })), cold(exchanges, { now })), name).toBe('');
      }
    }
  });

  it('follow the watched origins', () => {
    const exchanges = loadExchanges('state-lost');
    const last = Math.max(...exchanges.map((e) => e.completedAt ?? e.startedAt));
    for (const watchedOrigins of [undefined, [], ['http://localhost/*'], ['<all_urls>'], []]) {
      const opts = { now: last + 60_000, ...(watchedOrigins ? { watchedOrigins } : {}) };
      expect(difference(json(analyze(exchanges, opts)), cold(exchanges, opts))).toBe('');
    }
  });

  it('are new objects on every call', () => {
    const exchanges = loadExchanges('forceauthn-400');
    const a = analyze(exchanges)[0]!.findings;
    const b = analyze(exchanges)[0]!.findings;
    expect(b).toEqual(a);
    expect(b[0]).not.toBe(a[0]);
    expect(b[0]!.evidence[0]).not.toBe(a[0]!.evidence[0]);
    a[0]!.evidence[0]!.value = 'edited by a caller';
    expect(analyze(exchanges)[0]!.findings).toEqual(b);
  });
});

describe('shared launches', () => {
  const lastAt = (xs: Exchange[]) => Math.max(...xs.map((e) => e.completedAt ?? e.startedAt));
  /** Three fixtures' launches, one after the other (an hour apart), with their own ids. */
  const capture = (): Exchange[] =>
    ['success-oracle', 'forceauthn-400', 'state-lost'].flatMap((name, k) =>
      loadExchanges(name).map((e) => ({
        ...structuredClone(e),
        id: `${k}-${e.id}`,
        ...(e.requestId ? { requestId: `${k}-${e.requestId}` } : {}),
        startedAt: e.startedAt + k * 3_600_000,
        ...(e.completedAt === undefined ? {} : { completedAt: e.completedAt + k * 3_600_000 }),
      })),
    );

  it("launches before the capture's recent end are handed out as the same objects", () => {
    const all = capture();
    const exchanges = all.filter((e) => !e.id.startsWith('2-'));
    const opts = { now: lastAt(all) + 1_000, shared: true };
    const before = analyze(exchanges, opts);
    const again = analyze(exchanges, opts);
    expect(again.length).toBe(2);
    // The newest launch is at the recent end, which is correlated again on every call (correlate.ts).
    expect(again[0]).toEqual(before[0]);
    expect(again[1]).toBe(before[1]);
    // A new launch arrives: the older ones are what they were.
    exchanges.push(...all.filter((e) => e.id.startsWith('2-')));
    const after = analyze(exchanges, opts);
    expect(after.length).toBe(3);
    expect(after[1]).toEqual(before[0]);
    expect(after[2]).toBe(before[1]);
    expect(difference(json(after), cold(exchanges, opts))).toBe('');
  });

  it('a launch kept as it was still settles, turns abandoned and follows the options as a fresh analysis does', () => {
    const captures = fixtureNames().map((name) => [name, loadExchanges(name)] as const);
    // A launch that stops at the authorization server (the user never signs in): it turns abandoned.
    captures.push(['stopped at authorize', loadExchanges('success-oracle').slice(0, 5)]);
    const seen = new Set<string>();
    for (const [name, launch] of captures) {
      const last = lastAt(launch);
      const exchanges = [...launch, laterLaunch(last)];
      // The time moves back and forth over the settle and abandon bounds with the options kept, and
      // each option changes with the time kept (a long idle launch is abandoned under both bounds).
      const times = [4_000_000, 1_000, 4_000, 60_000, 299_999, 300_000, 300_001, 2_000, 120_000, 120_001];
      for (const watchedOrigins of [undefined, ['<all_urls>']]) {
        for (const abandonAfterMs of [undefined, 120_000]) {
          // Then without the time (a recording): never abandoned, however long ago.
          for (const after of [...times, 4_000_000, undefined]) {
            const opts = {
              ...(after === undefined ? {} : { now: last + after }),
              shared: true,
              ...(abandonAfterMs ? { abandonAfterMs } : {}),
              ...(watchedOrigins ? { watchedOrigins } : {}),
            };
            const launches = analyze(exchanges, opts);
            for (const l of launches) seen.add(l.status);
            expect(difference(json(launches), cold(exchanges, opts)), `${name} +${after} ms`).toBe('');
          }
        }
      }
    }
    expect([...seen].sort()).toEqual([
      'abandoned',
      'authorized',
      'cancelled',
      'failed',
      'in-progress',
      'succeeded',
    ]);
  });

  it('without `shared`, what a caller changes is not seen by the next call', () => {
    const exchanges = loadExchanges('forceauthn-400');
    const a = analyze(exchanges)[0]!;
    const expected = json([a]);
    a.steps.pop();
    a.findings.pop();
    a.status = 'succeeded';
    expect(json([analyze(exchanges)[0]!])).toBe(expected);
  });
});

describe('remembered scope comparisons', () => {
  it('equal a fresh diffScopes() for every combination of absent, empty and given lists', () => {
    const requested = parseScopes('launch openid fhirUser patient/Observation.read patient/*.rs user/Foo.x');
    const granted = parseScopes('launch openid patient/Observation.rs');
    const supported = parseScopes('launch openid fhirUser patient/Observation.rs patient/Patient.rs');
    for (const r of [requested, [], parseScopes('patient/Patient.read')]) {
      for (const g of [undefined, [], granted]) {
        for (const s of [undefined, [], supported]) {
          expect(cachedScopeDiff(r, g, s)).toEqual(diffScopes(r, g, s));
          expect(cachedScopeDiff(r, g, s)).toEqual(diffScopes(r, g, s));
        }
      }
    }
  });
});

describe('redirect loops', () => {
  it('counts the most visited sign-in URL of a long loop as a plain tally does', () => {
    const base = loadExchanges('redirect-loop');
    const hops = base.filter((e) => /authorize|session-api/.test(e.url));
    expect(hops.length).toBeGreaterThan(0);
    // 60 hops: above the size where counting switches from pairwise to a map.
    const loop = Array.from({ length: 60 }, (_, i) => {
      const e = hops[i % hops.length]!;
      return {
        ...e,
        id: `loop-${i}`,
        startedAt: e.startedAt + i * 10,
        completedAt: e.startedAt + i * 10 + 5,
      };
    });
    const exchanges = [...base, ...loop];
    const launch = analyze(exchanges).find((l) => l.findings.some((f) => f.ruleId === 'redirect-loop'))!;
    const tally = new Map<string, number>();
    for (const s of launch.steps) {
      if (['authorize', 'loading-page', 'session-api', 'idp-login', 'other'].includes(s.kind))
        tally.set(s.exchange.url, (tally.get(s.exchange.url) ?? 0) + 1);
    }
    const most = Math.max(...tally.values());
    const finding = launch.findings.find((f) => f.ruleId === 'redirect-loop')!;
    expect(finding.evidence.find((e) => e.label === 'visits')?.value).toBe(String(most));
    expect(most).toBeGreaterThan(32);
  });
});

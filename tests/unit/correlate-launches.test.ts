import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AUTH_WINDOW_MS, byTime, correlate, sortedByTime } from '../../utils/launch/correlate';
import type { Exchange } from '../../utils/model';
import { makeExchange } from '../fixtures/exchange';
import { fixtureNames, loadExchanges } from '../fixtures/load';

const shift = (list: Exchange[], ms: number, tag: string, tabId?: number) =>
  list.map((e) => ({
    ...e,
    id: `${tag}${e.id}`,
    ...(e.requestId ? { requestId: `${tag}${e.requestId}` } : {}),
    startedAt: e.startedAt + ms,
    ...(e.completedAt ? { completedAt: e.completedAt + ms } : {}),
    ...(tabId ? { tabId } : {}),
  }));

describe('correlate', () => {
  it('interleaved launches in two tabs stay apart', () => {
    const a = loadExchanges('success-oracle');
    const b = shift(loadExchanges('lint-generic'), 500, 'b-');
    const launches = correlate([...a, ...b]);
    expect(launches.map((l) => l.steps.length).sort((x, y) => x - y)).toEqual([6, 13]);
    for (const l of launches)
      expect(new Set(l.steps.map((s) => s.exchange.id.startsWith('b-'))).size).toBe(1);
  });

  it('a relaunch long after reuses keys without merging', () => {
    const a = loadExchanges('forceauthn-400');
    const launches = correlate([...a, ...shift(a, AUTH_WINDOW_MS * 2, 'r-')]);
    expect(launches).toHaveLength(2);
  });

  it('tolerates missing steps: a token request without its callback still joins by client', () => {
    const full = loadExchanges('success-oracle');
    const withoutCallback = full.filter((e) => !(e.source === 'webNavigation' && e.url.includes('code=')));
    const launches = correlate(withoutCallback);
    expect(launches).toHaveLength(1);
    expect(launches[0]!.steps.map((s) => s.kind)).toContain('token');
  });

  it('drops webNavigation duplicates of a webRequest record', () => {
    const full = loadExchanges('success-oracle');
    const cb = full.find((e) => e.source === 'webNavigation' && e.url.includes('code='))!;
    const dup: Exchange = {
      ...cb,
      id: 'webRequest:9999:0',
      source: 'webRequest',
      requestId: '9999',
      status: 200,
      startedAt: cb.startedAt + 5,
    };
    const [launch] = correlate([...full, dup]);
    expect(launch!.steps.filter((s) => s.kind === 'callback').map((s) => s.exchange.id)).toEqual([
      'webRequest:9999:0',
    ]);
  });

  it('ignores traffic that belongs to no launch', () => {
    const noise = makeExchange({ id: 'n', tabId: 9, url: 'https://news.test/', startedAt: 1 });
    expect(correlate([noise])).toEqual([]);
  });

  it('never throws and loses no launch-starting step, whatever the order and subset', () => {
    const all = fixtureNames().flatMap((n, i) => shift(loadExchanges(n), i * 3_600_000, `${n}-`));
    fc.assert(
      fc.property(fc.shuffledSubarray(all), (subset) => {
        const launches = correlate(subset);
        const placed = new Set(launches.flatMap((l) => l.steps.map((s) => s.exchange.id)));
        for (const e of subset)
          if (/\/apps\/|preauth|authorize/.test(e.url) && e.source !== 'webNavigation')
            expect(placed.has(e.id)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});

describe('FHIR calls without a recorded launch', () => {
  const fhir = (status: number, at: number) =>
    makeExchange({
      id: `fhir-${status}-${at}`,
      url: 'https://fhir-ehr-code.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d/Patient/12724066',
      type: 'xmlhttprequest',
      status,
      startedAt: at,
      completedAt: at + 50,
      phase: 'complete',
      tabId: 3,
    });

  it('a refused one (401) starts a launch; answered calls after it start none', () => {
    const found = correlate([fhir(401, 1000), fhir(200, 2000)]);
    expect(found.map((l) => l.steps.map((s) => [s.kind, s.exchange.status]))).toEqual([[['fhir', 401]]]);
  });

  it('answered ones start none', () => {
    expect(correlate([fhir(200, 1000), fhir(404, 2000), fhir(403, 3000)])).toEqual([]);
  });
});

describe('discovery in a new tab of the same app', () => {
  const T = 'ec2458f2-1e24-41c8-b71b-0e701af7583d';
  const ISS = `https://fhir-ehr-code.cerner.com/r4/${T}`;
  const APP = 'https://app.example';
  const AUTHZ = `https://authorization.cerner.com/tenants/${T}/protocols/oauth2/profiles/smart-v1/personas/provider/authorize`;
  /** One EHR launch from Code Console in `tab`; without the app's launch URL when `dropLaunchUrl`. */
  function launch(tab: number, at: number, n: string, dropLaunchUrl = false): Exchange[] {
    const launchUrl = `${APP}/launch?iss=${encodeURIComponent(ISS)}&launch=ctx-${n}`;
    const callback = `${APP}/cb?code=code-${n}-0123456789abcdef&state=state-${n}`;
    const authorize = `${AUTHZ}?${new URLSearchParams({
      response_type: 'code',
      client_id: 'client-1',
      redirect_uri: `${APP}/cb`,
      launch: `ctx-${n}`,
      scope: 'launch user/Patient.read',
      state: `state-${n}`,
      aud: ISS,
    })}`;
    const ex = (i: number, p: Partial<Exchange> & { url: string }) =>
      makeExchange({
        id: `${n}-${i}`,
        tabId: tab,
        startedAt: at + i * 100,
        completedAt: at + i * 100 + 20,
        ...p,
      });
    return [
      ex(0, {
        url: `https://smart.cerner.com/smart/${T}/apps/sandbox-probe`,
        status: 302,
        location: `${APP}/launch`,
      }),
      ...(dropLaunchUrl ? [] : [ex(1, { url: launchUrl, status: 200 })]),
      ex(2, {
        url: `${ISS}/.well-known/smart-configuration`,
        type: 'fetch',
        initiator: APP,
        status: 200,
      }),
      ex(3, { url: authorize, status: 302, location: callback }),
      ex(4, { url: callback, status: 200 }),
    ];
  }

  it('joins the tab’s launch that authorizes next, not the same app’s finished launch in another tab', () => {
    // The second launch's launch URL was not recorded (an event the browser dropped): only its discovery
    // read names the FHIR server, as the first launch did.
    const found = correlate([...launch(4, 1_000, 'a'), ...launch(5, 60_000, 'b', true)]);
    const discovery = found.map((l) =>
      l.steps.filter((s) => s.kind === 'discovery').map((s) => s.exchange.id),
    );
    const states = found.map((l) => l.state);
    expect(discovery[states.indexOf('state-a')]).toEqual(['a-2']);
    expect(discovery[states.indexOf('state-b')]).toEqual(['b-2']);
  });
});

describe('time order', () => {
  // Few distinct times, so that ties (broken by hop, then id) are common; shapes differ as they do live.
  const exchange = fc.record({
    startedAt: fc.integer({ min: 0, max: 6 }),
    hop: fc.integer({ min: 0, max: 2 }),
    id: fc.string({ maxLength: 3 }),
    extra: fc.boolean(),
  });

  it("the app's own sign-in POST before or after a launch joins none and starts none", () => {
    const launch = loadExchanges('success-oracle');
    const callback = launch.find((e) => e.url.includes('code='))!;
    const app = new URL(callback.url).origin;
    const login = (id: string, at: number) =>
      makeExchange({
        id,
        url: `${app}/login`,
        method: 'POST',
        tabId: callback.tabId,
        startedAt: at,
        completedAt: at + 50,
        status: 200,
        form: { username: ['pat'], password: ['…[9]'] },
      });
    const first = launch[0]!.startedAt;
    const last = launch[launch.length - 1]!.startedAt;
    const launches = correlate(
      sortedByTime([login('before', first - 60_000), ...launch, login('after', last + 60_000)]),
    );
    expect(launches).toHaveLength(1);
    // (The same POST to the authorization server inside the launch would be its sign-in step.)
    expect(launches[0]!.steps.map((s) => s.exchange.id)).toEqual(
      correlate(launch)[0]!.steps.map((s) => s.exchange.id),
    );
  });

  it('sortedByTime gives byTime order for any input, and a new array', () => {
    fc.assert(
      fc.property(fc.array(exchange, { maxLength: 60 }), fc.boolean(), (raw, presorted) => {
        const xs = raw.map(
          ({ extra, ...e }) => ({ ...e, ...(extra ? { status: 200 } : {}) }) as unknown as Exchange,
        );
        const input = presorted ? [...xs].sort(byTime) : xs;
        const out = sortedByTime(input);
        expect(out).not.toBe(input);
        expect(out).toEqual([...input].sort(byTime));
        expect(out.every((ex, i) => ex === [...input].sort(byTime)[i])).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

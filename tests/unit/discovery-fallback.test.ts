import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange, Launch } from '../../utils/model';
import { Recorder } from '../fixtures/exchanges/oracle-flow';
import { loadExchanges } from '../fixtures/load';

/**
 * fhirclient on a SMART App Launch 1.0 server: `.well-known/smart-configuration` answers 404, the app
 * reads the CapabilityStatement's OAuth URIs from /metadata and goes on (utils/launch/correlate.ts,
 * wentOnPastDiscovery). Not an Oracle server: any SMART server may lack the document.
 */
const APP = 'http://localhost:8000';
const ISS = 'https://fhir.example.org/baseR4';
const AUTHORIZE = 'https://auth.example.org/oauth/authorize';
const STATE = 'q8Vx2mPz7LkT4nRw9sYb1cJd';
const REDIRECT = `${APP}/index.html`;

interface Flow {
  /** Status of the CapabilityStatement read; none when the app does not read it. */
  metadata?: number;
  /** How the authorize request ends: a redirect to the callback with a code, a refusal, or no request. */
  authorize?: 'code' | 400 | 'none';
  /** Token request after the callback (200), when recorded. */
  token?: boolean;
}

function launch(o: Flow = {}): Exchange[] {
  const r = new Recorder();
  r.add({ source: 'webNavigation', url: `${APP}/launch.html?iss=${encodeURIComponent(ISS)}&launch=abc123` });
  r.add({
    type: 'xmlhttprequest',
    initiator: APP,
    url: `${ISS}/.well-known/smart-configuration`,
    status: 404,
    responseHeaders: { 'content-type': 'text/html' },
  });
  if (o.metadata !== undefined) {
    r.add({
      type: 'xmlhttprequest',
      initiator: APP,
      url: `${ISS}/metadata`,
      status: o.metadata,
      responseHeaders: { 'content-type': 'application/fhir+json' },
    });
  }
  const authorize = o.authorize ?? 'code';
  if (authorize === 'none') return r.out;
  const url = `${AUTHORIZE}?response_type=code&client_id=my_app&scope=launch%20patient%2F*.read&redirect_uri=${encodeURIComponent(REDIRECT)}&aud=${encodeURIComponent(ISS)}&state=${STATE}&launch=abc123`;
  if (authorize === 400) {
    r.add({ initiator: APP, url, status: 400, responseHeaders: { 'content-type': 'text/html' } });
    return r.out;
  }
  const callback = `${REDIRECT}?code=SplxlOBeZQ&state=${STATE}`;
  r.add({ initiator: APP, url, status: 302, location: callback, responseHeaders: {} });
  r.add({ source: 'webNavigation', url: callback });
  if (o.token) {
    r.add({
      type: 'xmlhttprequest',
      method: 'POST',
      initiator: APP,
      url: 'https://auth.example.org/oauth/token',
      form: {
        grant_type: ['authorization_code'],
        code: ['Spl…'],
        redirect_uri: [REDIRECT],
        client_id: ['my_app'],
      },
      status: 200,
      responseHeaders: { 'content-type': 'application/json' },
    });
    r.add({
      type: 'xmlhttprequest',
      initiator: APP,
      url: `${ISS}/Patient/123`,
      status: 200,
      responseHeaders: { 'content-type': 'application/fhir+json' },
    });
  }
  return r.out;
}

function only(exchanges: Exchange[], opts = {}): Launch {
  const launches = analyze(exchanges, opts);
  expect(launches).toHaveLength(1);
  return launches[0]!;
}
const failedKind = (l: Launch) => l.steps.find((s) => s.exchange.id === l.failedAt)?.kind;
const discoveryFinding = (l: Launch) => l.findings.find((f) => f.ruleId === 'discovery-failure');
const errors = (l: Launch) => l.findings.filter((f) => f.severity === 'error').map((f) => f.ruleId);

describe('a failed discovery the app went on past', () => {
  it('fell back to /metadata and reached the callback: authorized, not failed at discovery', () => {
    const l = only(launch({ metadata: 200 }));
    expect(l.steps.map((s) => `${s.kind}${s.failed ? '!' : ''}`)).toEqual([
      'ehr-launch',
      'discovery!',
      'metadata',
      'authorize',
      'callback',
    ]);
    expect(l.status).toBe('authorized');
    expect(l.failedAt).toBeUndefined();
    expect(l.statusReason).not.toMatch(/discovery/i);
    expect(errors(l)).toEqual([]);
    const note = discoveryFinding(l)!;
    expect(note.severity).toBe('warning');
    expect(note.title).toBe('No SMART configuration: app used the CapabilityStatement');
    expect(note.summary).toMatch(/CapabilityStatement/);
    expect(note.summary).not.toMatch(/cannot find/);
    expect(note.evidence.map((e) => e.exchangeId)).toEqual([
      l.steps[1]!.exchange.id,
      l.steps[1]!.exchange.id,
      l.steps[2]!.exchange.id,
    ]);
  });

  it('live: the same launch is authorized too, and not failed while it moves on', () => {
    const ex = launch({ metadata: 200 });
    const last = Math.max(...ex.map((e) => e.completedAt ?? e.startedAt));
    expect(only(ex, { now: last + 60_000 }).status).toBe('authorized');
    // Just after the metadata read, before authorize: waiting, not failed.
    const early = ex.slice(0, 3);
    const at = early[2]!.completedAt!;
    const l = only(early, { now: at + 100 });
    expect(l.status).toBe('in-progress');
    expect(l.failedAt).toBeUndefined();
  });

  it('live, just after the 404 and before the fallback read: waiting, not failed; failed once it settles', () => {
    const ex = launch({ authorize: 'none' });
    const at = ex.at(-1)!.completedAt!;
    for (const now of [at + 100, at + 29_000]) {
      const l = only(ex, { now });
      expect(l.status).toBe('in-progress');
      expect(l.failedAt).toBeUndefined();
      expect(l.statusReason).toMatch(/^Waiting after discovery/);
      expect(errors(l)).toEqual([]);
      expect(discoveryFinding(l)?.severity).toBe('warning');
    }
    const settled = only(ex, { now: at + 31_000 });
    expect(settled.status).toBe('failed');
    expect(failedKind(settled)).toBe('discovery');
    expect(settled.findings[0]).toMatchObject({ ruleId: 'discovery-failure', severity: 'error' });
    // Then the fallback read arrives: the launch moves on.
    const more = launch({ metadata: 200, authorize: 'none' });
    expect(only(more, { now: more.at(-1)!.completedAt! + 100 }).status).toBe('in-progress');
  });

  it('with a token: succeeded, the missing document only noted', () => {
    const l = only(launch({ metadata: 200, token: true }));
    expect(l.status).toBe('succeeded');
    expect(discoveryFinding(l)?.severity).toBe('warning');
  });

  it('went on to authorize without reading /metadata (endpoints known otherwise): noted, not failed', () => {
    const l = only(launch({}));
    expect(l.status).toBe('authorized');
    expect(discoveryFinding(l)).toMatchObject({
      severity: 'warning',
      title: 'SMART discovery failed; app went on',
    });
  });

  it('a later step that fails is where the launch failed, not the discovery before it', () => {
    const l = only(launch({ metadata: 200, authorize: 400 }));
    expect(l.status).toBe('failed');
    expect(failedKind(l)).toBe('authorize');
    expect(discoveryFinding(l)?.severity).toBe('warning');
  });
});

describe('a failed discovery the launch stopped at still fails it', () => {
  it('no fallback read at all', () => {
    const l = only(launch({ authorize: 'none' }));
    expect(l.status).toBe('failed');
    expect(failedKind(l)).toBe('discovery');
    expect(l.findings[0]).toMatchObject({ ruleId: 'discovery-failure', severity: 'error' });
    expect(l.statusReason).toMatch(/cannot find the authorize and token endpoints/);
  });

  it('the CapabilityStatement read failed as well', () => {
    const l = only(launch({ metadata: 404, authorize: 'none' }));
    expect(l.status).toBe('failed');
    expect(failedKind(l)).toBe('discovery');
    expect(l.findings[0]).toMatchObject({ ruleId: 'discovery-failure', severity: 'error' });
  });

  it("Oracle's open endpoint (recorded fixture)", () => {
    const l = only(loadExchanges('discovery-fhir-open'));
    expect(l.status).toBe('failed');
    expect(failedKind(l)).toBe('discovery');
    expect(l.findings[0]).toMatchObject({ ruleId: 'discovery-failure', severity: 'error' });
    expect(l.findings[0]!.summary).toMatch(/^The app was launched with an iss on fhir-open/);
    // A standalone app configured with that base: no launch URL brought the iss.
    const standalone = only(loadExchanges('discovery-fhir-open').filter((e) => !/[?&]iss=/.test(e.url)));
    expect(standalone.findings[0]!.summary).toMatch(/^The app's FHIR server is on fhir-open/);
  });
});

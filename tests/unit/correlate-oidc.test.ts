import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange, Launch } from '../../utils/model';
import {
  APP,
  AUTH,
  cernerHeaders,
  fhirGet,
  ISS,
  Recorder,
  TENANT,
  tokenPost,
} from '../fixtures/exchanges/oracle-flow';
import { toCallback } from '../fixtures/exchanges/outcomes';

/**
 * An OIDC app validating its id_token reads the issuer's openid-configuration and JWKS after the launch
 * (oidc-client-ts, jose). Oracle's issuer is on the authorization host, never the launch's iss: the read
 * joins the launch (same tab, or the launch authorized at its host) and starts none of its own
 * (utils/launch/correlate.ts, oidcMatch and startsLaunch).
 */
const ISSUER = `${AUTH}/tenants/${TENANT}/oidc/idsps/${TENANT}/`;
const OIDC_CONFIG = `${ISSUER}.well-known/openid-configuration`;

function oidcReads(r: Recorder, o: { status?: number; tabId?: number } = {}) {
  const status = o.status ?? 200;
  r.wait(50).add({
    type: 'fetch',
    initiator: APP,
    url: OIDC_CONFIG,
    status,
    tabId: o.tabId ?? 101,
    responseHeaders: cernerHeaders({ 'content-type': 'application/json' }),
    ...(status === 200
      ? {
          body: {
            text: JSON.stringify({
              issuer: ISSUER,
              jwks_uri: `${AUTH}/jwk`,
              authorization_endpoint: `${AUTH}/tenants/${TENANT}/protocols/oauth2/profiles/smart-v1/personas/provider/authorize`,
              token_endpoint: `${AUTH}/tenants/${TENANT}/protocols/oauth2/profiles/smart-v1/token`,
            }),
            mimeType: 'application/json',
            truncated: false,
          },
        }
      : {}),
  });
  if (status === 200) {
    r.add({
      type: 'fetch',
      initiator: APP,
      url: `${AUTH}/jwk`,
      status: 200,
      tabId: o.tabId ?? 101,
      responseHeaders: cernerHeaders({ 'content-type': 'application/json' }),
    });
  }
}

/** The issuer's configuration read, refused by the browser (CORS: no status). */
function blockedRead(r: Recorder) {
  r.wait(50).add({
    type: 'fetch',
    initiator: APP,
    url: OIDC_CONFIG,
    phase: 'failed',
    error: 'net::ERR_FAILED',
    responseHeaders: {},
  });
}

/** A successful Oracle launch (token, a FHIR read). */
function launched(): Recorder {
  const r = new Recorder();
  toCallback(r);
  r.wait(120);
  tokenPost(r);
  fhirGet(r, 'Patient/12724066');
  return r;
}

/** A token, the issuer's configuration read blocked by CORS, then a FHIR read that succeeds. */
function wentOnPastBlockedRead(): Recorder {
  const r = new Recorder();
  toCallback(r);
  r.wait(120);
  tokenPost(r);
  blockedRead(r);
  fhirGet(r, 'Patient/12724066');
  return r;
}

/** A successful Oracle launch, then the app's id_token validation. */
function validated(o: Parameters<typeof oidcReads>[1] = {}): Exchange[] {
  const r = launched();
  oidcReads(r, o);
  return r.out;
}

function only(exchanges: Exchange[], opts = {}): Launch {
  const launches = analyze(exchanges, opts);
  expect(launches.map((l) => `${l.status} ${l.steps[0]?.label}`)).toHaveLength(1);
  return launches[0]!;
}
const labels = (l: Launch) => l.steps.map((s) => s.label);
const lastAt = (ex: Exchange[]) => Math.max(...ex.map((e) => e.completedAt ?? e.startedAt));

describe('OpenID configuration reads', () => {
  it('after a successful launch: join it, no second launch', () => {
    const ex = validated();
    const l = only(ex);
    expect(l.status).toBe('succeeded');
    expect(labels(l).slice(-2)).toEqual(['discovery (openid-configuration)', 'JWKS']);
    // The issuer is the authorization server's: the launch keeps its FHIR base.
    expect(l.iss).toBe(ISS);
    expect(l.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });

  it('live, long after: still one launch, succeeded (no abandoned phantom)', () => {
    const ex = validated();
    const l = only(ex, { now: lastAt(ex) + 6 * 60_000 });
    expect(l.status).toBe('succeeded');
  });

  it('sent from no tab (a worker): joins the launch authorized at its host', () => {
    const l = only(validated({ tabId: -1 }));
    expect(l.status).toBe('succeeded');
    expect(labels(l)).toContain('discovery (openid-configuration)');
  });

  it('a failed read after the token neither fails the launch nor reads as SMART discovery', () => {
    const l = only(validated({ status: 404 }));
    expect(l.status).toBe('succeeded');
    expect(l.failedAt).toBeUndefined();
    expect(l.steps.at(-1)).toMatchObject({ label: 'discovery (openid-configuration)', failed: true });
    expect(l.findings.some((f) => f.ruleId === 'discovery-failure')).toBe(false);
  });

  it('blocked by CORS: the finding names the OpenID configuration and id_token validation, not SMART discovery', () => {
    const r = new Recorder();
    toCallback(r);
    r.wait(120);
    tokenPost(r);
    blockedRead(r);
    const l = only(r.out);
    // The last thing the app did after its token, and no FHIR request worked: the launch failed there.
    expect(l.status).toBe('failed');
    expect(l.failedAt).toBe(l.steps.at(-1)!.exchange.id);
    const cors = l.findings.find((f) => f.ruleId === 'cors-failure')!;
    expect(cors.severity).toBe('error');
    expect(cors.summary).not.toMatch(/went on/);
    expect(cors.title).toBe('OpenID configuration blocked by CORS');
    expect(cors.summary).toContain(OIDC_CONFIG);
    expect(cors.summary).toMatch(/validate its id_token/);
    expect(cors.fixes.map((f) => f.label).join(' ')).toMatch(/jwks_uri/);
    expect(cors.fixes.map((f) => f.label).join(' ')).not.toMatch(/Register the app's origin/);
    // No evidence from the SMART configuration, which was read fine.
    expect(cors.evidence.map((e) => e.label)).not.toContain('Access-Control-Allow-Origin (discovery)');
  });

  it('blocked by CORS, then FHIR requests succeed: a warning that the id_token cannot be verified, launch succeeded', () => {
    const r = wentOnPastBlockedRead();
    const l = only(r.out);
    expect(l.status).toBe('succeeded');
    expect(l.failedAt).toBeUndefined();
    expect(l.statusReason).toBeUndefined();
    const cors = l.findings[0]!;
    expect(cors).toMatchObject({ ruleId: 'cors-failure', severity: 'warning' });
    expect(cors.title).toBe('OpenID configuration blocked by CORS');
    expect(cors.summary).toMatch(/went on without it/);
    expect(cors.summary).toMatch(/cannot verify the id_token/);
    expect(l.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('blocked by CORS after the FHIR reads succeeded: the same warning (the app reads it beside them, which ends first is timing)', () => {
    const r = launched();
    blockedRead(r);
    const l = only(r.out);
    expect(l.steps.filter((s) => s.kind === 'fhir' && !s.failed)).toHaveLength(1);
    expect(l.steps.at(-1)!.label).toBe('discovery (openid-configuration)');
    expect(l.status).toBe('succeeded');
    expect(l.findings[0]).toMatchObject({ ruleId: 'cors-failure', severity: 'warning' });
    expect(l.findings[0]!.summary).toMatch(/went on without it/);
  });

  it('blocked by CORS, then a FHIR success, then a FHIR call blocked too: that call fails the launch', () => {
    const r = wentOnPastBlockedRead();
    const blocked = r.wait(50).add({
      type: 'fetch',
      initiator: APP,
      url: `${ISS}/Observation?patient=12724066`,
      phase: 'failed',
      error: 'net::ERR_FAILED',
      responseHeaders: {},
    });
    const l = only(r.out);
    expect(l.status).toBe('failed');
    expect(l.failedAt).toBe(blocked.id);
    const cors = l.findings.filter((f) => f.ruleId === 'cors-failure');
    // A FHIR read of the same server passed its CORS check before: this one's answer most likely had no CORS headers.
    expect(cors.map((f) => `${f.severity} ${f.title}`)).toEqual([
      'error Answer hidden by CORS (likely an error answer)',
      'warning OpenID configuration blocked by CORS',
    ]);
  });

  it('blocked by CORS in a launch with no token request: a FHIR success after it is not enough', () => {
    const r = new Recorder();
    toCallback(r);
    blockedRead(r);
    fhirGet(r, 'Patient/12724066');
    const l = only(r.out);
    expect(l.steps.map((s) => s.kind)).not.toContain('token');
    expect(l.findings.find((f) => f.ruleId === 'cors-failure')?.severity).toBe('error');
  });

  it('with no launch around: no launch at all (like a JWKS read)', () => {
    const r = new Recorder();
    oidcReads(r);
    expect(analyze(r.out)).toEqual([]);
    expect(analyze(r.out, { now: lastAt(r.out) + 6 * 60_000 })).toEqual([]);
  });

  it('long after the launch (past the correlation window), same tab: joins it, no launch of its own', () => {
    const r = launched();
    r.wait(60 * 60_000);
    oidcReads(r);
    const l = only(r.out);
    expect(l.status).toBe('succeeded');
    expect(labels(l).slice(-2)).toEqual(['discovery (openid-configuration)', 'JWKS']);
  });

  it('long after, in another tab: joins nothing (only the authorization host is in common)', () => {
    const r = launched();
    r.wait(60 * 60_000);
    oidcReads(r, { tabId: 202 });
    expect(labels(only(r.out))).not.toContain('discovery (openid-configuration)');
  });

  it('long after a launch that got no token: joins nothing', () => {
    const r = new Recorder();
    toCallback(r);
    r.wait(60 * 60_000);
    oidcReads(r);
    expect(labels(only(r.out))).not.toContain('discovery (openid-configuration)');
  });

  it.each([
    ['right after the launch', 0],
    ['an hour later', 60 * 60_000],
  ])('a capture growing one exchange at a time gives what a fresh analysis gives: %s', (_name, gap) => {
    const r = launched();
    r.wait(gap);
    oidcReads(r);
    const all = r.out;
    const live: Exchange[] = [];
    for (const ex of all) {
      live.push(ex);
      expect(JSON.stringify(analyze(live))).toBe(JSON.stringify(analyze(structuredClone(live))));
    }
  });
});

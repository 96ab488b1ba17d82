import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Finding, Launch } from '../../utils/model';
import { APP, errorUri, Recorder, STATE } from '../fixtures/exchanges/oracle-flow';
import { toCallback } from '../fixtures/exchanges/outcomes';

/**
 * `error=unauthorized_client` on the way back from authorize. Oracle's persona mismatch is reported with
 * it, but the URN naming it is an unconfirmed spelling (utils/smart/oracle-urn-families.ts): without a
 * URN, an Oracle persona endpoint makes a persona mismatch likely, not certain; elsewhere the code means
 * what RFC 6749 says (utils/diagnose/rules/persona-mismatch.ts, utils/smart/oracle-errors.ts).
 */

function oracle(query: string, persona: 'provider' | 'patient' = 'provider'): Launch {
  const r = new Recorder();
  toCallback(r, query, { persona });
  const launches = analyze(r.out);
  expect(launches).toHaveLength(1);
  return launches[0]!;
}

/** A launch on a non-Oracle SMART server whose authorize answers `query`. */
function generic(query: string): Launch {
  const r = new Recorder();
  const iss = 'https://fhir.example.org/r4';
  r.add({ source: 'webNavigation', url: `${APP}/launch.html?iss=${encodeURIComponent(iss)}&launch=xyz123` });
  const callback = `${APP}/index.html?${query}`;
  const q = `response_type=code&client_id=demo-app&scope=launch%20openid&redirect_uri=${encodeURIComponent(`${APP}/index.html`)}&aud=${encodeURIComponent(iss)}&state=${STATE}&launch=xyz123`;
  r.add({
    initiator: APP,
    url: `https://auth.example.org/oauth2/authorize?${q}`,
    status: 302,
    location: callback,
    responseHeaders: { location: callback },
  });
  r.add({ source: 'webNavigation', url: callback });
  const launches = analyze(r.out);
  expect(launches).toHaveLength(1);
  return launches[0]!;
}

const BARE = `error=unauthorized_client&state=${STATE}`;
const cause = (l: Launch): Finding => l.findings[0]!;
const text = (f: Finding) => [f.title, f.summary, ...f.fixes.map((x) => x.label)].join(' ');
const evidence = (f: Finding, label: string) => f.evidence.find((e) => e.label === label)?.value;

describe('unauthorized_client without a URN', () => {
  it('on the provider persona endpoint: a likely persona mismatch naming the persona and Code Console', () => {
    const l = oracle(BARE);
    expect(l.status).toBe('failed');
    const f = cause(l);
    expect(f.ruleId).toBe('persona-mismatch');
    expect(f.severity).toBe('error');
    expect(f.title).toBe('Likely persona mismatch');
    expect(f.summary).toContain('…/personas/provider/authorize');
    expect(f.summary).toMatch(/most likely/i);
    expect(f.fixes[0]!.label).toMatch(/Code Console.*Provider app/);
    expect(f.fixes[0]!.label).toContain('personas/patient/authorize');
    expect(evidence(f, 'persona used')).toBe('provider');
    expect(evidence(f, 'error_uri')).toBe('(none)');
    // The failing callback is what the finding cites, so it is the launch's cause.
    expect(f.evidence.map((e) => e.exchangeId)).toContain(l.failedAt);
    expect(l.findings.some((x) => x.ruleId === 'unexplained-failure')).toBe(false);
  });

  it('on the patient persona endpoint: names the patient persona and points to the provider one', () => {
    const f = cause(oracle(BARE, 'patient'));
    expect(f.ruleId).toBe('persona-mismatch');
    expect(evidence(f, 'persona used')).toBe('patient');
    expect(f.summary).toContain('…/personas/patient/authorize');
    expect(f.fixes[0]!.label).toMatch(/Patient app/);
    expect(f.fixes[0]!.label).toContain('personas/provider/authorize');
  });

  it('with the persona-mismatch URN the wording stays certain', () => {
    const uri = errorUri('oauth2:grant:client-persona-mismatch');
    const f = cause(oracle(`error=unauthorized_client&error_uri=${encodeURIComponent(uri)}&state=${STATE}`));
    expect(f.ruleId).toBe('persona-mismatch');
    expect(f.title).toBe('Persona does not match the app registration');
    expect(text(f)).not.toMatch(/likely/i);
    expect(evidence(f, 'server error')).toBe(
      'urn:cerner:error:authorization-server:oauth2:grant:client-persona-mismatch',
    );
  });

  it('with another URN Oracle published, that URN explains it, not the persona', () => {
    const uri = errorUri('oauth2:grant:unauthorized-client-for-tenant');
    const l = oracle(`error=unauthorized_client&error_uri=${encodeURIComponent(uri)}&state=${STATE}`);
    expect(l.status).toBe('failed');
    expect(l.findings.some((f) => f.ruleId === 'persona-mismatch')).toBe(false);
    expect(evidence(cause(l), 'error_uri')).toContain('unauthorized-client-for-tenant');
  });

  it('outside Oracle persona paths: explained by RFC 6749 (grant or response type), no persona claim', () => {
    const l = generic(BARE);
    expect(l.status).toBe('failed');
    expect(l.findings.some((f) => f.ruleId === 'persona-mismatch')).toBe(false);
    const f = cause(l);
    expect(f.title).toBe('Unauthorized client');
    expect(f.summary).toMatch(/not allowed to use this grant or response type/);
    expect(text(f)).not.toMatch(/persona/i);
    expect(f.fixes[0]!.label).toMatch(/grant types .*response type code/);
  });
});

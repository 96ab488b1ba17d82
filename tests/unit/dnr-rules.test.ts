import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inRange, STRIP_FORCE_AUTHN_RANGE } from '../../utils/dnr/ids';
import { assertPortableRegex, simulateFinalUrl, simulateRedirect } from '../../utils/dnr/simulate';
import { buildStripRules, stripStateFromRules } from '../../utils/dnr/strip-force-authn';
import { DEFAULT_STRIP_SETTINGS } from '../../utils/dnr/types';
import { reportedUrl } from '../fixtures/forceauthn-url';

const rules = buildStripRules(true, DEFAULT_STRIP_SETTINGS);
const topOnly = buildStripRules(true, { ...DEFAULT_STRIP_SETTINGS, stripNested: false });
const realm = 'https://authorization.cerner.com/session-api/realm/t1';

describe('strip-forceAuthn rules: the reported URL', () => {
  it('is about 5 KB and double-encoded, like the report', () => {
    const url = reportedUrl();
    expect(url.length).toBeGreaterThan(5000);
    expect(url).toContain('%252F');
  });

  // The expected output is built independently: the same request generated without either flag.
  const clean = reportedUrl({ topLevel: 'none', nested: false });
  it.each([
    ['forceAuthn after to=', reportedUrl()],
    ['forceAuthn before to=', reportedUrl({ topLevel: 'before-to' })],
    ['ForceAuthn', reportedUrl({ topKey: 'ForceAuthn' })],
    ['forceauthn', reportedUrl({ topKey: 'forceauthn' })],
    ['FORCEAUTHN before to=', reportedUrl({ topKey: 'FORCEAUTHN', topLevel: 'before-to' })],
  ])('%s: both flags go in one redirect, everything else byte-for-byte', (_name, url) => {
    expect(simulateRedirect(rules, url, 'main_frame')).toBe(clean);
    expect(simulateRedirect(rules, url, 'sub_frame')).toBe(clean);
  });

  it('keeps isForceAuthn inside to= when the nested option is off', () => {
    const keepNested = reportedUrl({ topLevel: 'none' });
    expect(simulateRedirect(topOnly, reportedUrl(), 'main_frame')).toBe(keepNested);
  });

  it('strips only the top-level flag when to= carries no nested flag', () => {
    expect(simulateRedirect(rules, reportedUrl({ nested: false }), 'main_frame')).toBe(clean);
  });

  it('leaves a hop without a top-level flag alone (nothing to fix, no redirect)', () => {
    expect(simulateRedirect(rules, reportedUrl({ topLevel: 'none' }), 'main_frame')).toBeNull();
  });

  it('handles a double-encoded nested flag', () => {
    const url = `${realm}?to=https%253A%252F%252Fa%252Fauthorize%253Fx%253D1%2526isForceAuthn%253Dtrue%2526y%253D2&forceAuthn=true`;
    expect(simulateRedirect(rules, url, 'main_frame')).toBe(
      `${realm}?to=https%253A%252F%252Fa%252Fauthorize%253Fx%253D1%2526y%253D2`,
    );
  });
});

describe('strip-forceAuthn rules: edge cases', () => {
  it.each([
    ['only param', `${realm}?forceAuthn=true`, `${realm}?`],
    ['bare key', `${realm}?a=1&forceAuthn&b=2`, `${realm}?a=1&b=2`],
    ['first', `${realm}?forceAuthn=1&a=%41`, `${realm}?a=%41`],
    ['last', `${realm}?a=1&forceAuthn=false`, `${realm}?a=1`],
    ['twice', `${realm}?forceAuthn=1&a=2&forceAuthn=3`, `${realm}?a=2`],
    ['longer key kept', `${realm}?forceAuthnX=1&forceAuthn=1`, `${realm}?forceAuthnX=1`],
    [
      'isForceAuthn top-level key kept',
      `${realm}?isForceAuthn=true&forceAuthn=1`,
      `${realm}?isForceAuthn=true`,
    ],
    ['encoded key untouched', `${realm}?forceAuthn%3D1=2&a=forceAuthn`, null],
    ['other path', 'https://authorization.cerner.com/tenants/t/authorize?forceAuthn=true', null],
    ['sibling host', 'https://smart.cerner.com/session-api/realm/t1?forceAuthn=true', null],
    [
      'subdomain of a listed host',
      'https://eu.authorization.cerner.com/session-api/realm/t?forceAuthn=1',
      'https://eu.authorization.cerner.com/session-api/realm/t?',
    ],
  ])('%s', (_name, url, expected) => {
    expect(simulateFinalUrl(rules, url, 'main_frame').url).toBe(expected ?? url);
  });

  it('never rewrites non-navigation requests', () => {
    expect(rules.every((r) => r.condition.resourceTypes?.join() === 'main_frame,sub_frame')).toBe(true);
  });

  it('uses only regex syntax RE2 and JavaScript read the same way', () => {
    for (const rule of rules) expect(() => assertPortableRegex(rule.condition.regexFilter!)).not.toThrow();
    expect(() => assertPortableRegex('(?=x)')).toThrow();
  });

  const key = fc.constantFrom('a', 'to', 'scope', 'forceAuthnX', 'isForceAuthn', 'xforceAuthn');
  const flag = fc.constantFrom('forceAuthn', 'ForceAuthn', 'forceauthn');
  const value = fc.stringMatching(/^[A-Za-z0-9%._~+-]{0,12}$/);
  const param = fc.oneof(
    fc.tuple(key, value).map(([k, v]) => ({ text: `${k}=${v}`, flagged: false })),
    fc.tuple(flag, fc.option(value)).map(([k, v]) => ({ text: v === null ? k : `${k}=${v}`, flagged: true })),
  );

  it('removes exactly the flagged keys, keeps the rest in order, and always terminates', () => {
    fc.assert(
      fc.property(fc.array(param, { minLength: 1, maxLength: 8 }), (params) => {
        const url = `${realm}?${params.map((p) => p.text).join('&')}`;
        const kept = params.filter((p) => !p.flagged).map((p) => p.text);
        const flagged = params.length - kept.length;
        const result = simulateFinalUrl(rules, url, 'main_frame');
        expect(result.url).toBe(flagged === 0 ? url : `${realm}?${kept.join('&')}`);
        expect(result.hops).toBe(flagged);
        expect(simulateRedirect(rules, result.url, 'main_frame')).toBeNull();
      }),
    );
  });
});

describe('strip-forceAuthn rules: ids and state', () => {
  it('are absent when off and use constant ids inside the reserved range when on', () => {
    expect(buildStripRules(false, DEFAULT_STRIP_SETTINGS)).toEqual([]);
    expect(rules.map((r) => r.id)).toEqual([1000, 1001, 1002]);
    expect(topOnly.map((r) => r.id)).toEqual([1000]);
    expect(rules.every((r) => inRange(r.id, STRIP_FORCE_AUTHN_RANGE))).toBe(true);
    expect(buildStripRules(true, { stripNested: true, hosts: [] })).toEqual([]);
  });

  it('reads enabled, hosts and the nested option back from installed rules', () => {
    const hosts = ['authorization.cerner.com', 'auth.example.org'];
    const installed = buildStripRules(true, { stripNested: false, hosts });
    const stored = { stripNested: true, hosts: ['stale.example.org'] };
    expect(stripStateFromRules(installed, stored)).toEqual({ enabled: true, stripNested: false, hosts });
    expect(stripStateFromRules([], stored)).toEqual({ enabled: false, ...stored });
  });
});

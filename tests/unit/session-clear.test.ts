import { describe, expect, it } from 'vitest';
import { clearSession, planSessionClear, type SessionPorts } from '../../utils/session/clear';
import { cookieId } from '../../utils/session/cookies';
import { parseOrigin } from '../../utils/session/origin';
import { cookie, fakeCookieBrowser, JAR } from './session-fakes';

const origin = (() => {
  const o = parseOrigin('https://authorization.cerner.com');
  if (!o.ok) throw new Error(o.error);
  return o;
})();

const label = (c: { name: string; domain: string; partitionSite?: string }) =>
  `${c.name}@${c.domain}${c.partitionSite ? `|${c.partitionSite}` : ''}`;

describe('clear-session plan', () => {
  it('lists the host cookies (host-only, exact Domain, every partition) and parent-domain cookies separately', async () => {
    const plan = await planSessionClear(fakeCookieBrowser().ports, origin);
    expect(plan.hostCookies.map(label).sort()).toEqual(
      [
        '__Host-chips@authorization.cerner.com|https://app.example.org',
        '__Host-chips@authorization.cerner.com|https://cerner.com',
        'cloud-session-iframe@authorization.cerner.com',
        'JSESSIONID@authorization.cerner.com',
        'auth-wide@.authorization.cerner.com',
      ].sort(),
    );
    expect(plan.parentDomainCookies.map(label)).toEqual([
      'cerner-pref@.cerner.com',
      'cerner-sso@.cerner.com',
    ]);
    expect(plan.storage).toEqual(['localStorage', 'indexedDB', 'cacheStorage', 'serviceWorkers']);
  });

  it('never exposes cookie values, only sizes', async () => {
    const plan = await planSessionClear(fakeCookieBrowser().ports, origin);
    expect(JSON.stringify(plan)).not.toContain('value-of-');
    const jsession = plan.hostCookies.find((c) => c.name === 'JSESSIONID')!;
    expect(jsession.size).toBe('JSESSIONID'.length + 'value-of-JSESSIONID'.length);
  });

  it('skips Secure cookies for a plain-http origin', async () => {
    const http = parseOrigin('http://authorization.cerner.com');
    if (!http.ok) throw new Error(http.error);
    const plan = await planSessionClear(
      fakeCookieBrowser([
        cookie('s', 'authorization.cerner.com'),
        cookie('p', 'authorization.cerner.com', { secure: false }),
      ]).ports,
      http,
    );
    expect(plan.hostCookies.map((c) => c.name)).toEqual(['p']);
  });
});

describe('clear session', () => {
  it('removes exactly the host cookies and leaves siblings and unticked parent cookies', async () => {
    const fake = fakeCookieBrowser();
    const report = await clearSession(fake.ports, origin, []);
    expect(fake.names().sort()).toEqual(
      [
        'cerner-sso@.cerner.com',
        'cerner-pref@.cerner.com',
        'smart-session@smart.cerner.com',
        'fhir-session@fhir-ehr-code.cerner.com',
        'sub-only@x.authorization.cerner.com',
        'apex-only@cerner.com',
        'lookalike@authorization.cerner.com.evil.example',
        'smart-chips@smart.cerner.com|https://cerner.com',
      ].sort(),
    );
    expect(report.removed).toHaveLength(5);
    expect(report.failed).toEqual([]);
    expect(report.kept.map((c) => c.name)).toEqual(['cerner-pref', 'cerner-sso']);
    expect(fake.storageCalls).toEqual([
      {
        origin: 'https://authorization.cerner.com',
        kinds: ['localStorage', 'indexedDB', 'cacheStorage', 'serviceWorkers'],
      },
    ]);
    expect(report.storage).toEqual({
      cleared: ['localStorage', 'indexedDB', 'cacheStorage', 'serviceWorkers'],
    });
  });

  it('removes a parent-domain cookie only when it was ticked', async () => {
    const fake = fakeCookieBrowser();
    const sso = JAR.find((c) => c.name === 'cerner-sso')!;
    const report = await clearSession(fake.ports, origin, [cookieId(sso)]);
    expect(fake.names()).not.toContain('cerner-sso@.cerner.com');
    expect(fake.names()).toContain('cerner-pref@.cerner.com');
    expect(report.removed.map((c) => c.name)).toContain('cerner-sso');
    expect(report.kept.map((c) => c.name)).toEqual(['cerner-pref']);
  });

  it('ignores ticked ids that are not parent-domain cookies of this origin', async () => {
    const fake = fakeCookieBrowser();
    const sibling = JAR.find((c) => c.name === 'smart-session')!;
    await clearSession(fake.ports, origin, [cookieId(sibling), 'garbage']);
    expect(fake.names()).toContain('smart-session@smart.cerner.com');
  });

  it('reports cookies the browser silently kept instead of claiming success', async () => {
    const fake = fakeCookieBrowser();
    const stubborn: SessionPorts = { ...fake.ports, removeCookie: async (d) => ({ ...d }) };
    const report = await clearSession(stubborn, origin, []);
    expect(report.removed).toEqual([]);
    expect(report.failed.map((f) => f.reason)).toEqual(Array(5).fill('Still present after removal.'));
  });

  it('reports a storage failure and still removes the cookies', async () => {
    const fake = fakeCookieBrowser(JAR, { storageFails: true });
    const report = await clearSession(fake.ports, origin, []);
    expect(report.removed).toHaveLength(5);
    expect(report.storage).toEqual({ cleared: [], error: 'browsingData unavailable' });
  });

  it('reports a removal that throws or returns null', async () => {
    const fake = fakeCookieBrowser();
    let n = 0;
    const flaky: SessionPorts = {
      ...fake.ports,
      removeCookie: async (d) => {
        n += 1;
        if (n === 1) throw new Error('No host permission');
        if (n === 2) return null;
        return fake.ports.removeCookie(d);
      },
    };
    const report = await clearSession(flaky, origin, []);
    expect(report.failed.map((f) => f.reason)).toEqual([
      'No host permission',
      'The browser reported nothing removed.',
    ]);
    expect(report.removed).toHaveLength(3);
  });
});

describe('parseOrigin', () => {
  it.each([
    ['https://authorization.cerner.com/session-api/realm/x?y', 'https://authorization.cerner.com'],
    ['http://localhost:8443/', 'http://localhost:8443'],
  ])('%s → %s', (input, expected) => {
    const o = parseOrigin(input);
    expect(o.ok && o.origin).toBe(expected);
  });

  it.each(['not a url', 'ftp://x.example/', 'chrome://settings', ''])('rejects %s', (input) => {
    expect(parseOrigin(input).ok).toBe(false);
  });
});

/** The sandbox's app registry file and its validation; TLS material generated once and reused. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateTls } from '../../sandbox/certs';
import { loadRegistry, parseRegistry, RegistryError } from '../../sandbox/registry';

const dir = mkdtempSync(join(tmpdir(), 'sandbox-registry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const app = {
  clientId: 'c1',
  name: 'App',
  persona: 'provider',
  type: 'public',
  smartVersion: 'v2',
  launchUri: 'https://app.example/launch',
  redirectUris: ['https://app.example/cb'],
  scopes: ['launch'],
};

describe('shipped registry (sandbox/apps.json)', () => {
  it('is valid and keeps the documented client ids', () => {
    const registry = loadRegistry();
    expect(registry.apps.map((a) => a.clientId)).toEqual([
      'smart-debugger-companion',
      'smart-debugger-companion-dev',
      'smart-debugger-companion-patient',
      '3f2a8c4e-6b1d-4e7a-9c0f-2d5b8e1a7c33',
      'sandbox-v2-read-trim',
      'sandbox-probe',
      'sandbox-confidential',
      'sandbox-short-token',
      'sandbox-scope-denied',
      'sandbox-cors-credentials',
    ]);
    expect(registry.byClientId('sandbox-short-token')?.accessTokenSeconds).toBe(30);
    expect(registry.byClientId('sandbox-scope-denied')?.deniedScopes).toContain('patient/Observation.cruds');
    expect(registry.byClientId('smart-debugger-companion')).toMatchObject({
      persona: 'provider',
      type: 'public',
      smartVersion: 'v2',
      launchUri: 'https://companion.smartdebugger.test/launch/',
      redirectUris: ['https://companion.smartdebugger.test/launch/auth'],
    });
    expect(registry.byClientId('smart-debugger-companion-dev')?.redirectUris).toEqual([
      'http://localhost:5173/launch/auth',
    ]);
    expect(registry.byClientId('smart-debugger-companion-patient')?.persona).toBe('patient');
    const reported = registry.byClientId('3f2a8c4e-6b1d-4e7a-9c0f-2d5b8e1a7c33');
    expect(reported?.scopes.length).toBeGreaterThan(100);
    expect(new URL(reported?.redirectUris[0] ?? '').hostname).toBe('localhost');
    expect(registry.byAppId('sandbox-probe')?.clientId).toBe('sandbox-probe');
  });
});

describe('registry validation names the bad field', () => {
  const cases: [string, unknown, RegExp][] = [
    ['missing apps', {}, /apps: /],
    ['bad persona', { apps: [{ ...app, persona: 'admin' }] }, /apps\.0\.persona/],
    [
      'relative redirect',
      { apps: [{ ...app, redirectUris: ['/cb'] }] },
      /apps\.0\.redirectUris\.0: must be an absolute URL/,
    ],
    [
      'confidential without secret',
      { apps: [{ ...app, type: 'confidential' }] },
      /apps\.0\.clientSecret: a confidential app needs a clientSecret/,
    ],
    ['unknown field', { apps: [{ ...app, colour: 'red' }] }, /apps\.0/],
    ['duplicate client id', { apps: [app, app] }, /apps\.1: duplicate id c1/],
    ['token lifetime of 0 s', { apps: [{ ...app, accessTokenSeconds: 0 }] }, /apps\.0\.accessTokenSeconds/],
    [
      'fractional token lifetime',
      { apps: [{ ...app, accessTokenSeconds: 1.5 }] },
      /apps\.0\.accessTokenSeconds/,
    ],
    ['empty denied scope', { apps: [{ ...app, deniedScopes: [''] }] }, /apps\.0\.deniedScopes\.0/],
  ];
  it.each(cases)('%s', (_name, json, message) => {
    expect(() => parseRegistry(json, 'test.json')).toThrow(RegistryError);
    expect(() => parseRegistry(json, 'test.json')).toThrow(message);
  });

  it('reports unreadable and non-JSON files with their path', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ not json');
    expect(() => loadRegistry(bad)).toThrow(/bad\.json is not valid JSON/);
    expect(() => loadRegistry(join(dir, 'missing.json'))).toThrow(/Cannot read app registry/);
  });
});

describe('TLS material', () => {
  it('is generated once per keys folder and reused (same SPKI pin); new hosts force a new certificate', async () => {
    const keys = join(dir, 'keys');
    const first = await loadOrCreateTls(keys, ['a.example', 'b.example']);
    const again = await loadOrCreateTls(keys, ['a.example']);
    expect(again.spkiPin).toBe(first.spkiPin);
    expect(again.cert).toBe(first.cert);
    expect(first.spkiPin).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const wider = await loadOrCreateTls(keys, ['a.example', 'c.example']);
    expect(wider.cert).not.toBe(first.cert);
  }, 60_000);
});

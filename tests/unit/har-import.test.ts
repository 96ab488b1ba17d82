import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  HarImportError,
  importHar,
  launchToHar,
  launchToHarText,
  launchToJson,
  supportSnippet,
} from '../../utils/har';
import { analyze } from '../../utils/launch/analyze';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/har/${name}`, import.meta.url), 'utf8');
const SECRETS = [
  'c2lnbmF0dXJlLW9mLXRoZS1hdXRoLWNvZGU',
  'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
  'YWNjZXNzLXRva2VuLXNpZ25hdHVyZS12YWx1ZQ',
  'aWQtdG9rZW4tc2lnbmF0dXJlLXZhbHVlLTEyMzQ',
  'password=portal',
  'JSESSIONID=4F2A9C0D1E',
];

describe('HAR import (Chrome "Save all as HAR")', () => {
  it('keeps only SMART traffic, chains redirects, redacts secrets', () => {
    const exchanges = importHar(fixture('chrome-success.har'), 'success.har', 'imp1');
    const urls = exchanges.map((e) => e.url);
    expect(urls.some((u) => u.includes('/assets/index'))).toBe(false);
    expect(urls.some((u) => u.includes('fonts.example.net'))).toBe(false);
    expect(exchanges.every((e) => e.source === 'har')).toBe(true);
    const smart = exchanges.find((e) => e.url.startsWith('https://smart.cerner.com'))!;
    const launch = exchanges.find((e) => e.url.includes('/launch.html'))!;
    expect([smart.requestId, smart.hop, launch.requestId, launch.hop]).toEqual([
      smart.requestId,
      0,
      smart.requestId,
      1,
    ]);
    const token = exchanges.find((e) => e.method === 'POST' && e.url.endsWith('/token'))!;
    expect(token.form?.grant_type).toEqual(['authorization_code']);
    expect(token.form?.code?.[0]).toMatch(/^eyJ…\[\d+\]$/);
    expect(JSON.parse(token.body!.text).patient).toBe('12724066');
    const session = exchanges.find((e) => e.url.includes('/session-api/'))!;
    expect(session.requestCookies).toMatchObject({ count: 2, names: ['cloud-session-iframe', 'JSESSIONID'] });
    expect(session.responseHeaders['cerner-correlation-id']).toBe('a1b2c3d4-0005');
    const all = JSON.stringify(exchanges);
    for (const s of SECRETS) expect(all).not.toContain(s);
  });

  it.each([
    ['chrome-forceauthn-400.har', 'failed', 'session-api'],
    ['sandbox-forceauthn-400.har', 'failed', 'session-api'],
    ['chrome-success.har', 'succeeded', undefined],
  ])('%s analyzes to a %s launch', (file, status, failedKind) => {
    const launches = analyze(importHar(fixture(file), file, 'i'));
    expect(launches).toHaveLength(1);
    const [launch] = launches;
    expect(launch!.status).toBe(status);
    expect(launch!.steps.find((s) => s.exchange.id === launch!.failedAt)?.kind).toBe(failedKind);
  });

  it.each([
    ['', /is empty/],
    ['{"log": ', /not valid JSON/],
    ['[1,2,3]', /no "log" object/],
    ['{"openapi":"3.0.0","paths":{}}', /no "log" object/],
    [
      '{"log":{"version":"1.2","entries":[{"request":{}}]}}',
      /not a valid HAR 1\.2 file: its only entry is not a request as HAR 1\.2 describes one \(log\.entries\.0\./,
    ],
    ['{"log":{"version":"1.2","entries":[]}}', /contains no requests/],
  ])('refuses %j with a clear error', (text, message) => {
    expect(() => importHar(text, 'x.har', 'i')).toThrow(HarImportError);
    expect(() => importHar(text, 'x.har', 'i')).toThrow(message);
  });
});

describe('export', () => {
  const launch = analyze(importHar(fixture('chrome-success.har'), 'success.har', 'i'))[0]!;

  it('HAR export round-trips through import', () => {
    const text = launchToHarText(launch);
    const again = importHar(text, 'export.har', 'j');
    expect(again.map((e) => [e.method, e.url, e.status])).toEqual(
      launch.steps.map((s) => [s.exchange.method, s.exchange.url, s.exchange.status]),
    );
    expect(launchToHar(launch).log).toMatchObject({
      version: '1.2',
      creator: { name: 'SMART Launch Debugger' },
    });
  });

  it('JSON export is redacted even when the launch holds secrets', () => {
    const secret = 'LiveAccessTokenValue1234567890';
    const leaky = structuredClone(launch);
    leaky.steps[0]!.exchange.url += `&access_token=${secret}`;
    expect(launchToJson(leaky)).not.toContain(secret);
    expect(launchToJson(leaky, { redact: false })).toContain(secret);
    expect(JSON.parse(launchToJson(launch)).launch.id).toBe(launch.id);
  });

  it('support snippet lists steps, correlation ids and error URNs, redacted', () => {
    const failed = analyze(importHar(fixture('chrome-forceauthn-400.har'), 'f.har', 'k'))[0]!;
    const withUrn = structuredClone(failed);
    withUrn.steps.at(-1)!.exchange.body = {
      text: 'error_uri=https%3A%2F%2Fx%2Ferrors%2Furn%253Acerner%253Aerror%253Aauthorization-server%253Asession-service%253Aerror',
      truncated: false,
    };
    const md = supportSnippet(withUrn);
    expect(md).toMatch(/^### SMART launch failed at .*\(HTTP 400\)/);
    expect(md).toContain('`a1b2c3d4-0004`');
    expect(md).toContain('urn:cerner:error:authorization-server:session-service:error');
    expect(md.split('\n').filter((l) => /^\| \d+ \|/.test(l))).toHaveLength(failed.steps.length);
    expect(supportSnippet(launch)).not.toMatch(/code=|access_token/);
  });
});

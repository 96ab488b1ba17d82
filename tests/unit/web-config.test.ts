import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseServersConfig, parseServersConfigText } from '../../web/src/lib/config';
import { findServerForIss, issMatches, serversForOrigin } from '../../web/src/lib/iss-match';

const shipped = readFileSync(new URL('../../web/config/servers.json', import.meta.url), 'utf8');

const entry = {
  id: 'sandbox-provider',
  label: 'Sandbox provider',
  issMatch: { regex: '^https://fhir-ehr-code\\.cerner\\.com/r4/' },
  iss: 'https://fhir-ehr-code.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d',
  clientId: 'companion',
  scope: 'launch openid fhirUser user/Patient.read',
  redirectUri: './auth',
  persona: 'provider',
};

function withEntry(patch: Record<string, unknown>, drop: string[] = []) {
  const e: Record<string, unknown> = { ...entry, ...patch };
  for (const k of drop) delete e[k];
  return { servers: [e] };
}

describe('server configuration', () => {
  it('accepts the shipped web/config/servers.json', () => {
    const r = parseServersConfigText(shipped);
    expect(r.ok ? r.config.servers.map((s) => s.id) : r.issues).toEqual([
      'sandbox-provider',
      'sandbox-provider-dev',
      'sandbox-patient',
      'oracle-provider',
      'oracle-patient',
      'smart-health-it',
    ]);
  });

  it('fills pkceMode with ifSupported when absent', () => {
    const r = parseServersConfig(withEntry({}));
    expect(r.ok && r.config.servers[0]?.pkceMode).toBe('ifSupported');
  });

  it.each([
    ['missing clientId', withEntry({}, ['clientId']), 'servers[0].clientId', /expected string/i],
    ['empty clientId', withEntry({ clientId: '' }), 'servers[0].clientId', /must not be empty/],
    ['blank scope', withEntry({ scope: '   ' }), 'servers[0].scope', /at least one scope/],
    [
      'bad id',
      withEntry({ id: 'Sandbox Provider' }),
      'servers[0].id',
      /lowercase letters, digits and dashes/,
    ],
    [
      'iss not a URL',
      withEntry({ iss: 'fhir-ehr-code.cerner.com' }),
      'servers[0].iss',
      /absolute http\(s\) URL/,
    ],
    ['iss with ftp', withEntry({ iss: 'ftp://x.example/r4' }), 'servers[0].iss', /absolute http\(s\) URL/],
    [
      'bad pkceMode',
      withEntry({ pkceMode: 'always' }),
      'servers[0].pkceMode',
      /one of ifSupported, required/,
    ],
    ['bad persona', withEntry({ persona: 'admin' }), 'servers[0].persona', /one of provider, patient/],
    ['redirect not a path', withEntry({ redirectUri: 'auth' }), 'servers[0].redirectUri', /relative path/],
    ['issMatch number', withEntry({ issMatch: 42 }), 'servers[0].issMatch', /exact iss string or \{ "regex"/],
    [
      'bad regex flag',
      withEntry({ issMatch: { regex: 'x', flags: 'g' } }),
      'servers[0].issMatch.flags',
      /only the flags i, m, s and u/,
    ],
    [
      'unknown field',
      withEntry({ clientID: 'x' }),
      'servers[0].clientID',
      /unknown field \(allowed: id, label/,
    ],
    [
      'bad origin',
      withEntry({ origins: ['localhost:5173'] }),
      'servers[0].origins[0]',
      /each origin must be/,
    ],
    ['no servers', { servers: [] }, 'servers', /at least one server/],
    ['servers missing', {}, 'servers', /expected array/i],
    ['not an object', [], '(file)', /expected object/i],
  ])('%s', (_name, input, path, message) => {
    const r = parseServersConfig(input);
    expect(r.ok).toBe(false);
    const issue = !r.ok ? r.issues.find((i) => i.path === path) : undefined;
    expect(issue, JSON.stringify(r)).toBeDefined();
    expect(issue?.message).toMatch(message);
  });

  it('names the entry id next to the path', () => {
    const r = parseServersConfig(withEntry({ clientId: '' }));
    expect(!r.ok && r.issues[0]).toEqual({
      path: 'servers[0].clientId',
      entry: 'sandbox-provider',
      message: 'must not be empty',
    });
  });

  it.each([
    [
      'regex that does not compile',
      withEntry({ issMatch: { regex: '^https://(' } }),
      'servers[0].issMatch.regex',
      /invalid regular expression/,
    ],
    [
      'preset iss outside its own issMatch',
      withEntry({ iss: 'https://fhir-open.cerner.com/r4/x' }),
      'servers[0].iss',
      /does not match this entry's issMatch/,
    ],
    [
      'duplicate id',
      { servers: [entry, { ...entry, label: 'again' }] },
      'servers[1].id',
      /duplicate id; servers\[0\] already uses it/,
    ],
  ])('cross-check: %s', (_name, input, path, message) => {
    const r = parseServersConfig(input);
    expect(!r.ok && r.issues.map((i) => i.path)).toEqual([path]);
    expect(!r.ok && r.issues[0]?.message).toMatch(message);
  });

  it('reports JSON syntax errors with the parser position', () => {
    const r = parseServersConfigText('{"servers": [ { "id": "x", } ]}');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues[0]?.message).toMatch(/^not valid JSON: .*position \d+/);
  });
});

describe('iss matching', () => {
  const r = parseServersConfigText(shipped);
  const servers = r.ok ? r.config.servers : [];
  const tenant = 'ec2458f2-1e24-41c8-b71b-0e701af7583d';

  it.each([
    [
      'https://companion.smartdebugger.test',
      `https://fhir-ehr-code.cerner.com/r4/${tenant}`,
      'sandbox-provider',
    ],
    ['http://localhost:5173', `https://fhir-ehr-code.cerner.com/r4/${tenant}`, 'sandbox-provider-dev'],
    ['http://localhost:5173', `https://fhir-myrecord.cerner.com/r4/${tenant}`, 'sandbox-patient'],
    ['https://apps.example.org', `https://fhir-ehr-code.cerner.com/r4/${tenant}`, 'oracle-provider'],
    ['https://apps.example.org', `https://fhir-myrecord.cerner.com/r4/${tenant}`, 'oracle-patient'],
    ['https://apps.example.org', 'https://launch.smarthealthit.org/v/r4/sim/abc/fhir', 'smart-health-it'],
    ['https://apps.example.org', `https://fhir-open.cerner.com/r4/${tenant}`, undefined],
  ])('on %s, iss %s → %s', (origin, iss, id) => {
    expect(findServerForIss(servers, iss, origin)?.id).toBe(id);
  });

  it('exact strings ignore a trailing slash and the case of scheme and host, not of the path', () => {
    expect(issMatches('https://x.example/fhir', 'https://x.example/fhir/')).toBe(true);
    expect(issMatches('https://x.example/fhir', 'https://x.example/fhir2')).toBe(false);
    expect(issMatches('http://localhost:8080/fhir', 'HTTP://LocalHost:8080/fhir')).toBe(true);
    expect(issMatches('https://x.example/fhir', 'https://x.example/FHIR')).toBe(false);
  });

  it('a regex matches an iss whose host is written in capitals', () => {
    const m = { regex: '^https://fhir-ehr-code\\.cerner\\.com/r4/' };
    expect(issMatches(m, `https://FHIR-EHR-CODE.cerner.com/r4/${tenant}`)).toBe(true);
    expect(issMatches(m, `https://fhir-open.cerner.com/r4/${tenant}`)).toBe(false);
  });

  it('keeps entries without origins on every origin', () => {
    expect(serversForOrigin(servers, 'https://elsewhere.example').map((s) => s.id)).toEqual([
      'oracle-provider',
      'oracle-patient',
      'smart-health-it',
    ]);
  });
});

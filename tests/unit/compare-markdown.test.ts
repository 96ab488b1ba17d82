import { describe, expect, it } from 'vitest';
import { comparisonMarkdown } from '../../utils/compare';
import type { Launch } from '../../utils/model';
import { buildLaunch, type LaunchSpec, reportedAppSpec } from '../fixtures/compare/build';
import { TOKEN_ENDPOINT } from '../fixtures/exchanges/oracle-flow';

const LATER = Date.UTC(2025, 4, 12, 15, 0, 0);

/** Secrets a launch recorded with "Keep secrets" on still carries, planted wherever a launch has text. */
const SECRETS = {
  code: 'PLANTED-code-7f3a9c1e5b2d4f6a8c0e',
  access: 'PLANTED-access-token-1c3e5a7b9d0f',
  refresh: 'PLANTED-refresh-token-2b4d6f8a0c1e',
  clientSecret: 'PLANTED-client-secret-3c5e7a9b1d2f',
  redirectToken: 'PLANTED-redirect-token-4d6f8b0a2c3e',
  endpointKey: 'PLANTED-api-key-5e7a9c1b3d4f',
  bearer: 'PLANTEDbearer6f8a0c2d4e5b7a9c',
  evidence: 'PLANTED-evidence-token-7a9c1e3f5b6d',
};

function secretLaunch(spec: LaunchSpec): Launch {
  const launch = buildLaunch({
    ...spec,
    code: SECRETS.code,
    redirectUri: `http://localhost:5173/index.html?token=${SECRETS.redirectToken}`,
    // The launch's own token endpoint, with a key in its query.
    discovery: { token_endpoint: `${TOKEN_ENDPOINT}?api_key=${SECRETS.endpointKey}` },
    token: { access_token: SECRETS.access, refresh_token: SECRETS.refresh },
    tokenForm: { client_secret: [SECRETS.clientSecret] },
  });
  return {
    ...launch,
    statusReason: `token request sent Authorization: Bearer ${SECRETS.bearer}`,
    findings: [
      ...launch.findings,
      {
        ruleId: 'planted',
        severity: 'error',
        title: 'Planted finding',
        summary: `The callback carried access_token=${SECRETS.evidence}.`,
        evidence: [{ label: 'token', value: `refresh_token=${SECRETS.refresh}` }],
        fixes: [
          { kind: 'relaunch', label: 'Copy relaunch URL', url: `https://app.example/?code=${SECRETS.code}` },
        ],
      },
    ],
  };
}

describe('comparisonMarkdown', () => {
  it('leads with the differences and their fixes, then steps, facts and scopes', () => {
    const md = comparisonMarkdown(buildLaunch(reportedAppSpec), buildLaunch({}, LATER));
    const lines = md.split('\n');
    expect(lines[0]).toBe('### SMART launch comparison');
    expect(md).toContain(
      "Your app's launch failed at session-api (HTTP 400); the companion's launch succeeded.",
    );
    const first = lines.findIndex((l) => l.startsWith('1. '));
    expect(lines[first]).toMatch(/^1\. Your app hit session-api with forceAuthn=true and 3 cookies/);
    expect(lines[first + 1]).toBe(
      '   - Finding (error): forceAuthn rejected because a session already exists',
    );
    expect(lines[first + 2]).toBe('   - Fix: Strip forceAuthn from the session-api hop');
    expect(md.indexOf('**Steps**')).toBeGreaterThan(first);
    expect(md).toContain('| session-api | 400 ✗ failed here | 303 |');
    expect(md).toContain(
      '| **cookies sent** ≠ | 3 cookies, 412 bytes: JSESSIONID, cerner-auth-session, cloud-session-iframe | 0 cookies, 0 bytes |',
    );
    expect(md).toMatch(/- Only your app \(132\): `.*` … and 107 more/);
    expect(md).toContain('_(expected between different apps)_');
  });

  it('says so when the launches do not differ', () => {
    const md = comparisonMarkdown(buildLaunch(), buildLaunch({}, LATER));
    expect(md).toContain('**No differences found.**');
    expect(md).not.toContain('≠');
  });

  it('never shows a code, token or secret, from either side', () => {
    const a = secretLaunch({ clientId: 'app-one', fhir: [403] });
    const b = secretLaunch({});
    const md = comparisonMarkdown(a, b);
    // The planted values are really in the launches, so the test would see a leak.
    expect(JSON.stringify([a, b])).toContain(SECRETS.access);
    for (const [name, secret] of Object.entries(SECRETS)) {
      expect(md, name).not.toContain(secret);
      expect(md, name).not.toContain(encodeURIComponent(secret));
    }
    expect(md).toContain('Planted finding');
    const masked = 'PLA…[35]';
    expect(md.includes(`token=${masked}`) || md.includes(`token=${encodeURIComponent(masked)}`)).toBe(true);
  });

  it('keeps values that were already masked as they are', () => {
    const masked = 'abc…[36]';
    const launch = buildLaunch({ redirectUri: `http://localhost:5173/index.html?token=${masked}` });
    const md = comparisonMarkdown(launch, buildLaunch({ clientId: 'app-one' }, LATER));
    expect(md).toContain(`| **redirect_uri** ≠ | http://localhost:5173/index.html?token=${masked} |`);
    expect(md).toContain(`redirect_uri is \`http://localhost:5173/index.html?token=${masked}\`;`);
    expect(md).not.toMatch(/…\[(8|9)\]/);
  });
});

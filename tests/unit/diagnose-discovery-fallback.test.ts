import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange, Launch } from '../../utils/model';
import { makeExchange } from '../fixtures/exchange';
import {
  authorize,
  discovery as discoveryRead,
  ISS,
  launchPage,
  otherServerFlow,
} from '../fixtures/other-server';

/**
 * SMART discovery that failed, then the app's read of the CapabilityStatement (fhirclient's fallback):
 * what the launch did next decides what is said. Another server than Oracle's.
 */
const flow = otherServerFlow({ launchPath: '/launch/', launch: 'abc123' });

function read(failure: { status?: number; error?: string }, next: 'nothing' | 'authorize'): Exchange[] {
  const out = [
    launchPage(flow),
    // Not answered (blocked, unreachable: no status), or answered with an error status.
    discoveryRead(flow, undefined, {
      status: failure.status,
      ...(failure.error ? { error: failure.error, phase: 'failed' as const } : {}),
    }),
    makeExchange({
      id: 'metadata',
      url: `${flow.iss}/metadata`,
      type: 'xmlhttprequest',
      status: 200,
      startedAt: 1_200,
    }),
  ];
  if (next === 'authorize') out.push(authorize(flow, 'launch openid', '', { status: 200, startedAt: 1_300 }));
  return out;
}

const only = (xs: Exchange[], now = 600_000): Launch => {
  const launches = analyze(xs, { now });
  expect(launches).toHaveLength(1);
  return launches[0]!;
};
const discovery = (l: Launch) => l.findings.find((f) => f.ruleId === 'discovery-failure')!;

describe('rule discovery-failure after the CapabilityStatement fallback', () => {
  it('blocked by CORS, /metadata read, nothing after: failed there, and CORS is named, not a missing document', () => {
    const l = only(read({ error: 'net::ERR_FAILED' }, 'nothing'));
    const f = discovery(l);
    expect(f).toMatchObject({ severity: 'error', title: 'SMART discovery failed; the app stopped' });
    expect(f.summary).toBe(
      `${ISS}/.well-known/smart-configuration could not be read (net::ERR_FAILED: blocked by CORS for the app's origin, or unreachable). The app read the CapabilityStatement (/metadata) instead, and nothing followed: it asked for no authorization, so it found no authorize endpoint there (or stopped).`,
    );
    expect(f.summary).not.toContain('publishes no SMART configuration');
    expect(f.fixes[0]!.label).toContain('CORS');
    expect(l.status).toBe('failed');
  });

  it('404, /metadata read, nothing after: the server is asked to publish its configuration', () => {
    const f = discovery(only(read({ status: 404 }, 'nothing')));
    expect(f.summary).toMatch(/answered 404\. The app read the CapabilityStatement/);
    expect(f.fixes[0]!.label).toMatch(/^Server side: publish \.well-known\/smart-configuration/);
  });

  it('a server error (502): retry first, never "publish your configuration"', () => {
    const withFallback = discovery(only(read({ status: 502 }, 'nothing')));
    expect(withFallback.fixes[0]!.label).toMatch(
      /^Launch again in a while: HTTP 502 is a fault of the server/,
    );
    const alone = only(read({ status: 502 }, 'nothing').filter((e) => e.id !== 'metadata'));
    const f = discovery(alone);
    expect(f.summary).toContain('answered 502: the server (or a gateway in front of it) failed;');
    expect(f.fixes[0]!.label).toMatch(/^Launch again in a while/);
    // A CapabilityStatement the server failed before any token is discovery's, not a FHIR server error.
    const metadata502 = only(
      read({ status: 502 }, 'nothing').map((e) => (e.id === 'metadata' ? { ...e, status: 502 } : e)),
    );
    expect(metadata502.findings.map((x) => x.ruleId)).not.toContain('fhir-refused');
  });

  it('while the launch may still move: a warning that waits', () => {
    const f = discovery(only(read({ status: 404 }, 'nothing'), 1_500));
    expect(f).toMatchObject({ severity: 'warning', title: 'SMART discovery failed; waiting for the app' });
  });

  it('/metadata read and then authorize: the launch went on, a warning', () => {
    const f = discovery(only(read({ status: 404 }, 'authorize')));
    expect(f).toMatchObject({
      severity: 'warning',
      title: 'No SMART configuration: app used the CapabilityStatement',
    });
    expect(f.summary).toContain('then went on');
  });
});

describe('rule discovery-failure: an iss with a trailing slash', () => {
  it('the double slash before .well-known is named, and the fix is to drop the slash', () => {
    const xs = [
      launchPage(flow),
      discoveryRead(flow, undefined, { url: `${flow.iss}//.well-known/smart-configuration`, status: 404 }),
    ];
    const f = discovery(only(xs));
    expect(f.summary).toMatch(
      /answered 404; .* Its path has a double slash before \.well-known: the iss ends with "\/"/,
    );
    expect(f.fixes[0]!.label).toMatch(/^Remove the trailing "\/" from iss/);
    // The same 404 at the right address: nothing said of slashes.
    const plain = discovery(only([launchPage(flow), discoveryRead(flow, undefined, { status: 404 })]));
    expect(plain.summary).not.toContain('double slash');
  });
});

/** The CLI's report of HAR files: statuses, failing step, findings with fixes, exit code, JSON shape. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeHarText } from '../../utils/cli/analyze-har';
import { formatReport } from '../../utils/cli/report';
import { HarImportError } from '../../utils/har/import';

const har = (name: string) => readFileSync(new URL(`../fixtures/har/${name}`, import.meta.url), 'utf8');

describe('analyzeHarText + formatReport', () => {
  it.each([
    ['chrome-forceauthn-400.har', 5],
    ['sandbox-forceauthn-400.har', 6],
  ])('%s: one failed launch at the session-api 400, with the strip fix; exit code 1', (file, failedStep) => {
    const summary = analyzeHarText(har(file), file);
    expect(summary.exitCode).toBe(1);
    expect(summary.counts).toEqual({ failed: 1 });
    const [launch] = summary.launches;
    expect(launch!.failedAtStep).toBe(failedStep);
    const failing = launch!.steps[failedStep - 1]!;
    expect([failing.kind, failing.status, failing.failed]).toEqual(['session-api', '400', true]);
    const forceAuthn = launch!.findings.find((f) => f.ruleId === 'force-authn-session')!;
    expect(forceAuthn.severity).toBe('error');
    expect(forceAuthn.fixes.map((f) => f.kind)).toContain('enable-strip-rule');

    const text = formatReport(summary);
    expect(text).toContain(`${file}: 1 launch (1 failed)`);
    expect(text).toMatch(new RegExp(`FAILED at step ${failedStep} session-api .*\\(400\\)`));
    expect(text).toContain('[error] forceAuthn rejected because a session already exists');
    expect(text).toContain('fix: Strip forceAuthn from the session-api hop');
    // Query strings (where codes and states travel) are never printed.
    expect(text).not.toMatch(/\?\w+=/);
  });

  it('a succeeding HAR: succeeded, token step 200, exit code 0', () => {
    const summary = analyzeHarText(har('chrome-success.har'), 'ok.har');
    expect(summary.exitCode).toBe(0);
    expect(summary.launches.map((l) => l.status)).toEqual(['succeeded']);
    const token = summary.launches[0]!.steps.find((s) => s.kind === 'token')!;
    expect([token.method, token.status]).toEqual(['POST', '200']);
    expect(summary.launches[0]!.failedAtStep).toBeUndefined();
    const text = formatReport(summary);
    expect(text).toContain('Launch 1 of 1: SUCCEEDED');
    expect(text).not.toContain('✗');
  });

  it('JSON round-trips with no secret from the HAR in it', () => {
    const json = JSON.stringify(analyzeHarText(har('chrome-success.har'), 'ok.har'));
    expect(JSON.parse(json).launches[0].steps.length).toBeGreaterThan(5);
    for (const secret of [
      'password=portal',
      'JSESSIONID=4F2A9C0D1E',
      'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
    ])
      expect(json).not.toContain(secret);
  });

  it.each([
    ['broken-json.har', /broken-json\.har is not a HAR file: it is not valid JSON/],
    ['not-a-har.har', /not-a-har\.har is not a HAR file: it has no "log" object/],
    ['no-smart.har', /no-smart\.har holds no SMART launch/],
  ])('%s is refused with a one-line reason', (file, message) => {
    const run = () => analyzeHarText(har(file), file);
    expect(run).toThrow(HarImportError);
    expect(run).toThrow(message);
  });
});

describe('formatReport: durations and paths as people read them', () => {
  it('durations in ms, s, min and h', async () => {
    const { formatMs } = await import('../../utils/cli/report');
    expect([850, 12_340, 200_000, 57_002_200].map(formatMs)).toEqual([
      '850 ms',
      '12.3 s',
      '3 min 20 s',
      '15 h 50 min',
    ]);
  });

  it("a step's path decoded (an Oracle error page's URN), unless it would print control characters or a query", () => {
    const page = (path: string) =>
      JSON.stringify({
        log: {
          version: '1.2',
          entries: [
            {
              startedDateTime: '2026-12-04T09:00:00.000Z',
              time: 50,
              request: { method: 'GET', url: `https://authorization.cerner.com${path}`, headers: [] },
              response: { status: 200, headers: [{ name: 'content-type', value: 'text/html' }] },
            },
          ],
        },
      });
    const urn = 'urn:cerner:error:authorization-server:oauth2:grant:unknown-client';
    const text = formatReport(
      analyzeHarText(page(`/errors/${encodeURIComponent(urn)}/instances/1?client=a&tenant=t`), 'e.har'),
    );
    expect(text).toContain('authorization.cerner.com/errors/urn:cerner:error:');
    const odd = formatReport(
      analyzeHarText(
        page(`/errors/${encodeURIComponent(`${urn}\u001b[2J?code=x`)}/instances/1?client=a`),
        'e.har',
      ),
    );
    expect(odd).not.toContain('\u001b');
    expect(odd).toContain('/errors/urn%3Acerner');
  });
});

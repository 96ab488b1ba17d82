import { describe, expect, it } from 'vitest';
import { importHar, launchToHar, launchToHarText, launchToJson, supportSnippet } from '../../utils/har';
import { analyze } from '../../utils/launch/analyze';
import type { Launch } from '../../utils/model';
import { cancelledSignIn } from '../fixtures/exchanges/outcomes';
import { loadExchanges } from '../fixtures/load';

const one = (l: Launch[]) => l[0]!;

describe('exports carry the status and its reason', () => {
  const failed = one(analyze(loadExchanges('scopes-trimmed')));
  const authorized = one(
    analyze(loadExchanges('token-invisible'), { watchedOrigins: ['https://*.cerner.com/*'] }),
  );
  const cancelled = one(analyze(cancelledSignIn()));

  it('HAR: in the log comment and in a _smartLaunch field; still imports', () => {
    const log = launchToHar(failed).log;
    expect(log._smartLaunch).toEqual({
      id: failed.id,
      status: 'failed',
      failedAt: failed.failedAt,
      statusReason: failed.statusReason,
    });
    expect(log.comment).toBe(`SMART launch ${failed.id} (failed): ${failed.statusReason}`);
    expect(launchToHar(authorized).log._smartLaunch).toMatchObject({ status: 'authorized' });
    expect(importHar(launchToHarText(cancelled), 'c.har', 'x').length).toBe(cancelled.steps.length);
  });

  it('JSON: status, failedAt and statusReason of the launch', () => {
    const json = JSON.parse(launchToJson(cancelled)).launch as Launch;
    expect([json.status, json.failedAt, json.statusReason]).toEqual([
      'cancelled',
      cancelled.failedAt,
      cancelled.statusReason,
    ]);
  });

  it('support snippet: a headline per status and the reason on its own line', () => {
    expect(supportSnippet(failed)).toMatch(/^### SMART launch failed at .* \(HTTP 403\)/);
    expect(supportSnippet(failed)).toContain(`**Status:** failed — ${failed.statusReason}`);
    expect(supportSnippet(authorized)).toMatch(/^### SMART launch authorized \(token exchange not visible\)/);
    expect(supportSnippet(authorized)).toContain('is not watched and DevTools was not open on the tab');
    expect(supportSnippet(cancelled)).toMatch(/^### SMART launch cancelled by the user\n/);
  });

  it('a secret quoted in the reason is redacted in every export', () => {
    const secret = 'LiveAccessTokenValue1234567890';
    const leaky: Launch = { ...failed, statusReason: `Refused: Authorization: Bearer ${secret}` };
    expect(launchToJson(leaky)).not.toContain(secret);
    expect(launchToHarText(leaky)).not.toContain(secret);
    expect(supportSnippet(leaky)).not.toContain(secret);
    expect(launchToJson(leaky, { redact: false })).toContain(secret);
  });
});

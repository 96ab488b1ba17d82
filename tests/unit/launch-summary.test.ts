import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importHar } from '../../utils/har';
import { analyze } from '../../utils/launch/analyze';
import { STATUS_REASON_CHARS, summarizeLaunch } from '../../utils/launch/summary';
import { loadExchanges } from '../fixtures/load';

describe('launch summaries', () => {
  it('carry what the list and popup show, and no bodies or step details', () => {
    const [launch] = analyze(loadExchanges('forceauthn-400'));
    const summary = summarizeLaunch(launch!);
    expect(summary).toMatchObject({
      id: launch!.id,
      status: 'failed',
      server: 'authorization.cerner.com',
      stepCount: launch!.steps.length,
      failingStep: { kind: 'session-api', status: 400 },
    });
    expect(summary.findings.map((f) => f.ruleId)).toEqual(launch!.findings.map((f) => f.ruleId));
    expect(summary.statusReason!.length).toBeLessThanOrEqual(STATUS_REASON_CHARS);
    expect(launch!.statusReason!.startsWith(summary.statusReason!.slice(0, -1))).toBe(true);
    const text = JSON.stringify(summary);
    expect(text).not.toMatch(/"(steps|exchange|body|evidence|fixes|decoded)"/);
    expect(text.length).toBeLessThan(JSON.stringify(launch).length / 5);
  });

  it('a launch without a failure has no failing step', () => {
    const summaries = analyze(loadExchanges('success-oracle')).map(summarizeLaunch);
    expect(summaries.length).toBeGreaterThan(0);
    for (const s of summaries) expect(s.failingStep).toBeUndefined();
  });
});

describe('what the list filters on', () => {
  const [launch] = analyze(loadExchanges('forceauthn-400'));

  it('carries every host touched and the tabs with their openers', () => {
    const opened = {
      ...launch!,
      steps: launch!.steps.map((s) => ({ ...s, exchange: { ...s.exchange, tabId: 9, openerTabId: 7 } })),
    };
    const summary = summarizeLaunch(opened);
    expect(summary.tabIds).toEqual([9]);
    expect(summary.openerTabIds).toEqual([7]);
    expect(summary.server).toBe('authorization.cerner.com');
    expect(summary.hosts).toEqual(['fhir-ehr-code.cerner.com', 'localhost:5173', 'smart.cerner.com']);
  });

  it('changes its revision when a step, a status or a body changes, and only then', () => {
    const before = summarizeLaunch(launch!).revision;
    expect(summarizeLaunch(structuredClone(launch!)).revision).toBe(before);
    const withBody = structuredClone(launch!);
    withBody.steps.at(-1)!.exchange.body = { text: '{"error":"x"}', truncated: false };
    const fewer = { ...launch!, steps: launch!.steps.slice(0, -1) };
    const ended = { ...launch!, endedAt: (launch!.endedAt ?? 0) + 1 };
    const revisions = [withBody, fewer, ended].map((l) => summarizeLaunch(l).revision);
    expect(new Set([before, ...revisions]).size).toBe(4);
  });

  it('stays small: a failing launch summarized in under 700 bytes, a fortieth of its launch', () => {
    // 200 launches that all failed this way: about 130 KB; launches without a long reason are smaller.
    const size = JSON.stringify(summarizeLaunch(launch!)).length;
    expect(size).toBeLessThan(700);
    expect(size).toBeLessThan(JSON.stringify(launch).length / 40);
  });
});

describe('server of a launch with neither authorization host nor iss', () => {
  it('is the FHIR host of a refused FHIR call whose launch was not recorded', () => {
    const text = readFileSync(
      new URL('../fixtures/har/classes/token-expired-no-preserve-log.chrome.har', import.meta.url),
      'utf8',
    );
    const [launch] = analyze(importHar(text, 'fhir-only.har', 'f'));
    expect(launch!.authHost).toBeUndefined();
    expect(summarizeLaunch(launch!).server).toBe('fhir-ehr-code.cerner.com');
  });
});

describe('server of a launch just begun in the EHR', () => {
  it('is the EHR host until the app reads its server', () => {
    const begun = loadExchanges('forceauthn-400').filter((e) => e.url.includes('smart.cerner.com/'));
    const [launch] = analyze(begun);
    expect(launch!.steps[0]!.kind).toBe('ehr-launch');
    expect(launch!.iss).toBeUndefined();
    expect(summarizeLaunch(launch!).server).toBe('smart.cerner.com');
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { refreshTab, showLaunchOutcome, showRuleState } from '../../entrypoints/background/badge';
import { analyze } from '../../utils/launch/analyze';
import { tabOutcomes } from '../../utils/launch/tab-outcome';
import type { Exchange, Launch } from '../../utils/model';
import { loadExchanges } from '../fixtures/load';

const inTab = (exchanges: Exchange[], tabId: number, shift = 0): Exchange[] =>
  exchanges.map((e) => ({ ...e, id: `${e.id}@${tabId}:${shift}`, tabId, startedAt: e.startedAt + shift }));

describe('tabOutcomes', () => {
  it('marks a tab whose newest launch failed, with the cause', () => {
    const launches = analyze(inTab(loadExchanges('forceauthn-400'), 7));
    const outcome = tabOutcomes(launches).get(7);
    expect(outcome?.failed).toBe(true);
    expect(outcome?.cause).toMatch(/forceAuthn/);
  });

  it('the newest launch of a tab decides: a later success clears the mark', () => {
    const failed = analyze(inTab(loadExchanges('forceauthn-400'), 7));
    const later = analyze(inTab(loadExchanges('success-oracle'), 7, 3_600_000));
    expect(tabOutcomes([...later, ...failed]).get(7)).toEqual({ failed: false });
    expect(tabOutcomes([...failed, ...later]).get(7)).toEqual({ failed: false });
  });

  it('ignores imported launches', () => {
    const imported: Launch[] = analyze(inTab(loadExchanges('forceauthn-400'), 7)).map((l) => ({
      ...l,
      imported: { fileName: 'x.har', importedAt: 1 },
    }));
    expect(tabOutcomes(imported).size).toBe(0);
  });
});

describe('toolbar badge for a launch outcome', () => {
  beforeEach(() => fakeBrowser.reset());

  it('shows a red "!" and the cause on the failing tab only, and clears both for a later outcome', async () => {
    await showRuleState(true);
    await showLaunchOutcome(3, {
      failed: true,
      cause: 'forceAuthn rejected because a session already exists',
    });
    expect(await fakeBrowser.action.getBadgeText({ tabId: 3 })).toBe('!');
    expect(await fakeBrowser.action.getTitle({ tabId: 3 })).toBe(
      'SMART launch failed: forceAuthn rejected because a session already exists',
    );
    expect(await fakeBrowser.action.getBadgeText({ tabId: 4 })).not.toBe('!');
    await showLaunchOutcome(3, { failed: false });
    expect(await fakeBrowser.action.getBadgeText({ tabId: 3 })).not.toBe('!');
    expect(await fakeBrowser.action.getTitle({ tabId: 3 })).not.toMatch(/failed/);
  });

  it('puts the failure mark back after the tab navigates (Chromium drops per-tab badges on commit)', async () => {
    await showLaunchOutcome(3, { failed: true, cause: 'forceAuthn rejected' });
    // What a commit in that tab does to its own badge values.
    await fakeBrowser.action.setBadgeText({ tabId: 3, text: '' });
    await refreshTab(3);
    expect(await fakeBrowser.action.getBadgeText({ tabId: 3 })).toBe('!');
    await showLaunchOutcome(3, { failed: false });
    await fakeBrowser.action.setBadgeText({ tabId: 3, text: '' });
    await refreshTab(3);
    expect(await fakeBrowser.action.getBadgeText({ tabId: 3 })).not.toBe('!');
  });
});

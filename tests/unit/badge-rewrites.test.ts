import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  forgetTab,
  recordRewrite,
  refreshTab,
  rewritesInTab,
  showLaunchOutcome,
  showRuleState,
} from '../../entrypoints/background/badge';
import { badgeText, carriesForceAuthn, createRewriteTracker } from '../../utils/dnr/rewrites';

const dirty =
  'https://authorization.cerner.com/session-api/realm/t?to=x%26isForceAuthn%3Dtrue&forceAuthn=true';
const clean = 'https://authorization.cerner.com/session-api/realm/t?to=x';

describe('rewrite tracker', () => {
  it('counts a rule redirect of a navigation (internal 307)', () => {
    const t = createRewriteTracker();
    t.beforeRequest({ requestId: '1', url: dirty, tabId: 4 });
    expect(
      t.beforeRedirect({ requestId: '1', url: dirty, tabId: 4, redirectUrl: clean, statusCode: 307 }),
    ).toEqual({
      tabId: 4,
      from: dirty,
      to: clean,
    });
    t.beforeRequest({ requestId: '1', url: clean, tabId: 4 });
    expect(t.settled({ requestId: '1', url: clean, tabId: 4 })).toBeNull();
    expect(t.pendingCount).toBe(0);
  });

  it('counts a rewritten server-302 target (no 307, URL differs at headers time)', () => {
    const t = createRewriteTracker();
    t.beforeRequest({ requestId: '2', url: dirty, tabId: 9 });
    expect(t.settled({ requestId: '2', url: clean, tabId: 9 })).toMatchObject({ tabId: 9, to: clean });
  });

  it.each([
    ['rule off: the flagged URL reaches the server', [dirty, dirty]],
    ['unflagged request', [clean, clean]],
  ])('does not count when %s', (_name, [sent, answered]) => {
    const t = createRewriteTracker();
    t.beforeRequest({ requestId: '3', url: sent!, tabId: 1 });
    expect(t.settled({ requestId: '3', url: answered!, tabId: 1 })).toBeNull();
  });

  it('does not count a server redirect elsewhere or events for unknown requests', () => {
    const t = createRewriteTracker();
    t.beforeRequest({ requestId: '4', url: dirty, tabId: 1 });
    const login = 'https://authorization.cerner.com/login?x=1';
    expect(
      t.beforeRedirect({ requestId: '4', url: dirty, tabId: 1, redirectUrl: login, statusCode: 303 }),
    ).toBeNull();
    expect(t.settled({ requestId: 'nope', url: clean, tabId: 1 })).toBeNull();
    expect(
      t.beforeRedirect({ requestId: 'nope', url: dirty, tabId: 1, redirectUrl: clean, statusCode: 307 }),
    ).toBeNull();
  });

  it('stays bounded when requests never settle', () => {
    const t = createRewriteTracker();
    for (let i = 0; i < 2000; i++) t.beforeRequest({ requestId: String(i), url: dirty, tabId: 1 });
    expect(t.pendingCount).toBeLessThanOrEqual(500);
  });

  it.each([
    [dirty, true],
    ['https://a/session-api/realm/t?ForceAuthn=1', true],
    ['https://a/session-api/realm/t?isForceAuthn=1', false],
    ['https://a/authorize?forceAuthn=1', false],
    ['not a url', false],
  ])('carriesForceAuthn(%s) = %s', (url, expected) => {
    expect(carriesForceAuthn(url)).toBe(expected);
  });
});

describe('badge', () => {
  beforeEach(() => fakeBrowser.reset());

  it.each([
    [false, 0, ''],
    [false, 3, ''],
    [true, 0, 'on'],
    [true, 2, '2'],
    [true, 1234, '999+'],
  ])('text(enabled=%s, rewrites=%s) = %j', (enabled, n, text) => {
    expect(badgeText(enabled, n)).toBe(text);
  });

  it('shows the rule state globally and each tab its own count', async () => {
    await showRuleState(true);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('on');
    expect(await recordRewrite(7)).toBe(1);
    expect(await recordRewrite(7)).toBe(2);
    await Promise.all([recordRewrite(8), recordRewrite(8), recordRewrite(8)]);
    expect(await fakeBrowser.action.getBadgeText({ tabId: 7 })).toBe('2');
    expect(await fakeBrowser.action.getBadgeText({ tabId: 8 })).toBe('3');
    expect(await fakeBrowser.action.getTitle({ tabId: 8 })).toMatch(/on, 3 rewrites in this tab/);
    expect(await rewritesInTab(8)).toBe(3);
  });

  it('hides everything when the rule is turned off and restores counts when it is on again', async () => {
    await showRuleState(true);
    await recordRewrite(7);
    await showRuleState(false);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
    expect(await fakeBrowser.action.getBadgeText({ tabId: 7 })).toBe('');
    await showRuleState(true);
    expect(await fakeBrowser.action.getBadgeText({ tabId: 7 })).toBe('1');
  });

  it("puts a tab's count back after the browser reset it on navigation, only while on", async () => {
    await showRuleState(true);
    await recordRewrite(7);
    await fakeBrowser.action.setBadgeText({ tabId: 7, text: null as unknown as string });
    await refreshTab(7);
    expect(await fakeBrowser.action.getBadgeText({ tabId: 7 })).toBe('1');
    await showRuleState(false);
    await fakeBrowser.action.setBadgeText({ tabId: 7, text: null as unknown as string });
    await refreshTab(7);
    expect(await fakeBrowser.action.getBadgeText({ tabId: 7 })).toBe('');
  });

  it("puts a tab's failed-launch mark back after navigation, and does nothing for a tab with nothing to show", async () => {
    await refreshTab(3);
    expect(await fakeBrowser.action.getBadgeText({ tabId: 3 })).toBe('');
    await showRuleState(true);
    await recordRewrite(5);
    await showLaunchOutcome(5, { failed: true, cause: 'forceAuthn with a session' });
    await fakeBrowser.action.setBadgeText({ tabId: 5, text: null as unknown as string });
    await refreshTab(5);
    expect(await fakeBrowser.action.getBadgeText({ tabId: 5 })).toBe('!');
    expect(await fakeBrowser.action.getTitle({ tabId: 5 })).toMatch(/failed: forceAuthn with a session/);
    // The mark wins over the rewrite count until the tab's next launch goes through.
    await showLaunchOutcome(5, { failed: false });
    await fakeBrowser.action.setBadgeText({ tabId: 5, text: null as unknown as string });
    await refreshTab(5);
    expect(await fakeBrowser.action.getBadgeText({ tabId: 5 })).toBe('1');
  });

  it('forgets a closed tab and ignores requests outside tabs', async () => {
    await recordRewrite(7);
    await forgetTab(7);
    expect(await rewritesInTab(7)).toBe(0);
    expect(await recordRewrite(-1)).toBe(0);
  });
});

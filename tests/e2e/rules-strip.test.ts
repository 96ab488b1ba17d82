/**
 * Strip forceAuthn in a real Chromium against the sandbox, driven through the popup:
 * the 400 with the rule off, a completed launch with it on (the sandbox never sees forceAuthn),
 * Chromium's rewrite equal to the one computed in JS (also for a 5 KB double-encoded URL), the badge,
 * and the rule surviving a browser restart on the same profile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateFinalUrl } from '../../utils/dnr/simulate';
import { buildStripRules } from '../../utils/dnr/strip-force-authn';
import { DEFAULT_STRIP_SETTINGS } from '../../utils/dnr/types';
import { reportedUrl } from '../fixtures/forceauthn-url';
import { type Harness, startHarness } from './harness';
import {
  dynamicRules,
  launchProbe,
  sessionApiHops,
  setRuleFromPopup,
  signIn,
  type WithExt,
} from './rules-launch';

describe('strip forceAuthn (e2e)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('reproduces the 400 while the rule is off (its default)', async () => {
    expect(await dynamicRules(h)).toEqual([]);
    const first = await launchProbe(h);
    expect(first.outcome).toBe('login');
    await signIn(first.page);
    const from = h.sandbox.requestLog.length;
    const second = await launchProbe(h);
    expect(second.outcome).toBe('bad-request');
    const hop = sessionApiHops(h, from)[0]!;
    expect(hop.status).toBe(400);
    expect(new URL(hop.url).searchParams.get('forceAuthn')).toBe('true');
  });

  it('installs rules Chromium accepts, equal to the ones built in JS', async () => {
    await setRuleFromPopup(h, true);
    const installed = await dynamicRules(h);
    expect(installed).toEqual(buildStripRules(true, DEFAULT_STRIP_SETTINGS));
    const sw = await h.serviceWorker();
    for (const rule of installed) {
      const verdict = await sw.evaluate(
        (regex) =>
          (globalThis as unknown as WithExt).chrome.declarativeNetRequest.isRegexSupported({
            regex,
            isCaseSensitive: false,
          }),
        rule.condition.regexFilter!,
      );
      expect(verdict).toEqual({ isSupported: true });
    }
  });

  it('lets the launch reach the app; the session-api hop never carries forceAuthn; the badge counts it', async () => {
    const from = h.sandbox.requestLog.length;
    const { page, outcome } = await launchProbe(h);
    expect(outcome).toBe('callback');
    await expect.poll(() => page.locator('#exchange').textContent()).toBe('token 200');
    const hops = sessionApiHops(h, from);
    expect(hops.length).toBeGreaterThan(0);
    for (const hop of hops) {
      expect(hop.status).toBe(303);
      expect(hop.url).not.toMatch(/forceAuthn/i);
    }
    const sw = await h.serviceWorker();
    const readCounts = async () =>
      ((
        await sw.evaluate(() =>
          (globalThis as unknown as WithExt).chrome.storage.session.get('stripForceAuthn.rewrites'),
        )
      )['stripForceAuthn.rewrites'] ?? {}) as Record<string, number>;
    await expect.poll(async () => Object.values(await readCounts())).toEqual([1]);
    const stored = await readCounts();
    const [tabId] = Object.entries(stored).find(([, n]) => n === 1)!;
    const texts = await sw.evaluate(async (id) => {
      const action = (globalThis as unknown as WithExt).chrome.action;
      return [await action.getBadgeText({}), await action.getBadgeText({ tabId: id })];
    }, Number(tabId));
    expect(texts).toEqual(['on', '1']);
  });

  const variants: [string, string][] = [
    ['the reported 5 KB URL', reportedUrl()],
    ['forceAuthn before to=', reportedUrl({ topLevel: 'before-to' })],
    ['ForceAuthn', reportedUrl({ topKey: 'ForceAuthn' })],
    ['FORCEAUTHN, no nested flag', reportedUrl({ topKey: 'FORCEAUTHN', nested: false })],
    [
      'double-encoded nested flag',
      `https://authorization.cerner.com/session-api/realm/${'ec2458f2-1e24-41c8-b71b-0e701af7583d'}?to=https%253A%252F%252Fauthorization.cerner.com%252Fa%253Fx%253D1%2526isForceAuthn%253Dtrue&forceAuthn=true`,
    ],
    ['two flags', 'https://authorization.cerner.com/session-api/realm/x?forceAuthn=1&a=%41&forceauthn=2'],
  ];

  it.each(variants)('Chromium rewrites %s exactly as computed in JS', async (_name, url) => {
    const rules = await dynamicRules(h);
    const expected = simulateFinalUrl(rules, url, 'main_frame').url;
    expect(expected).not.toBe(url);
    const page = await h.context.newPage();
    const from = h.sandbox.requestLog.length;
    await page.goto(url);
    const hop = sessionApiHops(h, from)[0]!;
    expect(hop.url).toBe(expected);
    await page.close();
  });

  it('keeps the rule on across a browser restart with the same profile', async () => {
    await h.restart();
    expect(await dynamicRules(h)).toEqual(buildStripRules(true, DEFAULT_STRIP_SETTINGS));
    const popup = await h.extensionPage('popup.html');
    const toggle = popup.getByRole('switch', { name: 'Strip forceAuthn' });
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('true');
    const from = h.sandbox.requestLog.length;
    const page = await h.context.newPage();
    await page.goto(reportedUrl());
    expect(sessionApiHops(h, from)[0]!.url).toBe(reportedUrl({ topLevel: 'none', nested: false }));
  });

  it('turns off from the popup and the hop carries forceAuthn again', async () => {
    await setRuleFromPopup(h, false);
    expect(await dynamicRules(h)).toEqual([]);
    const from = h.sandbox.requestLog.length;
    const page = await h.context.newPage();
    await page.goto(reportedUrl());
    expect(sessionApiHops(h, from)[0]!.url).toBe(reportedUrl());
  });

  it('with the nested option turned off in the options page, Chromium strips only the top-level flag', async () => {
    const options = await h.extensionPage('options.html');
    const nested = options.getByRole('switch', { name: 'Also remove isForceAuthn inside to=' });
    await expect.poll(() => nested.getAttribute('aria-checked')).toBe('true');
    await nested.click();
    await expect.poll(() => nested.getAttribute('aria-checked')).toBe('false');
    await setRuleFromPopup(h, true);
    expect((await dynamicRules(h)).map((r) => r.id)).toEqual([1000]);
    const from = h.sandbox.requestLog.length;
    const page = await h.context.newPage();
    await page.goto(reportedUrl());
    expect(sessionApiHops(h, from)[0]!.url).toBe(reportedUrl({ topLevel: 'none' }));
  });
});

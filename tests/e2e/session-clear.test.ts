/**
 * Clear authorization.cerner.com session in a real Chromium, driven through the popup: the plan lists
 * the sandbox's session cookies (and a partitioned one) without values, the parent-domain cookie only
 * as an opt-in; afterwards the 400 is gone, the launch completes after login, and smart.cerner.com's
 * cookies and storage are untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserCookie } from '../../utils/session/types';
import { type Harness, startHarness } from './harness';
import { CONSOLE, launchProbe, signIn, type WithExt } from './rules-launch';

async function allCookies(h: Harness): Promise<BrowserCookie[]> {
  const sw = await h.serviceWorker();
  return sw.evaluate(async () => {
    const cookies = (globalThis as unknown as WithExt).chrome.cookies;
    return [...(await cookies.getAll({})), ...(await cookies.getAll({ partitionKey: {} }))];
  });
}

/** getAll({}) and getAll({partitionKey: {}}) overlap, so labels are de-duplicated. */
const labels = (cs: BrowserCookie[]) => [...new Set(cs.map(label))];
const label = (c: BrowserCookie) => `${c.name}@${c.domain}${c.partitionKey ? ' (partitioned)' : ''}`;

describe('clear session (e2e)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('sets up a session, sibling cookies and storage, and hits the 400', async () => {
    const first = await launchProbe(h);
    expect(first.outcome).toBe('login');
    await signIn(first.page);
    const smart = await h.context.newPage();
    await smart.goto(CONSOLE);
    await smart.evaluate(() => {
      // biome-ignore lint/suspicious/noDocumentCookie: the page sets its own cookie, as the site would
      document.cookie = 'smart-pref=dark; Path=/; Secure; SameSite=Lax';
      localStorage.setItem('smart-marker', 'kept');
    });
    const auth = await h.context.newPage();
    await auth.goto('https://authorization.cerner.com/my-session/status');
    await auth.evaluate(() => {
      // biome-ignore lint/suspicious/noDocumentCookie: the page sets its own cookie, as the site would
      document.cookie = 'chips-marker=1; Path=/; Secure; SameSite=None; Partitioned';
      localStorage.setItem('auth-marker', 'gone');
    });
    const names = labels(await allCookies(h));
    expect(names).toEqual(
      expect.arrayContaining([
        'cerner-authz-session@authorization.cerner.com',
        'cloud-session-iframe@authorization.cerner.com',
        'chips-marker@authorization.cerner.com (partitioned)',
        'cerner-sso@.cerner.com',
        'smart-pref@smart.cerner.com',
      ]),
    );
    expect((await launchProbe(h)).outcome).toBe('bad-request');
  });

  it('lists what will go, without values, and reports what was removed', async () => {
    const popup = await h.extensionPage('popup.html');
    await popup.getByRole('button', { name: 'Clear authorization.cerner.com session' }).click();
    const own = popup.getByRole('table', { name: /Cookies of authorization\.cerner\.com/ });
    await own.waitFor();
    const ownText = (await own.textContent()) ?? '';
    for (const name of ['cerner-authz-session', 'cloud-session-iframe', 'idp-session', 'chips-marker']) {
      expect(ownText).toContain(name);
    }
    expect(ownText).not.toContain('smart-pref');
    const shared = popup.getByRole('table', { name: /Shared with every sibling site/ });
    expect(await shared.textContent()).toContain('cerner-sso');
    expect(await popup.getByRole('checkbox', { name: /cerner-sso/ }).isChecked()).toBe(false);
    const values = (await allCookies(h)).filter((c) => c.value.length > 3).map((c) => c.value);
    const body = (await popup.locator('body').textContent()) ?? '';
    for (const value of values) expect(body).not.toContain(value);

    await popup.getByRole('button', { name: /^Remove from / }).click();
    const status = popup.getByRole('status');
    await expect.poll(() => status.textContent()).toMatch(/Removed 4 cookies and the site storage/);
    expect(await status.textContent()).toContain('Kept 1 shared cookie: cerner-sso');
    expect(await popup.getByRole('alert').count()).toBe(0);
  });

  it('removed exactly the host cookies (partitioned too) and the origin storage; siblings are untouched', async () => {
    const names = labels(await allCookies(h)).sort();
    expect(names).toEqual(['cerner-sso@.cerner.com', 'smart-pref@smart.cerner.com']);
    const smart = await h.context.newPage();
    await smart.goto(CONSOLE);
    expect(await smart.evaluate(() => localStorage.getItem('smart-marker'))).toBe('kept');
    const auth = await h.context.newPage();
    await auth.goto('https://authorization.cerner.com/my-session/status');
    expect(await auth.evaluate(() => localStorage.getItem('auth-marker'))).toBeNull();
  });

  it('lets the next launch through after login', async () => {
    const { page, outcome } = await launchProbe(h);
    expect(outcome).toBe('login');
    await signIn(page);
    await expect.poll(() => page.locator('#exchange').textContent()).toBe('token 200');
    expect(labels(await allCookies(h))).toContain('smart-pref@smart.cerner.com');
  });
});

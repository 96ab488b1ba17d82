import { describe, expect, it } from 'vitest';
import { createTabHandlers, type TabPorts } from '../../entrypoints/background/tabs';
import { analyze } from '../../utils/launch/analyze';
import { relaunchPlan } from '../../utils/launch/relaunch';
import { tabMessages } from '../../utils/messages/tabs';
import type { Exchange } from '../../utils/model';
import { loadExchanges } from '../fixtures/load';

const only = (exchanges: Exchange[]) => {
  const launches = analyze(exchanges);
  expect(launches).toHaveLength(1);
  return launches[0]!;
};

describe('relaunchPlan', () => {
  it('starts again from the Code Console page, in the tab the launch ran in', () => {
    const exchanges = loadExchanges('forceauthn-400');
    const plan = relaunchPlan(only(exchanges));
    expect(plan).toMatchObject({ ok: true, from: 'ehr-page', tabId: 101 });
    expect(plan.ok && plan.url).toBe(exchanges[0]!.url);
  });

  it('refuses to reopen an EHR launch URL whose single-use launch code cannot be replayed', () => {
    // The same launch without the Code Console hops: only the app's launch URL (iss + launch) is known.
    const exchanges = loadExchanges('forceauthn-400').filter(
      (e) => !e.url.startsWith('https://smart.cerner.com/'),
    );
    const plan = relaunchPlan(only(exchanges));
    expect(plan).toMatchObject({ ok: false, tabId: 101 });
    expect(!plan.ok && plan.reason).toMatch(/single-use launch code/);
  });

  it('reopens a standalone launch URL (iss without launch)', () => {
    const exchanges = loadExchanges('forceauthn-400')
      .filter((e) => !e.url.startsWith('https://smart.cerner.com/'))
      .map((e) =>
        e.url.includes('launch.html?iss=') ? { ...e, url: e.url.replace(/&launch=[^&]*/, '') } : e,
      );
    const plan = relaunchPlan(only(exchanges));
    expect(plan).toMatchObject({ ok: true, from: 'launch-url' });
    expect(plan.ok && plan.url).toMatch(/launch\.html\?iss=/);
    expect(plan.ok && plan.url).not.toMatch(/launch=/);
  });
});

/** A tab strip that behaves like the browser's: updating a closed tab fails. */
function tabStrip(open: number[]) {
  const tabs = new Map(open.map((id) => [id, 'about:blank']));
  let next = 500;
  const ports: TabPorts = {
    async update(tabId, { url }) {
      if (!tabs.has(tabId)) throw new Error(`No tab with id: ${tabId}.`);
      tabs.set(tabId, url);
    },
    async create({ url }) {
      const id = next++;
      tabs.set(id, url);
      return { id };
    },
  };
  return { tabs, ports };
}

describe('tabs/relaunch handler', () => {
  const sender = {};
  it('navigates the launch tab when it is still open', async () => {
    const strip = tabStrip([7]);
    const relaunch = createTabHandlers(() => strip.ports)['tabs/relaunch'];
    expect(await relaunch({ url: 'https://smart.cerner.com/a', tabId: 7 }, sender)).toEqual({
      tabId: 7,
      sameTab: true,
    });
    expect(strip.tabs.get(7)).toBe('https://smart.cerner.com/a');
  });

  it('opens a new tab when the launch tab is gone or unknown', async () => {
    const strip = tabStrip([]);
    const relaunch = createTabHandlers(() => strip.ports)['tabs/relaunch'];
    expect(await relaunch({ url: 'https://smart.cerner.com/a', tabId: 7 }, sender)).toEqual({
      tabId: 500,
      sameTab: false,
    });
    expect(await relaunch({ url: 'https://smart.cerner.com/b' }, sender)).toMatchObject({ sameTab: false });
    expect([...strip.tabs.values()]).toEqual(['https://smart.cerner.com/a', 'https://smart.cerner.com/b']);
  });
});

describe('tabs/relaunch message', () => {
  const schema = tabMessages['tabs/relaunch'].request;
  it.each(['javascript:alert(1)', 'chrome://settings', 'file:///etc/passwd', 'https://', 'not a url'])(
    'refuses %s',
    (url) => {
      expect(schema.safeParse({ url }).success).toBe(false);
    },
  );
  it('accepts a web page and a tab id', () => {
    expect(schema.safeParse({ url: 'https://smart.cerner.com/x?y=1', tabId: 3 }).success).toBe(true);
  });
});

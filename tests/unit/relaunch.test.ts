import { describe, expect, it } from 'vitest';
import { createTabHandlers, type TabPorts } from '../../entrypoints/background/tabs';
import { analyze } from '../../utils/launch/analyze';
import { relaunchPlan } from '../../utils/launch/relaunch';
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
  const failed = only(loadExchanges('forceauthn-400'));
  const handler = (strip: ReturnType<typeof tabStrip>) =>
    createTabHandlers({
      ports: () => strip.ports,
      getLaunch: async (id) => (id === failed.id ? failed : null),
    })['tabs/relaunch'];

  it('starts the launch again from its Code Console page in the tab it ran in', async () => {
    const strip = tabStrip([101]);
    const result = await handler(strip)({ launchId: failed.id }, sender);
    expect(result).toMatchObject({ ok: true, tabId: 101, sameTab: true });
    expect(strip.tabs.get(101)).toMatch(/^https:\/\/smart\.cerner\.com\/smart\/[^/]+\/apps\//);
  });

  it('opens a new tab when the launch tab was closed', async () => {
    const strip = tabStrip([]);
    expect(await handler(strip)({ launchId: failed.id }, sender)).toMatchObject({
      ok: true,
      tabId: 500,
      sameTab: false,
    });
    expect(strip.tabs.size).toBe(1);
  });

  it('says so when the launch is gone', async () => {
    const strip = tabStrip([101]);
    expect(await handler(strip)({ launchId: 'launch:nope' }, sender)).toEqual({
      ok: false,
      reason: 'That launch is no longer in the log.',
    });
    expect(strip.tabs.get(101)).toBe('about:blank');
  });
});

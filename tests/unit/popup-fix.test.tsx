// @vitest-environment jsdom
/**
 * The popup leads with the launch of the active tab and fixes it in one click: against the real rule,
 * session and relaunch handlers (through the fake browser's messaging), with the forceAuthn 400 fixture
 * analyzed by the real engine.
 */
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Runtime } from 'webextension-polyfill';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { z } from 'zod';
import { summaryOf } from '../../entrypoints/background/analyzed-cache';
import { createRuleHandlers } from '../../entrypoints/background/rules';
import { createSessionHandlers } from '../../entrypoints/background/session';
import { createSummaryIndex } from '../../entrypoints/background/summary-index';
import { createTabHandlers, type TabPorts } from '../../entrypoints/background/tabs';
import { App } from '../../entrypoints/popup/App';
import { browserPlatform } from '../../entrypoints/popup/platform';
import { createStripRuleService } from '../../utils/dnr/service';
import { analyze } from '../../utils/launch/analyze';
import { protocol } from '../../utils/messages';
import { defineMessage } from '../../utils/messages/define';
import { createDispatcher } from '../../utils/messages/dispatch';
import { LAUNCHES_CHANGED } from '../../utils/messages/launches';
import { ruleMessages } from '../../utils/messages/rules';
import { sessionMessages } from '../../utils/messages/session';
import { tabMessages } from '../../utils/messages/tabs';
import type { Exchange, Launch } from '../../utils/model';
import { loadExchanges } from '../fixtures/load';
import { createFakeRulePorts } from './dnr-fakes';
import { fakeCookieBrowser } from './session-fakes';

const launchMessages = {
  'launches/changes': protocol['launches/changes'],
  'launches/get': defineMessage<Launch | null>()(z.object({ id: z.string() }).strict()),
  'recorder/health': defineMessage<object>()(z.object({}).strict()),
};

function setup(launches: Launch[], activeTabId: number, openTabs: number[] = [activeTabId]) {
  const rulesFake = createFakeRulePorts();
  const index = createSummaryIndex('test-worker');
  const cookies = fakeCookieBrowser();
  const tabs = new Map(openTabs.map((id) => [id, 'about:blank']));
  const tabPorts: TabPorts = {
    async update(tabId, { url }) {
      if (!tabs.has(tabId)) throw new Error(`No tab with id: ${tabId}.`);
      tabs.set(tabId, url);
    },
    async create({ url }) {
      tabs.set(900, url);
      return { id: 900 };
    },
  };
  const find = async (id: string) => launches.find((l) => l.id === id) ?? null;
  const dispatch = createDispatcher(
    { ...ruleMessages, ...sessionMessages, ...launchMessages, ...tabMessages },
    {
      ...createRuleHandlers(createStripRuleService(rulesFake.ports)),
      ...createSessionHandlers(cookies.ports),
      ...createTabHandlers({ ports: () => tabPorts, getLaunch: find }),
      'launches/changes': ({ epoch, since }) => {
        index.update(launches.map(summaryOf));
        return structuredClone(index.changes(epoch, since));
      },
      'recorder/health': () => ({}),
      'launches/get': ({ id }) => find(id),
    },
    { isTrusted: (_sender: Runtime.MessageSender) => true },
  );
  fakeBrowser.runtime.onMessage.addListener(
    (message: unknown, _sender: unknown, sendResponse: (r: unknown) => void) => {
      dispatch(message, {}).then(sendResponse);
      return true;
    },
  );
  const platform = browserPlatform();
  platform.activeTabId = async () => activeTabId;
  render(<App platform={platform} />);
  return { rulesFake, tabs };
}

beforeEach(() => fakeBrowser.reset());
afterEach(cleanup);

const failed = () => analyze(loadExchanges('forceauthn-400'))[0]!;

/** The popup's fix pressed on the failed launch of tab 101, and its relaunch under way. */
async function fixAndRelaunch(launches: Launch[]): Promise<void> {
  setup(launches, 101);
  await userEvent.setup().click(await screen.findByRole('button', { name: 'Strip forceAuthn and relaunch' }));
  await screen.findByText('✓ Strip forceAuthn on · relaunched in its tab.');
}

/** The successful launch's exchanges, moved to start at `at` (the fixture starts at 1747058580040). */
function successAt(at: number): Exchange[] {
  const shift = at - 1747058580040;
  return loadExchanges('success-oracle').map((e) => ({
    ...e,
    startedAt: e.startedAt + shift,
    ...(e.completedAt ? { completedAt: e.completedAt + shift } : {}),
  }));
}

/** The background's notice that stored launches changed (the popup reads them again). */
const announce = () =>
  fakeBrowser.runtime.onMessage.trigger(
    { type: LAUNCHES_CHANGED, health: {} },
    { id: fakeBrowser.runtime.id },
    () => {},
  );

describe('popup: the failed launch first, fixed in one click', () => {
  it('leads with the launch of this tab: status, cause in one line, the fix as the primary button', async () => {
    setup([failed()], 101);
    const card = await screen.findByRole('region', { name: /Launch in this tab/ });
    expect(card.getAttribute('data-tone')).toBe('bad');
    expect(within(card).getByRole('heading').textContent).toMatch(/Launch in this tab failed/);
    expect(within(card).getByText(/forceAuthn/, { selector: '.sldp-card-cause' })).toBeTruthy();
    // The step that failed, as the log's list names it.
    expect(card.querySelector('.sldp-card-who')?.textContent).toMatch(
      /Failed at session-api \(forceAuthn\) → 400$/,
    );
    const primary = within(card).getByRole('button', { name: 'Strip forceAuthn and relaunch' });
    expect(primary.getAttribute('data-variant')).toBe('primary');
  });

  it('one click turns the strip rule on and starts the launch again from the Code Console page in its tab', async () => {
    const launch = failed();
    const { rulesFake, tabs } = setup([launch], 101);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Strip forceAuthn and relaunch' }));
    expect(await screen.findByRole('status')).toHaveProperty(
      'textContent',
      '✓ Strip forceAuthn on · relaunched in its tab.',
    );
    expect(rulesFake.dnr.rules().length).toBeGreaterThan(0);
    expect(tabs.get(101)).toBe(launch.steps[0]!.exchange.url);
    // The rule now reads as done; turning it off is the secondary switch.
    const toggle = screen.getByRole('switch', { name: 'Strip forceAuthn' });
    expect(toggle.getAttribute('aria-checked')).toBe('true');
    expect(screen.getByRole('button', { name: 'Relaunch' })).toBeTruthy();
  });

  it('says whether the fix worked once the relaunch it started leads', async () => {
    const launches = [failed()];
    await fixAndRelaunch(launches);
    // The relaunch comes in: first under way, then through.
    const relaunch = (done: boolean) => {
      const at = Date.now();
      const exchanges = successAt(at);
      const [launch] = analyze(done ? exchanges : exchanges.slice(0, 3), { now: at + 100 });
      return { ...launch!, id: 'relaunch' };
    };
    // Newest first, as analysis lists them.
    launches.unshift(relaunch(false));
    await announce();
    expect(await screen.findByText('Relaunched after the fix: waiting for it to finish…')).toBeTruthy();
    launches[0] = relaunch(true);
    await announce();
    const verdict = await screen.findByText('✓ The fix worked: the relaunch succeeded.');
    expect(verdict.getAttribute('role')).toBe('status');
    expect(screen.getByRole('region', { name: /Launch in this tab succeeded/ })).toBeTruthy();
  });

  it('says the fix worked as soon as the relaunch brought the app its code, before it settles', async () => {
    const launches = [failed()];
    await fixAndRelaunch(launches);
    const at = Date.now();
    // Up to the callback with its code, the token request not seen (yet): in progress while it settles.
    const exchanges = successAt(at);
    const callback = exchanges.findIndex((e) => /[?&]code=/.test(e.url) && !e.url.includes('/authorize'));
    const [launch] = analyze(exchanges.slice(0, callback + 1), { now: at + 100 });
    expect(launch!.status).toBe('in-progress');
    launches.unshift({ ...launch!, id: 'relaunch' });
    await announce();
    const verdict = await screen.findByText('✓ The fix worked: the relaunch reached the app with its code.');
    expect(verdict.getAttribute('data-tone')).toBe('ok');
  });

  it('does not take the launch it fixed, or one that began before the fix, for its relaunch', async () => {
    const launches = [failed()];
    await fixAndRelaunch(launches);
    expect(screen.queryByText(/the fix/i)).toBeNull();
    // A launch of this tab that began a minute before the fix leads (it was still coming in).
    const older = analyze(loadExchanges('success-oracle'))[0]!;
    launches.unshift({ ...older, id: 'older', startedAt: Date.now() - 60_000 });
    await announce();
    await screen.findByRole('region', { name: /Launch in this tab succeeded/ });
    expect(screen.queryByText(/the fix/i)).toBeNull();
  });

  it('says why it cannot relaunch when only a single-use launch URL was recorded', async () => {
    const exchanges = loadExchanges('forceauthn-400').filter(
      (e) => !e.url.startsWith('https://smart.cerner.com/'),
    );
    const { tabs } = setup(analyze(exchanges), 101);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Strip forceAuthn and relaunch' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(
      /✓ Strip forceAuthn on, but no relaunch: .*single-use launch code/,
    );
    expect(tabs.get(101)).toBe('about:blank');
  });

  it('shows another tab’s launch as the last launch', async () => {
    setup([failed()], 5);
    expect(await screen.findByRole('region', { name: /Last launch failed/ })).toBeTruthy();
  });
});

describe('popup card: statuses from the engine', () => {
  it('an authorized launch says why its token exchange is not visible and offers to watch the app', async () => {
    const authorized: Launch = {
      id: 'l2',
      status: 'authorized',
      statusReason:
        'The code reached http://localhost:5173, but its token request was not visible: http://localhost:5173 is not watched and DevTools was not open on the tab.',
      startedAt: Date.now() - 2 * 60_000,
      clientId: 'demo-app',
      steps: [],
      findings: [
        {
          ruleId: 'token-not-visible',
          severity: 'warning',
          title: 'Token exchange not visible',
          summary: '…',
          evidence: [],
          fixes: [
            { kind: 'watch-origin', label: 'Watch http://localhost:5173', origin: 'http://localhost:5173' },
          ],
        },
      ],
    };
    setup([authorized], 1);
    const card = await screen.findByRole('region', { name: /Last launch authorized/ });
    expect(within(card).getByText(authorized.statusReason!)).toBeTruthy();
    expect(within(card).getByRole('button', { name: 'Watch localhost:5173' })).toBeTruthy();
  });
});

describe('popup card: the cause in one line', () => {
  it('shows the leading finding’s title when the status reason only spells that finding out', async () => {
    const launch = failed();
    expect(launch.statusReason?.startsWith(`${launch.findings[0]!.title}:`)).toBe(true);
    setup([launch], 101);
    const card = await screen.findByRole('region', { name: /Launch in this tab/ });
    expect(card.querySelector('.sldp-card-cause')?.textContent).toBe(launch.findings[0]!.title);
  });
});

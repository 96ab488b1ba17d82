// @vitest-environment jsdom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Runtime } from 'webextension-polyfill';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { z } from 'zod';
import { summaryOf } from '../../entrypoints/background/analyzed-cache';
import { recordRewrite } from '../../entrypoints/background/badge';
import { createRuleHandlers } from '../../entrypoints/background/rules';
import { createSessionHandlers } from '../../entrypoints/background/session';
import { createSummaryIndex } from '../../entrypoints/background/summary-index';
import { App } from '../../entrypoints/popup/App';
import { browserPlatform } from '../../entrypoints/popup/platform';
import { createStripRuleService } from '../../utils/dnr/service';
import { buildStripRules } from '../../utils/dnr/strip-force-authn';
import { DEFAULT_STRIP_SETTINGS } from '../../utils/dnr/types';
import { protocol } from '../../utils/messages';
import { defineMessage } from '../../utils/messages/define';
import { createDispatcher } from '../../utils/messages/dispatch';
import { LAUNCHES_CHANGED, type RecorderHealth } from '../../utils/messages/launches';
import { ruleMessages } from '../../utils/messages/rules';
import { sessionMessages } from '../../utils/messages/session';
import type { Launch } from '../../utils/model';
import { createFakeRulePorts } from './dnr-fakes';
import { fakeCookieBrowser } from './session-fakes';

const launchList = {
  'launches/changes': protocol['launches/changes'],
  'recorder/health': defineMessage<RecorderHealth>()(z.object({}).strict()),
  'launches/get': defineMessage<Launch | null>()(z.object({ id: z.string() }).strict()),
};

/**
 * The popup runs against the real background handlers and message dispatcher, wired through the fake
 * browser's runtime messaging; only declarativeNetRequest and cookies are fakes of our own.
 */
function setup(
  options: {
    rules?: Parameters<typeof createFakeRulePorts>[0];
    launches?: Launch[];
    health?: RecorderHealth;
    activeTabId?: number;
  } = {},
) {
  const rulesFake = createFakeRulePorts(options.rules);
  const index = createSummaryIndex('test-worker');
  /** The version each read of the summaries asked from (undefined: the whole list). */
  const reads: (number | undefined)[] = [];
  const cookies = fakeCookieBrowser();
  const dispatch = createDispatcher(
    { ...ruleMessages, ...sessionMessages, ...launchList },
    {
      ...createRuleHandlers(createStripRuleService(rulesFake.ports)),
      ...createSessionHandlers(cookies.ports),
      // The background's own index over one summary per launch object, as the worker keeps them.
      'launches/changes': ({ epoch, since }) => {
        reads.push(since);
        index.update((options.launches ?? []).map(summaryOf));
        return structuredClone(index.changes(epoch, since));
      },
      'recorder/health': () => options.health ?? {},
      'launches/get': ({ id }) => (options.launches ?? []).find((l) => l.id === id) ?? null,
    },
    { isTrusted: (_sender: Runtime.MessageSender) => true },
  );
  // The fake browser delivers answers the Chrome way (sendResponse + return true); the polyfill in
  // the real worker turns a returned promise into exactly that.
  fakeBrowser.runtime.onMessage.addListener(
    (message: unknown, _sender: unknown, sendResponse: (r: unknown) => void) => {
      dispatch(message, {}).then(sendResponse);
      return true;
    },
  );
  const platform = browserPlatform();
  // The fake browser's tabs.query({active, currentWindow}) cannot answer reliably, so the active tab is given.
  if (options.activeTabId !== undefined) platform.activeTabId = async () => options.activeTabId;
  render(<App platform={platform} />);
  return { rulesFake, cookies, reads };
}

beforeEach(() => fakeBrowser.reset());
afterEach(cleanup);

describe('popup: strip forceAuthn', () => {
  it('shows the rule off by default and turns it on from the keyboard', async () => {
    const { rulesFake } = setup();
    const user = userEvent.setup();
    const toggle = await screen.findByRole('switch', { name: 'Strip forceAuthn' });
    await waitFor(() => expect((toggle as HTMLButtonElement).disabled).toBe(false));
    expect(toggle.getAttribute('aria-checked')).toBe('false');
    toggle.focus();
    await user.keyboard(' ');
    await waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('true'));
    expect(rulesFake.dnr.rules().map((r) => r.id)).toEqual([1000, 1001, 1002]);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('on');
    await user.click(toggle);
    await waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('false'));
    expect(rulesFake.dnr.rules()).toEqual([]);
  });

  it('shows the state the browser holds, not a stored flag, and the rewrites in the current tab', async () => {
    await recordRewrite(3);
    await recordRewrite(3);
    await recordRewrite(4);
    setup({ rules: { rules: buildStripRules(true, DEFAULT_STRIP_SETTINGS) }, activeTabId: 3 });
    const toggle = await screen.findByRole('switch', { name: 'Strip forceAuthn' });
    await waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('true'));
    expect(await screen.findByText('Rewrote 2 requests in this tab.')).toBeTruthy();
  });

  it('explains a failure and keeps showing the real state', async () => {
    const { rulesFake } = setup();
    rulesFake.ports.updateDynamicRules = async () => {
      throw new Error('Rule with id 1001 was skipped');
    };
    const user = userEvent.setup();
    const toggle = await screen.findByRole('switch', { name: 'Strip forceAuthn' });
    await waitFor(() => expect((toggle as HTMLButtonElement).disabled).toBe(false));
    await user.click(toggle);
    expect((await screen.findByRole('alert')).textContent).toContain('Rule with id 1001 was skipped');
    expect(toggle.getAttribute('aria-checked')).toBe('false');
  });
});

describe('popup: strip forceAuthn while the background restarts', () => {
  it('a failed first read of the rule is read again on the next change notice, and its error goes', async () => {
    const { rulesFake } = setup();
    const real = rulesFake.ports.getDynamicRules;
    rulesFake.ports.getDynamicRules = async () => {
      throw new Error('the worker went away');
    };
    expect((await screen.findByRole('alert')).textContent).toContain('the worker went away');
    const toggle = screen.getByRole('switch', { name: 'Strip forceAuthn' });
    expect((toggle as HTMLButtonElement).disabled).toBe(true);
    rulesFake.ports.getDynamicRules = real;
    const notice = { type: LAUNCHES_CHANGED, health: {} };
    await fakeBrowser.runtime.onMessage.trigger(notice, { id: fakeBrowser.runtime.id }, () => {});
    await waitFor(() => expect((toggle as HTMLButtonElement).disabled).toBe(false));
    expect(screen.queryByRole('alert')?.textContent ?? '').not.toContain('the worker went away');
  });

  it('a change that was made although its answer failed leaves no error', async () => {
    const { rulesFake } = setup();
    const update = rulesFake.ports.updateDynamicRules;
    rulesFake.ports.updateDynamicRules = async (u) => {
      await update(u);
      throw new Error('the answer was lost');
    };
    const user = userEvent.setup();
    const toggle = await screen.findByRole('switch', { name: 'Strip forceAuthn' });
    await waitFor(() => expect((toggle as HTMLButtonElement).disabled).toBe(false));
    await user.click(toggle);
    await waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('true'));
    await waitFor(() =>
      expect(screen.queryByRole('alert')?.textContent ?? '').not.toContain('the answer was lost'),
    );
  });
});

describe('popup: clear session', () => {
  it('lists names, domains and sizes first, removes on confirmation and reports', async () => {
    const { cookies } = setup();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Clear authorization.cerner.com session' }));
    const own = await screen.findByRole('table', { name: /Cookies of authorization\.cerner\.com \(5\)/ });
    expect(within(own).getByText('JSESSIONID')).toBeTruthy();
    expect(within(own).getByText('29 B', { exact: false })).toBeTruthy();
    expect(document.body.textContent).not.toContain('value-of-');
    const shared = screen.getByRole('table', { name: /Shared with every sibling site/ });
    const sso = within(shared).getByRole('checkbox', { name: 'Also remove cerner-sso (.cerner.com)' });
    expect((sso as HTMLInputElement).checked).toBe(false);
    await user.click(sso);
    await user.click(screen.getByRole('button', { name: /^Remove from / }));
    const status = await screen.findByRole('status');
    expect(status.textContent).toContain(
      'Removed 6 cookies and the site storage of https://authorization.cerner.com',
    );
    expect(status.textContent).toContain('Kept 1 shared cookie: cerner-pref');
    expect(cookies.names()).toEqual(
      expect.arrayContaining([
        'smart-session@smart.cerner.com',
        'fhir-session@fhir-ehr-code.cerner.com',
        'cerner-pref@.cerner.com',
      ]),
    );
    expect(cookies.names()).not.toContain('cerner-sso@.cerner.com');
    expect(cookies.storageCalls).toHaveLength(1);
  });

  it('can be cancelled without removing anything', async () => {
    const { cookies } = setup();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Clear authorization.cerner.com session' }));
    await screen.findByRole('table', { name: /Cookies of/ });
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    // Focus goes back to the button that opened it (shown again in the panel's place).
    const button = screen.getByRole('button', { name: 'Clear authorization.cerner.com session' });
    expect(document.activeElement).toBe(button);
    expect(cookies.names()).toHaveLength(13);
    expect(cookies.storageCalls).toEqual([]);
    // The same from the keyboard: Enter opens it, Escape closes it.
    await user.keyboard('{Enter}');
    await screen.findByRole('table', { name: /Cookies of/ });
    await user.keyboard('{Escape}');
    expect(document.activeElement).toBe(
      screen.getByRole('button', { name: 'Clear authorization.cerner.com session' }),
    );
    expect(cookies.storageCalls).toEqual([]);
  });
});

describe('popup: last launch and launch log', () => {
  it('says when no launch was recorded and opens the log in a tab', async () => {
    setup();
    const user = userEvent.setup();
    expect(await screen.findByRole('heading', { name: 'No launch recorded yet' })).toBeTruthy();
    await user.click(screen.getByRole('link', { name: 'Open launch log' }));
    await waitFor(async () => {
      const tabs = await fakeBrowser.tabs.query({});
      expect(tabs.map((t) => t.url)).toContain(fakeBrowser.runtime.getURL('/log.html'));
    });
  });
});

describe('popup: recorder state', () => {
  it('follows the background’s change notices: a new last launch, and a failed storage write', async () => {
    const launches: Launch[] = [];
    const { reads } = setup({ launches });
    expect(await screen.findByText('No launch recorded yet')).toBeTruthy();
    const { forceAuthn400Launch } = await import('../fixtures/launches/forceauthn-400');
    launches.push({ ...forceAuthn400Launch, startedAt: Date.now() });
    const notice = {
      type: LAUNCHES_CHANGED,
      health: { writeError: { message: 'Could not save recorded launches: disk full', at: 1 } },
    };
    // From another extension: ignored.
    await fakeBrowser.runtime.onMessage.trigger(notice, { id: 'someone-else' }, () => {});
    expect(screen.queryByRole('alert')).toBeNull();
    await fakeBrowser.runtime.onMessage.trigger(notice, { id: fakeBrowser.runtime.id }, () => {});
    expect((await screen.findByRole('alert')).textContent).toContain('disk full');
    // Named by its words once, not by the icon too ("Failed Last launch failed").
    expect(await screen.findByRole('region', { name: 'Last launch failed' })).toBeTruthy();
    // The first read took the whole list; the one after the notice only what changed since.
    expect(reads[0]).toBeUndefined();
    expect(reads.at(-1)).toEqual(expect.any(Number));
  });

  it('shows a storage failure the background already knows of when it opens', async () => {
    setup({ health: { writeError: { message: 'Could not save recorded launches: quota', at: 1 } } });
    expect((await screen.findByRole('alert')).textContent).toContain('quota');
  });
});

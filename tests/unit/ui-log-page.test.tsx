// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LogApp } from '../../components/log/LogApp';
import { createLogApi } from '../../components/log/logApi';
import type { Platform } from '../../components/log/platform';
import { summaryOf } from '../../entrypoints/background/analyzed-cache';
import { createSummaryIndex } from '../../entrypoints/background/summary-index';
import { DEFAULT_STRIP_SETTINGS } from '../../utils/dnr/types';
import { readHar, skippedNote } from '../../utils/har/import';
import { analyze } from '../../utils/launch/analyze';
import { searchLaunches } from '../../utils/launch/search';
import { protocol } from '../../utils/messages';
import { createDispatcher } from '../../utils/messages/dispatch';
import type { PushedChanges, RecorderHealth } from '../../utils/messages/launches';
import type { ClearPlan, CookieInfo } from '../../utils/messages/session';
import type { Launch } from '../../utils/model';
import { forceAuthn400Launch, launchUrl } from '../fixtures/launches/forceauthn-400';
import { successLaunch } from '../fixtures/launches/success';
import { loadExchanges } from '../fixtures/load';
import { installLayout } from './ui-support';

// jsdom + user-event runs slowly when the two cores are busy with other suites; time is not what is tested.
vi.setConfig({ testTimeout: 20_000 });

beforeAll(() => installLayout());
afterEach(cleanup);

/**
 * A background that implements only part of the protocol, through the real dispatcher: the page must
 * work with what exists and report the rest plainly. It has no `launches/list`: the page reads what
 * changed in the summaries and one launch in full.
 */
function partialBackground(launches: Launch[]) {
  const state = {
    rule: false,
    setCalls: 0,
    gets: [] as string[],
    searches: [] as string[],
    relaunched: [] as string[],
    /** The version each read of the summaries asked from (undefined: the whole list). */
    since: [] as (number | undefined)[],
    failReads: false,
    /** Reads of the strip rule fail (the background restarting). */
    failRule: false,
    /** The next answer of changes also removes the first launch while its order keeps it: it fits no list. */
    skewNext: false,
    /** The read (index in `since`) that got the skewed answer. */
    skewedAt: -1,
    /** The version the last notice's changes went up to (see `notice`), or the first read's. */
    pushedVersion: undefined as number | undefined,
  };
  const index = createSummaryIndex('test-worker');
  const ruleState = () => ({ ...DEFAULT_STRIP_SETTINGS, enabled: state.rule });
  const subset = {
    'launches/changes': protocol['launches/changes'],
    'launches/get': protocol['launches/get'],
    'launches/search': protocol['launches/search'],
    'rules/get': protocol['rules/get'],
    'rules/set': protocol['rules/set'],
    'session/plan': protocol['session/plan'],
    'tabs/relaunch': protocol['tabs/relaunch'],
    'launches/import-har': protocol['launches/import-har'],
  };
  const dispatch = createDispatcher(
    subset,
    {
      // Copies, as runtime messaging delivers them.
      // The background's own index over one summary per launch object, as the worker keeps them.
      'launches/changes': ({ epoch, since }) => {
        state.since.push(since);
        if (state.failReads) throw new Error('storage gone');
        index.update(launches.map(summaryOf));
        const answer = structuredClone(index.changes(epoch, since));
        state.pushedVersion ??= answer.version;
        if (state.skewNext && !answer.full) {
          state.skewNext = false;
          state.skewedAt = state.since.length - 1;
          return { ...answer, removed: [...answer.removed, launches[0]!.id] };
        }
        return answer;
      },
      'launches/get': ({ id }) => {
        state.gets.push(id);
        return structuredClone(launches.find((l) => l.id === id) ?? null);
      },
      'launches/search': ({ query }) => {
        state.searches.push(query);
        return searchLaunches(launches, query);
      },
      'rules/get': () => {
        if (state.failRule) throw new Error('the worker went away');
        return ruleState();
      },
      'rules/set': ({ enabled }) => {
        state.setCalls++;
        state.rule = enabled ?? state.rule;
        return ruleState();
      },
      'session/plan': ({ origin }) => planFor(origin),
      'tabs/relaunch': ({ launchId }) => {
        state.relaunched.push(launchId);
        return { ok: true as const, tabId: 7, sameTab: true, url: launchUrl, note: '' };
      },
      // As the recorder does it: parse with the HAR importer, analyse with the same engine, mark imported.
      'launches/import-har': ({ fileName, text }) => {
        const read = readHar(text, fileName, `import-${launches.length}`);
        const imported = analyze(read.exchanges).map((l) => ({
          ...l,
          imported: { fileName, importedAt: 1 },
        }));
        launches.push(...imported);
        const skipped = skippedNote(read);
        return skipped ? { imported: imported.length, skipped } : { imported: imported.length };
      },
    },
    { isTrusted: () => true },
  );
  /**
   * The changes a notice carries, as the worker sends them: everything after the version of the previous
   * notice, or of the first read (entrypoints/background/launches.ts).
   */
  const notice = (): PushedChanges => {
    index.update(launches.map(summaryOf));
    const from = state.pushedVersion ?? 0;
    const changes = structuredClone(index.changes('test-worker', from));
    state.pushedVersion = changes.version;
    return { ...changes, from };
  };
  return { state, notice, api: createLogApi((envelope) => dispatch(envelope, {})) };
}

function cookie(name: string, domain: string): CookieInfo {
  return {
    id: `0|${domain}|/|${name}`,
    name,
    domain,
    path: '/',
    hostOnly: !domain.startsWith('.'),
    secure: true,
    size: 40,
  };
}

function planFor(origin: string): ClearPlan {
  const host = new URL(origin).host;
  return {
    origin,
    host,
    hostCookies: [cookie('JSESSIONID', host)],
    parentDomainCookies: [cookie('lb', '.cerner.com')],
    storage: ['localStorage'],
  };
}

function recordingPlatform(grant = false) {
  const copied: string[] = [];
  const downloads: { fileName: string; text: string }[] = [];
  const requested: string[] = [];
  const subscribers = new Set<(health: RecorderHealth, changes?: PushedChanges) => void>();
  /** What the background's change notice does: tells every subscribed page. */
  const announce = (health: RecorderHealth = {}, changes?: PushedChanges) => {
    for (const s of subscribers) s(health, changes);
  };
  const platform: Platform = {
    subscribe: (onChange) => {
      subscribers.add(onChange);
      return () => subscribers.delete(onChange);
    },
    copyText: async (text) => {
      copied.push(text);
    },
    download: (fileName, _mime, text) => downloads.push({ fileName, text }),
    requestOrigins: async (origins) => {
      requested.push(...origins);
      return grant;
    },
  };
  return { copied, downloads, requested, platform, announce };
}

async function renderPage(launches = [successLaunch, forceAuthn400Launch], grant = false) {
  const background = partialBackground(launches);
  const { copied, downloads, requested, platform, announce } = recordingPlatform(grant);
  render(<LogApp api={background.api} platform={platform} variant="page" />);
  // Listed, and the newest opened: on a busy machine the first check can come before loading began.
  await waitFor(
    () => {
      if (launches.length)
        expect(within(screen.getByRole('listbox')).queryAllByRole('option').length).toBeGreaterThan(0);
      expect(screen.queryByText(/Loading (launches|the launch)…/)).toBeNull();
      // A loaded machine (CI running other suites) can take more than the default second.
    },
    { timeout: 5000 },
  );
  return { ...background, copied, downloads, requested, announce, user: userEvent.setup() };
}

const findings = () => screen.getByRole('region', { name: 'Findings' });

describe('launch log page', () => {
  it('lists launches from the background and opens the newest', async () => {
    await renderPage([
      forceAuthn400Launch,
      { ...successLaunch, startedAt: forceAuthn400Launch.startedAt - 1 },
    ]);
    expect(within(screen.getByRole('listbox')).getAllByRole('option')).toHaveLength(2);
    expect(within(screen.getByRole('listbox')).getByRole('option', { selected: true }).textContent).toContain(
      'failed at',
    );
    await waitFor(() =>
      expect(within(findings()).getByRole('heading').textContent).toContain('forceAuthn=true rejected'),
    );
  });

  it('shows a new launch when the background announces a change, and a failed write until one succeeds', async () => {
    const launches = [successLaunch];
    const { announce } = await renderPage(launches);
    expect(within(screen.getByRole('listbox')).getAllByRole('option')).toHaveLength(1);
    launches.push(forceAuthn400Launch);
    // Nothing is polled: the list stays as it is until the background says something changed.
    await new Promise((r) => setTimeout(r, 50));
    expect(within(screen.getByRole('listbox')).getAllByRole('option')).toHaveLength(1);
    announce({ writeError: { message: 'Could not save recorded launches: disk full', at: 0 } });
    await waitFor(() => expect(within(screen.getByRole('listbox')).getAllByRole('option')).toHaveLength(2));
    expect(screen.getByText(/Could not save recorded launches: disk full/).getAttribute('role')).toBe(
      'alert',
    );
    expect(screen.getByRole('alert').textContent).toMatch(/free some disk space/);
    // A session-storage (journal) failure gets advice that fits it.
    announce({
      writeError: { message: 'Could not record an event: quota', at: 0, kind: 'journal' },
    });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/Keep secrets/));
    expect(screen.getByRole('alert').textContent).not.toMatch(/disk space/);
    announce({});
    await waitFor(() => expect(screen.queryByText(/Could not (save recorded launches|record)/)).toBeNull());
  });

  it('reads nothing while hidden, and what changed meanwhile once shown again', async () => {
    const launches = [successLaunch];
    const { announce, state } = await renderPage(launches);
    const listed = () => within(screen.getByRole('listbox')).getAllByRole('option');
    let hidden = true;
    const visibility = vi.spyOn(document, 'hidden', 'get').mockImplementation(() => hidden);
    try {
      const reads = state.since.length;
      launches.push({ ...forceAuthn400Launch, startedAt: successLaunch.startedAt + 1 });
      announce({ writeError: { message: 'Could not save recorded launches: disk full', at: 0 } });
      announce();
      await new Promise((r) => setTimeout(r, 50));
      expect(state.since).toHaveLength(reads);
      expect(listed()).toHaveLength(1);
      hidden = false;
      document.dispatchEvent(new Event('visibilitychange'));
      await waitFor(() => expect(listed()).toHaveLength(2));
      expect(state.since).toHaveLength(reads + 1);
      // Shown again with nothing announced meanwhile: no read.
      hidden = true;
      document.dispatchEvent(new Event('visibilitychange'));
      hidden = false;
      document.dispatchEvent(new Event('visibilitychange'));
      await new Promise((r) => setTimeout(r, 50));
      expect(state.since).toHaveLength(reads + 1);
    } finally {
      visibility.mockRestore();
    }
  });

  it('fetches the open launch in full again only when a notice changed it', async () => {
    const launches = [forceAuthn400Launch];
    const { announce, state } = await renderPage(launches);
    expect(state.gets).toEqual([forceAuthn400Launch.id]);
    const listed = () => within(screen.getByRole('listbox')).getAllByRole('option');
    // Another launch arrives: the list grows, the open launch is not fetched again.
    launches.push({ ...successLaunch, startedAt: forceAuthn400Launch.startedAt - 1 });
    announce();
    await waitFor(() => expect(listed()).toHaveLength(2));
    await new Promise((r) => setTimeout(r, 50));
    expect(state.gets).toEqual([forceAuthn400Launch.id]);
    // The open launch gets a new step (a late FHIR call): fetched again, and the detail shows it.
    const late = structuredClone(forceAuthn400Launch.steps.at(-1)!);
    late.exchange.id = 'late-step';
    late.kind = 'fhir';
    late.label = 'Late FHIR call';
    launches[0] = { ...forceAuthn400Launch, steps: [...forceAuthn400Launch.steps, late] };
    announce();
    await waitFor(() => expect(state.gets).toEqual([forceAuthn400Launch.id, forceAuthn400Launch.id]));
    await screen.findAllByText('Late FHIR call');
  });

  it('reads only what changed after the first read, and the whole list again after a failed read', async () => {
    const launches = [forceAuthn400Launch];
    const { announce, state } = await renderPage(launches);
    const listed = () => within(screen.getByRole('listbox')).getAllByRole('option');
    launches.push({ ...successLaunch, startedAt: forceAuthn400Launch.startedAt - 1 });
    announce();
    await waitFor(() => expect(listed()).toHaveLength(2));
    expect(state.since[0]).toBeUndefined();
    expect(state.since.at(-1)).toEqual(expect.any(Number));
    state.failReads = true;
    launches.pop();
    announce();
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toContain('Could not load launches: storage gone'),
    );
    expect(listed()).toHaveLength(2);
    state.failReads = false;
    announce();
    await waitFor(() => expect(listed()).toHaveLength(1));
    expect(state.since.at(-1)).toBeUndefined();
    // The list is in step again: the notice of the failed read is gone.
    expect(screen.queryByRole('alert')?.textContent ?? '').not.toContain('Could not load launches');
  });

  it('a failed read of the strip rule is read again on the next change notice, and its notice goes', async () => {
    const background = partialBackground([forceAuthn400Launch]);
    background.state.failRule = true;
    const { platform, announce } = recordingPlatform(false);
    render(<LogApp api={background.api} platform={platform} variant="page" />);
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toContain('Could not read the strip rule'),
    );
    background.state.failRule = false;
    announce();
    await waitFor(() =>
      expect(screen.queryByRole('alert')?.textContent ?? '').not.toContain('Could not read the strip rule'),
    );
  });

  it('applies the changes a notice carries without a read, and reads when it missed a notice', async () => {
    const launches = [forceAuthn400Launch];
    const { announce, state, notice } = await renderPage(launches);
    const listed = () => within(screen.getByRole('listbox')).getAllByRole('option');
    const reads = state.since.length;
    launches.push({ ...successLaunch, startedAt: forceAuthn400Launch.startedAt - 1 });
    announce({}, notice());
    await waitFor(() => expect(listed()).toHaveLength(2));
    expect(state.since).toHaveLength(reads);
    // A notice that carried a removal the page never got: the next one starts after it.
    launches.pop();
    notice();
    announce({}, notice());
    await waitFor(() => expect(listed()).toHaveLength(1));
    expect(state.since).toHaveLength(reads + 1);
  });

  it('changes that do not fit the list are read again as the whole list, without an error', async () => {
    const launches = [forceAuthn400Launch];
    const { announce, state } = await renderPage(launches);
    const listed = () => within(screen.getByRole('listbox')).getAllByRole('option');
    await waitFor(() => expect(listed()).toHaveLength(1));
    state.skewNext = true;
    launches.push({ ...successLaunch, startedAt: forceAuthn400Launch.startedAt - 1 });
    announce();
    await waitFor(() => expect(state.since.length).toBeGreaterThan(state.skewedAt + 1));
    expect(state.skewedAt).toBeGreaterThan(0);
    // The skewed answer was to a read of changes; the read right after it asks for the whole list.
    expect(state.since[state.skewedAt]).toEqual(expect.any(Number));
    expect(state.since[state.skewedAt + 1]).toBeUndefined();
    await waitFor(() => expect(listed()).toHaveLength(2));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('searches nested decoded values through the background', async () => {
    const { user, state } = await renderPage([forceAuthn400Launch, successLaunch]);
    // Only inside the URL-encoded `to=` parameter of the failing session-api hop.
    await user.type(screen.getByRole('searchbox', { name: 'Search launches' }), '5d1c7c36-1111');
    await waitFor(() => expect(within(screen.getByRole('listbox')).getAllByRole('option')).toHaveLength(1));
    expect(state.searches.at(-1)).toBe('5d1c7c36-1111');
    expect(within(screen.getByRole('listbox')).getByRole('option').textContent).toContain('failed at');
  });

  it('strips forceAuthn and relaunches in one press, then reads as done', async () => {
    const { user, state } = await renderPage([forceAuthn400Launch]);
    await user.click(within(findings()).getByRole('button', { name: 'Strip forceAuthn and relaunch' }));
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toContain(
        '✓ Strip forceAuthn on · relaunched in its tab.',
      ),
    );
    expect(state).toMatchObject({ rule: true, setCalls: 1, relaunched: [forceAuthn400Launch.id] });
    expect(within(findings()).getByText('✓ Strip forceAuthn on')).toBeTruthy();
    expect(within(findings()).getByRole('button', { name: 'Relaunch' }).dataset.variant).toBe('primary');

    await user.click(within(findings()).getByRole('button', { name: 'Turn Strip forceAuthn off' }));
    await within(findings()).findByRole('button', { name: 'Strip forceAuthn and relaunch' });
    expect(state).toMatchObject({ rule: false, setCalls: 2, relaunched: [forceAuthn400Launch.id] });
  });

  it('follows the relaunch after a fix and says whether the fix worked', async () => {
    const launches = [forceAuthn400Launch];
    const { user, announce } = await renderPage(launches);
    await user.click(within(findings()).getByRole('button', { name: 'Strip forceAuthn and relaunch' }));
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toContain(
        '✓ Strip forceAuthn on · relaunched in its tab.',
      ),
    );
    // The relaunch comes in, under way; the log opens it in place of the launch it fixed.
    const started = Date.now();
    const underway: Launch = {
      ...successLaunch,
      id: 'relaunch',
      status: 'in-progress',
      startedAt: started,
      findings: [],
    };
    launches.unshift(underway);
    announce();
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toContain(
        'Relaunched after the fix: waiting for it to finish…',
      ),
    );
    const selected = () => within(screen.getByRole('listbox')).getByRole('option', { selected: true });
    expect(selected().textContent).not.toContain('failed at');
    // It got through.
    launches[0] = { ...successLaunch, id: 'relaunch', startedAt: started };
    announce();
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toContain('✓ The fix worked: the relaunch succeeded.'),
    );
  });

  it('leaves the user’s own pick alone when the relaunch comes in', async () => {
    const older = { ...successLaunch, id: 'older', startedAt: forceAuthn400Launch.startedAt - 60_000 };
    const launches = [forceAuthn400Launch, older];
    const { user, announce } = await renderPage(launches);
    await user.click(within(findings()).getByRole('button', { name: 'Strip forceAuthn and relaunch' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('relaunched in its tab.'));
    const options = () => within(screen.getByRole('listbox')).getAllByRole('option');
    await user.click(options()[1]!);
    await waitFor(() => expect(options()[1]!.getAttribute('aria-selected')).toBe('true'));
    launches.unshift({ ...successLaunch, id: 'relaunch', startedAt: Date.now() });
    announce();
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('The fix worked'));
    expect(options()).toHaveLength(3);
    expect(options()[2]!.getAttribute('aria-selected')).toBe('true');
  });

  it('puts a finding’s fixes right under its summary, before the evidence (in view in a short panel)', async () => {
    await renderPage([forceAuthn400Launch]);
    const fix = await within(findings()).findByRole('button', { name: 'Strip forceAuthn and relaunch' });
    const evidence = within(findings()).getAllByRole('list', { name: 'Evidence' })[0]!;
    expect(fix.compareDocumentPosition(evidence) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('reads the strip rule again when the user comes back from turning it on elsewhere', async () => {
    const { state } = await renderPage([forceAuthn400Launch]);
    await within(findings()).findByRole('button', { name: 'Strip forceAuthn and relaunch' });
    // The popup's fix turned it on meanwhile.
    state.rule = true;
    window.dispatchEvent(new FocusEvent('focus'));
    await within(findings()).findByRole('button', { name: 'Turn Strip forceAuthn off' });
    expect(within(findings()).getByText('✓ Strip forceAuthn on')).toBeTruthy();
    expect(state.setCalls).toBe(0);
  });

  it('shows the clear-session plan, and a clear error when clearing is not available', async () => {
    const { user } = await renderPage([forceAuthn400Launch]);
    await user.click(
      within(findings()).getByRole('button', { name: 'Clear authorization.cerner.com session and relaunch' }),
    );
    const dialog = await screen.findByRole('alertdialog', {
      name: 'Clear the session of authorization.cerner.com?',
    });
    const own = within(dialog).getByRole('table', { name: /Cookies of authorization\.cerner\.com/ });
    expect(within(own).getByRole('rowheader').textContent).toBe('JSESSIONID');
    const lb = within(dialog).getByRole('checkbox', {
      name: 'Also remove lb (.cerner.com)',
    }) as HTMLInputElement;
    await user.click(lb);
    expect(lb.checked).toBe(true);
    await user.click(within(dialog).getByRole('button', { name: /^Remove from / }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain(
      'Unknown message: session/clear',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('clears the session after the user confirms, then relaunches the launch', async () => {
    const background = partialBackground([forceAuthn400Launch]);
    const cleared: string[][] = [];
    // A background that can clear: the report says what went, nothing failed.
    const api = {
      ...background.api,
      clearSession: async (origin: string, parents: string[]) => {
        cleared.push(parents);
        const plan = planFor(origin);
        return {
          origin,
          removed: plan.hostCookies,
          failed: [],
          kept: plan.parentDomainCookies,
          storage: { cleared: plan.storage },
        };
      },
    };
    render(<LogApp api={api} platform={recordingPlatform().platform} variant="page" />);
    const user = userEvent.setup();
    const name = 'Clear authorization.cerner.com session and relaunch';
    await user.click(
      await within(await screen.findByRole('region', { name: 'Findings' })).findByRole('button', { name }),
    );
    const dialog = await screen.findByRole('alertdialog');
    expect(background.state.relaunched).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: /^Remove from / }));
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toContain(
        '✓ Session cleared (1 cookie) · relaunched in its tab.',
      ),
    );
    expect(cleared).toEqual([[]]);
    expect(background.state.relaunched).toEqual([forceAuthn400Launch.id]);
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('copies the relaunch URL', async () => {
    const { user, copied } = await renderPage([forceAuthn400Launch]);
    await user.click(within(findings()).getByRole('button', { name: 'Copy relaunch URL' }));
    await waitFor(() => expect(copied).toEqual([launchUrl]));
  });

  it.each([
    [true, (origin: string) => `✓ Watching ${origin}: launch again to see its token request.`],
    [false, (origin: string) => `Access to ${origin} was not granted.`],
  ])('asks to watch the app origin when its requests are invisible (granted: %s)', async (grant, message) => {
    // The app's token request was never seen: only the callback navigation was recorded.
    const [launch] = analyze(loadExchanges('token-invisible'), {
      watchedOrigins: ['https://*.cerner.com/*'],
    });
    const watch = launch!.findings.flatMap((f) => f.fixes).find((f) => f.kind === 'watch-origin');
    expect(watch).toBeDefined();
    const origin = (watch as { origin: string }).origin;
    const { user, requested } = await renderPage([launch!], grant);
    const host = origin.replace(/^https?:\/\//, '');
    await user.click(within(findings()).getByRole('button', { name: `Watch ${host}` }));
    await waitFor(() => expect(requested).toEqual([origin]));
    // Granted is news (status); refused is a problem to act on (alert).
    expect((await screen.findByRole(grant ? 'status' : 'alert')).textContent).toContain(message(origin));
  });

  it('says when an import replaced the earlier import of the same file', async () => {
    const background = partialBackground([successLaunch]);
    const api = { ...background.api, importHar: async () => ({ imported: 1, replaced: true }) };
    render(<LogApp api={api} platform={recordingPlatform().platform} variant="page" />);
    await userEvent.upload(await screen.findByLabelText('Import HAR'), new File(['{}'], 'fail.har'));
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toContain(
        'Imported 1 launch from fail.har, in place of its earlier import.',
      ),
    );
  });

  it('reports a failed HAR import and leaves the log as it was', async () => {
    const { user } = await renderPage();
    await userEvent.upload(screen.getByLabelText('Import HAR'), new File(['not json'], 'broken.har'));
    const alert = await screen.findByText(/Could not import broken\.har/);
    expect(alert.textContent).toContain('The log is unchanged');
    expect(within(screen.getByRole('listbox')).getAllByRole('option')).toHaveLength(2);
    await user.click(screen.getByRole('button', { name: 'Dismiss message' }));
    expect(screen.queryByText(/Could not import/)).toBeNull();
  });

  it('says so when the background does not answer, without crashing', async () => {
    const { platform } = recordingPlatform();
    render(<LogApp api={createLogApi(async () => undefined)} platform={platform} variant="panel" />);
    expect((await screen.findByRole('alert')).textContent).toMatch(/did not respond/);
    expect(screen.getByText('No launches recorded yet.')).toBeTruthy();
    expect(screen.queryByText('Recorder settings')).toBeNull();
  });

  it('says which malformed entries of an imported HAR it skipped', async () => {
    renderPage([]);
    const har = JSON.parse(
      readFileSync(join(process.cwd(), 'tests/fixtures/har/chrome-forceauthn-400.har'), 'utf8'),
    );
    har.log.entries.push({ startedDateTime: '2026-12-04T09:00:00.000Z', request: { method: 'GET' } });
    await userEvent.upload(
      screen.getByLabelText('Import HAR'),
      new File([JSON.stringify(har)], 'partly-broken.har'),
    );
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toMatch(
        /^Imported 1 launch from partly-broken\.har\. 1 malformed entry skipped \(log\.entries\.\d+\.request\.url: /,
      ),
    );
  });

  it('imports a DevTools HAR of the failing launch with the same findings as the live capture', async () => {
    const { user } = await renderPage([]);
    const text = readFileSync(join(process.cwd(), 'tests/fixtures/har/chrome-forceauthn-400.har'), 'utf8');
    await userEvent.upload(
      screen.getByLabelText('Import HAR'),
      new File([text], 'chrome-forceauthn-400.har'),
    );
    // The notice slot is always there (empty until a notice): wait for the import's words in it.
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toMatch(
        /Imported 1 launch from chrome-forceauthn-400\.har/,
      ),
    );
    const option = await within(await screen.findByRole('listbox')).findByRole('option');
    expect(option.textContent).toContain('imported');
    await user.click(option);
    const live = analyze(loadExchanges('forceauthn-400'))[0]!;
    const shown = within(findings())
      .getAllByRole('heading')
      .map((h) => ({
        severity: h.querySelector('[role="img"]')?.getAttribute('aria-label'),
        title: h.textContent,
      }));
    // Every finding of the live capture is there, and the errors (the diagnosis) are exactly the same.
    for (const f of live.findings) expect(shown.some((s) => s.title?.endsWith(f.title))).toBe(true);
    const shownErrors = shown
      .filter((f) => f.severity === 'error')
      .map((f) => f.title?.replace(/^\S+\s/, ''));
    expect(shownErrors).toEqual(live.findings.filter((f) => f.severity === 'error').map((f) => f.title));
  });

  it('exports the selected launch as HAR 1.2 and JSON, and copies a support snippet', async () => {
    const [live] = analyze(loadExchanges('forceauthn-400'));
    const { user, downloads, copied } = await renderPage([live!]);
    await user.click(screen.getByRole('button', { name: 'Export HAR' }));
    await user.click(screen.getByRole('button', { name: 'Export JSON' }));
    expect(downloads.map((d) => d.fileName)).toEqual([
      expect.stringMatching(/^smart-launch-.*-failed\.har$/),
      expect.stringMatching(/^smart-launch-.*-failed\.json$/),
    ]);
    const har = JSON.parse(downloads[0]!.text);
    expect(har.log.version).toBe('1.2');
    expect(har.log.entries.map((e: { request: { method: string } }) => e.request.method)).toEqual(
      live!.steps.map((st) => st.exchange.method),
    );
    expect(JSON.parse(downloads[1]!.text).launch.id).toBe(live!.id);
    await user.click(screen.getByRole('button', { name: 'Copy support snippet' }));
    await waitFor(() => expect(copied).toHaveLength(1));
    expect(copied[0]).toContain(live!.findings[0]!.title);
  });
});

// @vitest-environment jsdom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LogApp } from '../../entrypoints/log/App';
import { createLogApi } from '../../entrypoints/log/api';
import type { Platform } from '../../entrypoints/log/platform';
import { DEFAULT_STRIP_SETTINGS } from '../../utils/dnr/types';
import { protocol } from '../../utils/messages';
import { createDispatcher } from '../../utils/messages/dispatch';
import type { ClearPlan, CookieInfo } from '../../utils/messages/session';
import type { Launch } from '../../utils/model';
import { forceAuthn400Launch, launchUrl } from '../fixtures/launches/forceauthn-400';
import { successLaunch } from '../fixtures/launches/success';
import { installLayout } from './ui-support';

beforeAll(() => installLayout());
afterEach(cleanup);

/**
 * A background that implements only part of the protocol, through the real dispatcher: the page must
 * work with what exists and report the rest plainly.
 */
function partialBackground(launches: Launch[]) {
  const state = { rule: false, setCalls: 0 };
  const ruleState = () => ({ ...DEFAULT_STRIP_SETTINGS, enabled: state.rule });
  const subset = {
    'launches/list': protocol['launches/list'],
    'rules/get': protocol['rules/get'],
    'rules/set': protocol['rules/set'],
    'session/plan': protocol['session/plan'],
  };
  const dispatch = createDispatcher(
    subset,
    {
      'launches/list': () => launches,
      'rules/get': ruleState,
      'rules/set': ({ enabled }) => {
        state.setCalls++;
        state.rule = enabled ?? state.rule;
        return ruleState();
      },
      'session/plan': ({ origin }) => planFor(origin),
    },
    { isTrusted: () => true },
  );
  return { state, api: createLogApi((envelope) => dispatch(envelope, {})) };
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

function recordingPlatform() {
  const copied: string[] = [];
  const platform: Platform = {
    copyText: async (text) => {
      copied.push(text);
    },
    download: () => {},
    requestOrigin: async () => false,
  };
  return { copied, platform };
}

async function renderPage(launches = [successLaunch, forceAuthn400Launch]) {
  const background = partialBackground(launches);
  const { copied, platform } = recordingPlatform();
  render(<LogApp api={background.api} platform={platform} variant="page" />);
  await screen.findByRole('listbox');
  return { ...background, copied, user: userEvent.setup() };
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
    expect(within(findings()).getByRole('heading').textContent).toContain('forceAuthn=true rejected');
  });

  it('turns the strip rule on from the finding and shows the state read back', async () => {
    const { user, state } = await renderPage([forceAuthn400Launch]);
    await user.click(within(findings()).getByRole('button', { name: /turn strip rule on/ }));
    await screen.findByRole('button', { name: 'Strip rule is on: turn it off' });
    expect(state).toEqual({ rule: true, setCalls: 1 });
    expect(screen.getByRole('status').textContent).toContain('Strip rule on');
  });

  it('shows the clear-session plan, and a clear error when clearing is not available', async () => {
    const { user } = await renderPage([forceAuthn400Launch]);
    await user.click(
      within(findings()).getByRole('button', { name: 'Clear authorization.cerner.com session' }),
    );
    const dialog = screen.getByRole('alertdialog');
    await within(dialog).findByText(/JSESSIONID \(authorization\.cerner\.com\//);
    expect(within(dialog).getByRole('checkbox', { name: /lb \(\.cerner\.com/ })).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Clear session' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain(
      'Unknown message: session/clear',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('copies the relaunch URL', async () => {
    const { user, copied } = await renderPage([forceAuthn400Launch]);
    await user.click(within(findings()).getByRole('button', { name: 'Copy relaunch URL' }));
    await waitFor(() => expect(copied).toEqual([launchUrl]));
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
});

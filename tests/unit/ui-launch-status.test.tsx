// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LaunchDetail } from '../../components/launch/LaunchDetail';
import { LaunchList } from '../../components/launch/LaunchList';
import { summarizeLastLaunch } from '../../components/popup/lastLaunch';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange, Launch, LaunchStatus } from '../../utils/model';
import { cancelledSignIn, stalledAtLogin } from '../fixtures/exchanges/outcomes';
import { loadExchanges } from '../fixtures/load';
import { installLayout } from './ui-support';

// jsdom + user-event runs slowly when the two cores are busy with other suites; time is not what is tested.
vi.setConfig({ testTimeout: 20_000 });

beforeAll(() => installLayout());
afterEach(cleanup);

const lastAt = (ex: Exchange[]) => Math.max(...ex.map((e) => e.completedAt ?? e.startedAt));

/** One launch of each status, analyzed by the real engine; ids made unique, starts one minute apart. */
function oneOfEach(): Record<LaunchStatus, Launch> {
  const stalled = stalledAtLogin();
  const pick = (status: LaunchStatus, ex: Exchange[], opts = {}, i = 0): Launch => {
    const l = analyze(ex, opts)[0]!;
    expect(l.status).toBe(status);
    return { ...l, id: `l-${status}`, clientId: `client-${status}`, startedAt: l.startedAt + i * 60_000 };
  };
  return {
    failed: pick('failed', loadExchanges('forceauthn-400'), {}, 1),
    succeeded: pick('succeeded', loadExchanges('success-oracle'), {}, 2),
    authorized: pick('authorized', loadExchanges('token-invisible'), {}, 3),
    cancelled: pick('cancelled', cancelledSignIn(), {}, 4),
    abandoned: pick('abandoned', stalled, { now: lastAt(stalled) + 10 * 60_000 }, 5),
    'in-progress': pick('in-progress', stalled, { now: lastAt(stalled) + 1000 }, 6),
  };
}

const rows = () => within(screen.getByRole('listbox')).getAllByRole('option');

describe('launch status in the views', () => {
  it('the list shows every status with its own icon, colour hook and note; the filter offers each', async () => {
    const all = oneOfEach();
    render(<LaunchList launches={Object.values(all)} onSelect={vi.fn()} />);
    const shown = rows().map((r) => [
      r.getAttribute('data-status'),
      within(r).getByRole('img').getAttribute('aria-label'),
    ]);
    expect(shown).toEqual([
      ['in-progress', 'In progress'],
      ['abandoned', 'Abandoned'],
      ['cancelled', 'Cancelled'],
      ['authorized', 'Authorized'],
      ['succeeded', 'Succeeded'],
      ['failed', 'Failed'],
    ]);
    const text = (status: string) =>
      rows().find((r) => r.getAttribute('data-status') === status)!.textContent;
    expect(text('authorized')).toContain('authorized, token exchange not visible');
    expect(text('cancelled')).toContain('cancelled by the user');
    expect(text('cancelled')).not.toContain('failed at');
    expect(text('abandoned')).toContain('abandoned');
    expect(text('failed')).toContain('failed at session-api');

    const select = screen.getByLabelText('Filter by status') as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual([
      'all',
      'failed',
      'cancelled',
      'abandoned',
      'authorized',
      'in-progress',
      'succeeded',
    ]);
    const user = userEvent.setup();
    for (const status of Object.keys(all)) {
      await user.selectOptions(select, status);
      expect(rows().map((r) => r.getAttribute('data-status'))).toEqual([status]);
    }
  });

  it.each(['failed', 'authorized', 'cancelled', 'abandoned'] as const)(
    'the %s detail header states the status and its whole reason on one line',
    (status) => {
      const launch = oneOfEach()[status];
      render(<LaunchDetail launch={launch} onFix={vi.fn()} onExport={vi.fn()} onCopySnippet={vi.fn()} />);
      const header = screen.getByRole('banner');
      const reason = header.querySelector('.sld-status-reason')!;
      expect(reason.textContent).toBe(launch.statusReason);
      expect(reason.getAttribute('data-status')).toBe(status);
      expect(launch.statusReason!.length).toBeGreaterThan(20);
      expect(launch.statusReason).not.toMatch(/\n|…$/);
    },
  );

  it('a succeeded launch has no reason line', () => {
    render(
      <LaunchDetail
        launch={oneOfEach().succeeded}
        onFix={vi.fn()}
        onExport={vi.fn()}
        onCopySnippet={vi.fn()}
      />,
    );
    expect(screen.getByRole('banner').querySelector('.sld-status-reason')).toBeNull();
  });
});

describe('popup summary of the last launch', () => {
  it.each([
    ['failed', /^Last launch of client-failed failed at session-api .* \(400\) /],
    ['succeeded', /^Last launch of client-succeeded succeeded /],
    ['authorized', /^Last launch of client-authorized was authorized \(token exchange not visible\) /],
    ['cancelled', /^Last launch of client-cancelled was cancelled /],
    ['abandoned', /^Last launch of client-abandoned was abandoned /],
    ['in-progress', /^Launch of client-in-progress in progress \(started /],
  ] as const)('%s', (status, text) => {
    const launch = oneOfEach()[status];
    const s = summarizeLastLaunch([launch], launch.startedAt + 3 * 60_000);
    expect(s.status).toBe(status);
    expect(s.text).toMatch(text);
    expect(s.reason).toBe(launch.statusReason);
  });
});

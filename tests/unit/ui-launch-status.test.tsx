// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { STATUS_TEXT } from '../../components/launch/format';
import { LaunchDetail } from '../../components/launch/LaunchDetail';
import { LaunchList } from '../../components/launch/LaunchList';
import { LaunchCard } from '../../components/popup/LaunchCard';
import { causeLine, primaryAction } from '../../components/popup/leadLaunch';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange, Launch, LaunchStatus } from '../../utils/model';
import { cancelledSignIn, stalledAtLogin } from '../fixtures/exchanges/outcomes';
import { loadExchanges } from '../fixtures/load';
import { fromBackground } from './ui-launch-list-background';
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
    render(<LaunchList {...fromBackground(Object.values(all))} onSelect={vi.fn()} />);
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
    'the %s detail states the status and its whole reason on one line, once',
    (status) => {
      const launch = oneOfEach()[status];
      render(<LaunchDetail launch={launch} onFix={vi.fn()} onExport={vi.fn()} onCopySnippet={vi.fn()} />);
      const header = screen.getByRole('banner');
      const reason = header.querySelector('.sld-status-reason');
      const repeated = launch.findings.find((f) => launch.statusReason === `${f.title}: ${f.summary}`);
      if (repeated) {
        // Said once, by the finding right under the header.
        expect(reason).toBeNull();
        expect(screen.getByRole('region', { name: 'Findings' }).textContent).toContain(repeated.summary);
      } else {
        expect(reason!.textContent).toBe(launch.statusReason);
        expect(reason!.getAttribute('data-status')).toBe(status);
      }
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

describe('popup card of the leading launch', () => {
  const tone = {
    failed: 'bad',
    succeeded: 'ok',
    authorized: 'ok',
    cancelled: 'warn',
    abandoned: 'warn',
    'in-progress': 'muted',
  };
  it.each(['failed', 'succeeded', 'authorized', 'cancelled', 'abandoned', 'in-progress'] as const)(
    '%s',
    (status) => {
      const launch = oneOfEach()[status];
      render(
        <LaunchCard
          launch={launch}
          inThisTab={false}
          action={primaryAction(launch, false)}
          busy={false}
          onAction={vi.fn()}
          onOpenLog={vi.fn()}
          now={launch.startedAt + 3 * 60_000}
        />,
      );
      // Its words name the status; the glyph beside them is decoration, not a second name.
      const card = screen.getByRole('region', { name: `Last launch ${STATUS_TEXT[status].toLowerCase()}` });
      expect(card.getAttribute('data-tone')).toBe(tone[status]);
      expect(within(card).queryByRole('img')).toBeNull();
      expect(card.querySelector('.sld-status-icon')?.getAttribute('data-status')).toBe(status);
      expect(card.textContent).toContain('3 min ago');
      const cause = causeLine(launch);
      if (cause) expect(within(card).getByText(cause).className).toBe('sldp-card-cause');
    },
  );
});

// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LaunchDetail } from '../../components/launch/LaunchDetail';
import { LaunchList } from '../../components/launch/LaunchList';
import { analyze } from '../../utils/launch/analyze';
import type { Launch } from '../../utils/model';
import { fixtureNames, loadExchanges } from '../fixtures/load';
import { fromBackground } from './ui-launch-list-background';
import { installLayout } from './ui-support';

// jsdom + user-event runs slowly when the two cores are busy with other suites; time is not what is tested.
vi.setConfig({ testTimeout: 20_000 });

/** The views fed by the real analysis engine over the recorded exchange fixtures. */

beforeAll(() => installLayout());
afterEach(cleanup);

function analyzed(name: string): Launch[] {
  return analyze(loadExchanges(name));
}

function renderDetail(launch: Launch) {
  const onFix = vi.fn();
  render(<LaunchDetail launch={launch} onFix={onFix} onExport={vi.fn()} onCopySnippet={vi.fn()} />);
  return { onFix, user: userEvent.setup() };
}

describe('views over analysed fixtures', () => {
  it.each(fixtureNames())('%s: list and detail render every launch with its findings', (name) => {
    const launches = analyzed(name);
    expect(launches.length).toBeGreaterThan(0);
    render(<LaunchList {...fromBackground(launches)} onSelect={vi.fn()} />);
    expect(within(screen.getByRole('listbox')).getAllByRole('option')).toHaveLength(launches.length);
    cleanup();
    for (const launch of launches) {
      renderDetail(launch);
      const titles = screen.queryAllByRole('heading', { level: 3 }).map((h) => h.textContent ?? '');
      for (const finding of launch.findings) expect(titles.some((t) => t.includes(finding.title))).toBe(true);
      cleanup();
    }
  });

  it('the reported 400: finding first, evidence opens the session-api step, fixes offered', async () => {
    const [launch] = analyzed('forceauthn-400');
    const { user, onFix } = renderDetail(launch!);
    const finding = launch!.findings.find((f) => f.ruleId === 'force-authn-session')!;
    const region = screen.getByRole('region', { name: 'Findings' });
    expect(within(region).getAllByRole('heading')[0]!.textContent).toContain(finding.title);

    const evidence = finding.evidence.find((e) => e.exchangeId)!;
    await user.click(
      within(region).getAllByRole('button', {
        name: `${evidence.label}: ${evidence.value} — show in timeline`,
      })[0]!,
    );
    const focused = document.activeElement as HTMLElement;
    expect(focused.textContent).toContain('400');
    expect(focused.textContent).toContain('/session-api/realm/');
    expect(focused.getAttribute('aria-expanded')).toBe('true');

    await user.click(within(region).getByRole('button', { name: 'Strip forceAuthn and relaunch' }));
    expect(onFix.mock.calls[0]![0].kind).toBe('enable-strip-rule');
  });

  it('the successful Oracle launch: granted scopes and token context come from the token response', async () => {
    const [launch] = analyzed('success-oracle');
    const { user } = renderDetail(launch!);
    await user.click(screen.getByRole('tab', { name: 'Scopes' }));
    const granted = screen
      .getAllByRole('row')
      .slice(1)
      .map((row) => within(row).getAllByRole('cell')[2]!.textContent);
    expect(granted).toContain('yes');
    expect(granted).not.toContain('unknown');
    await user.click(screen.getByRole('tab', { name: 'Tokens' }));
    expect(screen.queryByText(/No token response captured/)).toBeNull();
    expect(screen.getByText('patient')).toBeTruthy();
  });
});

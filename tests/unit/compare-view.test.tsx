// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ComparePanel } from '../../components/compare/ComparePanel';
import type { Launch } from '../../utils/model';
import { buildLaunch, reportedAppSpec } from '../fixtures/compare/build';
import { fromBackground } from './ui-launch-list-background';

// jsdom + user-event runs slowly when the two cores are busy with other suites; time is not what is tested.
vi.setConfig({ testTimeout: 20_000 });
afterEach(cleanup);

const at = (minute: number) => Date.UTC(2025, 4, 12, 14, minute);
const failing = buildLaunch(reportedAppSpec, at(30));
const companion = buildLaunch({}, at(20));
const otherApp = buildLaunch({ clientId: 'app-one' }, at(10));

function renderPanel(launch: Launch, launches: Launch[]) {
  const onFix = vi.fn();
  const onCopyMarkdown = vi.fn();
  const { launches: summaries, loadLaunch } = fromBackground(launches);
  render(
    <ComparePanel
      launch={launch}
      launches={summaries}
      loadLaunch={loadLaunch}
      onFix={onFix}
      onCopyMarkdown={onCopyMarkdown}
    />,
  );
  return { onFix, onCopyMarkdown, user: userEvent.setup() };
}

describe('ComparePanel', () => {
  it('offers the last companion launch in one click on a failing launch, differences first', async () => {
    const { user, onFix } = renderPanel(failing, [failing, companion, otherApp]);
    await user.click(screen.getByRole('button', { name: 'Compare with the last companion launch' }));
    const view = await screen.findByRole('region', { name: /^Comparison: Your app/ });
    const diffs = within(view).getByRole('region', { name: 'Differences, most likely cause first' });
    const steps = within(view).getByRole('table', { name: 'Steps by kind' });
    expect(diffs.compareDocumentPosition(steps) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    const [first] = within(diffs).getAllByRole('listitem');
    expect(first?.textContent).toContain('forceAuthn=true and 3 cookies');
    expect(first?.textContent).toContain("the companion's hop had none");
    const scopes = within(diffs)
      .getByText(/scopes the companion does not/)
      .closest('li')!;
    expect([...scopes.querySelectorAll('code')].map((c) => c.textContent)).toEqual(['.read', '.rs']);

    await user.click(within(first!).getByRole('button', { name: 'Strip forceAuthn and relaunch' }));
    expect(onFix).toHaveBeenCalledTimes(1);
    const [fix, finding, launch] = onFix.mock.calls[0]!;
    expect(fix.kind).toBe('enable-strip-rule');
    expect(finding.ruleId).toBe('force-authn-session');
    expect(launch).toBe(failing);
  });

  it('shows the steps side by side and marks where each launch stopped', async () => {
    const { user } = renderPanel(failing, [failing, companion]);
    await user.click(screen.getByRole('button', { name: 'Compare with the last companion launch' }));
    const steps = screen.getByRole('table', { name: 'Steps by kind' });
    const header = within(steps)
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(header).toEqual(['Step', 'Your app', 'The companion']);
    const session = within(steps).getByRole('row', { name: /^session-api/ });
    expect(
      within(session)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['400 ✗ failed here', '303']);
    const token = within(steps).getByRole('row', { name: /^token/ });
    expect(
      within(token)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['not seen', '200']);
    const hop = screen.getByRole('table', { name: 'Session-api hop' });
    expect(within(hop).getByRole('row', { name: /cookies sent.*differs/ })).toBeTruthy();
  });

  it('picks any launch from the list with the keyboard, copies the Markdown and closes', async () => {
    const { user, onCopyMarkdown } = renderPanel(companion, [failing, companion, otherApp]);
    expect(screen.queryByRole('button', { name: 'Compare with the last companion launch' })).toBeNull();
    const open = screen.getByRole('button', { name: 'Compare with…' });
    open.focus();
    await user.keyboard('{Enter}');
    expect(open.getAttribute('aria-expanded')).toBe('true');
    const select = screen.getByRole('combobox', { name: 'Launch to compare with' });
    expect(document.activeElement).toBe(select);
    const options = within(select)
      .getAllByRole('option')
      .map((o) => o.textContent);
    expect(options).toHaveLength(2);
    expect(options[0]).toMatch(/^Failed · 3f2a8c4e-.* · /);
    expect(options[1]).toMatch(/^Succeeded · app-one · /);
    await user.selectOptions(select, otherApp.id);
    select.focus();
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Compare' }));
    await user.keyboard('{Enter}');
    const view = await screen.findByRole('region', { name: /^Comparison: The companion .* and Your app/ });
    expect(document.activeElement).toBe(within(view).getByRole('heading', { level: 3 }));
    expect(within(view).getByText(/Different client ids/)).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Copy comparison as Markdown' }));
    const markdown = onCopyMarkdown.mock.calls[0]?.[0] as string;
    expect(markdown).toMatch(/^### SMART launch comparison/);
    expect(markdown).toContain('`app-one`');

    await user.click(screen.getByRole('button', { name: 'Close comparison' }));
    expect(screen.queryByRole('region', { name: /^Comparison/ })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Compare with…' }));
  });

  it('Escape closes the picker as Cancel does, focus back on "Compare with…"', async () => {
    const { user } = renderPanel(failing, [failing, companion, otherApp]);
    await user.click(screen.getByRole('button', { name: 'Compare with…' }));
    expect(document.activeElement).toBe(screen.getByRole('combobox', { name: 'Launch to compare with' }));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('combobox')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Compare with…' }));
  });

  it('says there is no difference between two launches that match', async () => {
    const again = buildLaunch({}, at(40));
    const { user } = renderPanel(companion, [companion, again]);
    await user.click(screen.getByRole('button', { name: 'Compare with…' }));
    await user.click(screen.getByRole('button', { name: 'Compare' }));
    expect(await screen.findByText('No differences: the two launches match.')).toBeTruthy();
  });

  it('names every control', async () => {
    const { user } = renderPanel(failing, [failing, companion, otherApp]);
    await user.click(screen.getByRole('button', { name: 'Compare with…' }));
    for (const control of [...screen.getAllByRole('button'), ...screen.getAllByRole('combobox')])
      expect(control.getAttribute('aria-label') ?? control.textContent?.trim() ?? '').not.toBe('');
    const select = screen.getByRole('combobox', { name: 'Launch to compare with' });
    expect(
      within(select).getByRole('option', { name: /smart-debugger-companion \(companion\)/ }),
    ).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Compare' }));
    await screen.findByRole('region', { name: /^Comparison/ });
    for (const table of screen.getAllByRole('table'))
      expect(table.querySelector('caption')?.textContent).toBeTruthy();
  });

  it('keeps the picker usable while the list refreshes under it', async () => {
    const onCopyMarkdown = vi.fn();
    const { loadLaunch } = fromBackground([failing, otherApp, companion]);
    const props = { launch: failing, onFix: vi.fn(), onCopyMarkdown, loadLaunch };
    const { rerender } = render(
      <ComparePanel {...props} launches={fromBackground([failing, otherApp]).launches} />,
    );
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Compare with…' }));
    // The picked launch drops out of the list (retention) and a new one arrives.
    rerender(<ComparePanel {...props} launches={fromBackground([companion, failing]).launches} />);
    const select = screen.getByRole('combobox', { name: 'Launch to compare with' }) as HTMLSelectElement;
    expect(select.value).toBe(companion.id);
    await user.click(screen.getByRole('button', { name: 'Compare' }));
    expect(await screen.findByRole('region', { name: /^Comparison: Your app/ })).toBeTruthy();
  });

  it('has nothing to compare with when the list holds only this launch', () => {
    renderPanel(failing, [failing]);
    expect((screen.getByRole('button', { name: 'Compare with…' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('compare.css', () => {
  it('takes every colour from the theme variables, so both themes apply', () => {
    const css = readFileSync(resolve(import.meta.dirname, '../../components/compare/compare.css'), 'utf8');
    const colours = [
      ...css.matchAll(/(?:^|[\s:])(#[0-9a-f]{3,8}\b|rgba?\(|hsla?\(|(?<![\w-])(?:white|black)(?![\w-]))/gim),
    ];
    expect(colours.map((m) => m[1])).toEqual([]);
    expect(css).toContain('var(--sld-bad)');
  });
});

// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LaunchDetail } from '../../components/launch/LaunchDetail';
import type { Launch } from '../../utils/model';
import { forceAuthn400Launch } from '../fixtures/launches/forceauthn-400';
import { ID_TOKEN_EXP, successLaunch } from '../fixtures/launches/success';

// jsdom + user-event runs slowly when the two cores are busy with other suites; time is not what is tested.
vi.setConfig({ testTimeout: 20_000 });

afterEach(cleanup);

function renderDetail(launch: Launch, extra: { ruleEnabled?: boolean; now?: number } = {}) {
  const handlers = { onFix: vi.fn(), onExport: vi.fn(), onCopySnippet: vi.fn() };
  render(
    <LaunchDetail
      launch={launch}
      now={extra.now ?? Date.UTC(2026, 10, 28, 14, 6)}
      ruleEnabled={extra.ruleEnabled}
      {...handlers}
    />,
  );
  return { ...handlers, user: userEvent.setup() };
}

const timelineRow = (text: string) =>
  within(screen.getByRole('list', { name: 'Timeline' }))
    .getAllByRole('button', { expanded: undefined })
    .find((b) => b.classList.contains('sld-step-row') && b.textContent?.includes(text));

describe('LaunchDetail with the reported forceAuthn 400 launch', () => {
  it('puts the finding first, with its evidence and fix buttons', () => {
    renderDetail(forceAuthn400Launch);
    const findings = screen.getByRole('region', { name: 'Findings' });
    const tabs = screen.getByRole('tablist');
    expect(findings.compareDocumentPosition(tabs) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(within(findings).getByRole('heading').textContent).toContain('forceAuthn=true rejected');
    expect(within(findings).getByText('3 cookies, 412 bytes')).toBeTruthy();
    expect(
      within(findings)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual([
      // The fixes under the summary, then the evidence.
      'Strip forceAuthn and relaunch',
      'Clear authorization.cerner.com session and relaunch',
      'Copy relaunch URL',
      'Failing request: GET /session-api/realm/… → 400',
    ]);
  });

  it('shows the timeline with method, host, path, status and offset; the failing step open', () => {
    renderDetail(forceAuthn400Launch);
    const failing = timelineRow('session-api')!;
    expect(failing.textContent).toContain('GET');
    expect(failing.textContent).toContain('authorization.cerner.com');
    expect(failing.textContent).toContain(`/session-api/realm/${forceAuthn400Launch.tenant}`);
    expect(failing.textContent).toContain('400');
    expect(failing.textContent).toContain('+0.30 s');
    expect(failing.getAttribute('aria-expanded')).toBe('true');
    expect(timelineRow('smart-configuration')!.getAttribute('aria-expanded')).toBe('false');
  });

  it('a request still without its answer: … while the launch may move, then "no answer recorded"', async () => {
    const pending = (status: Launch['status']): Launch => ({
      ...forceAuthn400Launch,
      status,
      steps: forceAuthn400Launch.steps.map((s) =>
        s.kind === 'discovery'
          ? { ...s, exchange: { ...s.exchange, phase: 'pending', status: undefined } }
          : s,
      ),
    });
    renderDetail(pending('in-progress'));
    const status = () => timelineRow('smart-configuration')!.querySelector('.sld-step-status')!;
    expect(status().textContent).toBe('…');
    cleanup();
    const { user } = renderDetail(pending('failed'));
    expect(status().textContent).toBe('–');
    expect(status().getAttribute('title')).toBe('No answer was recorded');
    await user.click(timelineRow('smart-configuration')!);
    expect(screen.getByText(/^No answer was recorded for this request/)).toBeTruthy();
  });

  it('decodes the nested to= URL as an expandable tree holding the authorize parameters', async () => {
    const { user } = renderDetail(forceAuthn400Launch);
    const toggle = screen.getByRole('button', {
      name: /^[▾▸] \d+ parameters of https:\/\/authorization\.cerner\.com\/tenants/,
    });
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const nested = screen.getByRole('group', { name: /Parameters of .*authorize/ });
    const cells = within(nested)
      .getAllByRole('rowheader')
      .map((c) => c.textContent);
    expect(cells).toEqual(expect.arrayContaining(['client_id', 'scope', 'initialRequestId', 'isForceAuthn']));
    expect(
      within(nested).getByText('launch openid fhirUser patient/Patient.read patient/Observation.rs'),
    ).toBeTruthy();
    await user.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('group', { name: /Parameters of .*authorize/ })).toBeNull();
  });

  it('evidence link focuses the step in the timeline, from another tab too', async () => {
    const { user } = renderDetail(forceAuthn400Launch);
    await user.click(screen.getByRole('tab', { name: 'Scopes' }));
    expect(screen.queryByRole('list', { name: 'Timeline' })).toBeNull();
    await user.click(
      screen.getByRole('button', { name: /GET \/session-api\/realm\/… → 400 — show in timeline/ }),
    );
    const row = timelineRow('session-api')!;
    expect(document.activeElement).toBe(row);
    expect(row.closest('li')!.hasAttribute('data-focused')).toBe(true);
    expect(screen.getByRole('tab', { name: /Timeline/ }).getAttribute('aria-selected')).toBe('true');
  });

  it.each([
    ['Strip forceAuthn and relaunch', 'enable-strip-rule'],
    ['Clear authorization.cerner.com session and relaunch', 'clear-session'],
    ['Copy relaunch URL', 'relaunch'],
  ])('the fix button "%s" reports a %s fix', async (name, kind) => {
    const { user, onFix } = renderDetail(forceAuthn400Launch);
    const region = screen.getByRole('region', { name: 'Findings' });
    await user.click(within(region).getByRole('button', { name }));
    const [fix, , intent] = onFix.mock.calls[0]!;
    expect(forceAuthn400Launch.findings[0]!.fixes).toContainEqual(fix);
    expect(fix.kind).toBe(kind);
    expect(intent).toBe('apply');
  });

  it('offers one primary fix: stripping forceAuthn, the others secondary', () => {
    renderDetail(forceAuthn400Launch);
    const region = screen.getByRole('region', { name: 'Findings' });
    const primary = [...region.querySelectorAll('.sld-fixes button[data-variant="primary"]')];
    expect(primary.map((b) => b.textContent)).toEqual(['Strip forceAuthn and relaunch']);
  });

  it('reads as done once the strip rule is on: relaunch leads, turning it off is secondary', async () => {
    const { user, onFix } = renderDetail(forceAuthn400Launch, { ruleEnabled: true });
    const region = screen.getByRole('region', { name: 'Findings' });
    expect(within(region).getByText('✓ Strip forceAuthn on')).toBeTruthy();
    expect(within(region).getByRole('button', { name: 'Relaunch' }).dataset.variant).toBe('primary');
    const off = within(region).getByRole('button', { name: 'Turn Strip forceAuthn off' });
    expect(off.dataset.variant).toBe('secondary');
    expect(within(region).queryByRole('button', { name: 'Strip forceAuthn and relaunch' })).toBeNull();
    await user.click(off);
    expect(onFix.mock.calls[0]![0].kind).toBe('enable-strip-rule');
    expect(onFix.mock.calls[0]![2]).toBe('undo');
  });

  it('evidence that links is a chip named after what it shows', async () => {
    const { user } = renderDetail(forceAuthn400Launch);
    const region = screen.getByRole('region', { name: 'Findings' });
    const evidence = forceAuthn400Launch.findings[0]!.evidence.find((e) => e.exchangeId)!;
    const chip = within(region).getByRole('button', {
      name: `${evidence.label}: ${evidence.value} — show in timeline`,
    });
    expect(chip.className).toBe('sld-evidence-chip');
    await user.click(chip);
    expect(screen.getByRole('tab', { name: /Timeline/ }).getAttribute('aria-selected')).toBe('true');
  });

  it('says why granted and supported scopes are unknown', async () => {
    const { user } = renderDetail(forceAuthn400Launch);
    await user.click(screen.getByRole('tab', { name: 'Scopes' }));
    const note = screen.getByText(/^Granted unknown: token response not captured/);
    const unknown = within(screen.getByRole('table', { name: 'Scopes' })).getAllByText('unknown');
    expect(unknown.length).toBeGreaterThan(0);
    expect(unknown.some((u) => u.getAttribute('aria-describedby') === note.id)).toBe(true);
  });

  it('exports and copies the snippet through events', async () => {
    const { user, onExport, onCopySnippet } = renderDetail(forceAuthn400Launch);
    await user.click(screen.getByRole('button', { name: 'Export JSON' }));
    await user.click(screen.getByRole('button', { name: 'Export HAR' }));
    await user.click(screen.getByRole('button', { name: 'Copy support snippet' }));
    expect(onExport.mock.calls.map((c) => c[0])).toEqual(['json', 'har']);
    expect(onCopySnippet).toHaveBeenCalledTimes(1);
  });

  it('says plainly that no token response was captured', async () => {
    const { user } = renderDetail(forceAuthn400Launch);
    await user.click(screen.getByRole('tab', { name: 'Tokens' }));
    expect(screen.getByText(/No token response captured/)).toBeTruthy();
  });

  it('shows requested scopes with granted unknown and server support from discovery', async () => {
    const { user } = renderDetail(forceAuthn400Launch);
    await user.click(screen.getByRole('tab', { name: 'Scopes' }));
    const row = screen.getByRole('row', { name: /patient\/Patient\.read/ });
    expect(
      within(row)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['v1', 'yes', 'unknown', 'yes']);
    const v2row = screen.getByRole('row', { name: /patient\/Observation\.rs/ });
    expect(
      within(v2row)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['v2', 'yes', 'unknown', 'no']);
  });
});

describe('LaunchDetail with a successful launch', () => {
  it('marks the step the extension rewrote', () => {
    renderDetail(successLaunch);
    expect(timelineRow('session-api')!.textContent).toContain('rewritten by extension');
    expect(timelineRow('token')!.textContent).not.toContain('rewritten by extension');
  });

  it('compares requested with granted scopes', async () => {
    const { user } = renderDetail(successLaunch);
    await user.click(screen.getByRole('tab', { name: 'Scopes' }));
    expect(screen.getByRole('note').textContent).toBe('Requested but not granted: patient/Observation.rs');
    const granted = screen.getByRole('row', { name: /patient\/Patient\.read/ });
    expect(within(granted).getAllByRole('cell')[2]!.textContent).toBe('yes');
  });

  it.each([
    ['before expiry', Date.UTC(2026, 10, 28, 14, 6), 'expires'],
    ['after expiry', Date.UTC(2026, 10, 28, 15, 0), 'expired'],
  ])('decodes id_token claims with expiry in local time (%s)', async (_name, now, word) => {
    const { user } = renderDetail(successLaunch, { now });
    await user.keyboard('{Tab}');
    await user.click(screen.getByRole('tab', { name: 'Tokens' }));
    const local = new Date(ID_TOKEN_EXP * 1000).toLocaleString();
    const table = screen.getByRole('table');
    expect(table.querySelector('caption')!.textContent).toContain(`${word} ${local}`);
    const exp = within(table).getByRole('row', { name: /^exp/ });
    expect(exp.textContent).toContain(local);
    expect(screen.getByText('12724066')).toBeTruthy();
  });

  it('moves between tabs with the arrow keys', async () => {
    const { user } = renderDetail(successLaunch);
    screen.getByRole('tab', { name: /Timeline/ }).focus();
    await user.keyboard('{ArrowRight}');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Scopes' }));
    expect(screen.getByRole('tabpanel').textContent).toContain('Scopes');
    await user.keyboard('{ArrowLeft}{ArrowLeft}');
    expect(screen.getByRole('tab', { name: 'Tokens' }).getAttribute('aria-selected')).toBe('true');
  });
});

describe('Timeline: offsets of a long session', () => {
  it('widen the offset column to the longest one (hours), and leave short launches as they are', () => {
    const base = successLaunch;
    const long: Launch = {
      ...base,
      steps: base.steps.map((s, i) => (i === base.steps.length - 1 ? { ...s, offsetMs: 7_042_250 } : s)),
    };
    renderDetail(long);
    const list = screen.getByRole('list', { name: 'Timeline' });
    expect(list.style.getPropertyValue('--sld-offset-width')).toBe('12ch');
    expect(list.textContent).toContain('+1:57:22.25');
    cleanup();
    renderDetail(base);
    expect(screen.getByRole('list', { name: 'Timeline' }).style.getPropertyValue('--sld-offset-width')).toBe(
      '',
    );
  });
});

// @vitest-environment jsdom
import { act, cleanup, render, renderHook, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { strToU8, zipSync } from 'fflate';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ImportHar, MAX_HAR_BYTES } from '../../components/log/ImportHar';
import { RecorderSettings } from '../../components/log/RecorderSettings';
import { ClearSessionPanel, type ClearSessionState } from '../../components/session/ClearSessionPanel';
import { useClearSession } from '../../components/session/useClearSession';
import type { ClearPlan, ClearReport, CookieInfo } from '../../utils/messages/session';

// jsdom + user-event runs slowly when the two cores are busy with other suites; time is not what is tested.
vi.setConfig({ testTimeout: 20_000 });

afterEach(cleanup);

describe('ImportHar', () => {
  it('reads a chosen file and hands over its name and text', async () => {
    const onImport = vi.fn();
    render(<ImportHar onImport={onImport} onError={vi.fn()} />);
    const text = '{"log":{"version":"1.2","entries":[]}}';
    await userEvent.upload(screen.getByLabelText('Import HAR'), new File([text], 'launch.har'));
    await waitFor(() => expect(onImport).toHaveBeenCalledWith({ fileName: 'launch.har', text }));
  });

  it('accepts a dropped file', async () => {
    const onImport = vi.fn();
    const { container } = render(<ImportHar onImport={onImport} onError={vi.fn()} />);
    const zone = container.querySelector('.sld-import')!;
    const file = new File(['{}'], 'dropped.har');
    const drop = new Event('drop', { bubbles: true });
    Object.assign(drop, { dataTransfer: { files: [file] } });
    zone.dispatchEvent(drop);
    await waitFor(() => expect(onImport).toHaveBeenCalledWith({ fileName: 'dropped.har', text: '{}' }));
  });

  it("reads Playwright's .zip (the HAR and its bodies) into one HAR text", async () => {
    const onImport = vi.fn();
    render(<ImportHar onImport={onImport} onError={vi.fn()} />);
    const har = {
      log: {
        version: '1.2',
        entries: [
          {
            startedDateTime: '2026-12-04T09:00:00.000Z',
            time: 5,
            request: {
              method: 'GET',
              url: 'https://fhir.example/r4/.well-known/smart-configuration',
              headers: [],
            },
            response: {
              status: 200,
              headers: [],
              content: { size: 13, mimeType: 'application/json', _file: 'a1.json' },
            },
          },
        ],
      },
    };
    const zip = zipSync({ 'har.har': strToU8(JSON.stringify(har)), 'a1.json': strToU8('{"issuer":"x"}') });
    await userEvent.upload(screen.getByLabelText('Import HAR'), new File([zip], 'trace.zip'));
    await waitFor(() => expect(onImport).toHaveBeenCalledTimes(1));
    const { fileName, text } = onImport.mock.calls[0]![0] as { fileName: string; text: string };
    expect(fileName).toBe('trace.zip');
    expect(JSON.parse(text).log.entries[0].response.content.text).toBe('{"issuer":"x"}');
  });

  it('refuses an oversized file without reading it', async () => {
    const onImport = vi.fn();
    const onError = vi.fn();
    render(<ImportHar onImport={onImport} onError={onError} />);
    const big = new File(['x'], 'huge.har');
    Object.defineProperty(big, 'size', { value: MAX_HAR_BYTES + 1 });
    await userEvent.upload(screen.getByLabelText('Import HAR'), big);
    await waitFor(() => expect(onError).toHaveBeenCalledTimes(1));
    expect(onError.mock.calls[0]![0]).toMatch(/huge\.har .*over 50 MB/);
    expect(onImport).not.toHaveBeenCalled();
  });
});

describe('RecorderSettings', () => {
  const settings = { maxLaunches: 200, maxAgeDays: 14, keepSecrets: false, abandonAfterMinutes: 5 };

  it('saves retention limits and rejects values out of range', async () => {
    const user = userEvent.setup();
    const onSave = vi.fn();
    render(<RecorderSettings settings={settings} onSave={onSave} onClearAll={vi.fn()} />);
    const max = screen.getByRole('spinbutton', { name: /Keep at most/ });
    await user.clear(max);
    await user.type(max, '0');
    expect(screen.getByRole('alert').textContent).toContain(
      'Max launches must be a whole number from 1 to 10000',
    );
    expect((screen.getByRole('button', { name: 'Save limits' }) as HTMLButtonElement).disabled).toBe(true);
    await user.clear(max);
    await user.type(max, '500');
    await user.click(screen.getByRole('button', { name: 'Save limits' }));
    expect(onSave).toHaveBeenCalledWith({ ...settings, maxLaunches: 500 });
  });

  it('edits the abandon timeout, defaulting to 5 minutes for settings saved without one', async () => {
    const user = userEvent.setup();
    const onSave = vi.fn();
    const { abandonAfterMinutes: _, ...older } = settings;
    render(<RecorderSettings settings={older} onSave={onSave} onClearAll={vi.fn()} />);
    const minutes = screen.getByRole('spinbutton', { name: /abandoned after/ }) as HTMLInputElement;
    expect(minutes.value).toBe('5');
    await user.clear(minutes);
    expect(screen.getByRole('alert').textContent).toContain('Abandon after (minutes) must be a whole number');
    await user.type(minutes, '1441');
    expect(screen.getByRole('alert').textContent).toContain('from 1 to 1440');
    await user.clear(minutes);
    await user.type(minutes, '30');
    await user.click(screen.getByRole('button', { name: 'Save limits' }));
    expect(onSave).toHaveBeenCalledWith({ ...older, abandonAfterMinutes: 30 });
  });

  it('opts in to keeping secrets next to a clear warning', async () => {
    const onSave = vi.fn();
    render(<RecorderSettings settings={settings} onSave={onSave} onClearAll={vi.fn()} />);
    expect(screen.getByRole('note').textContent).toMatch(/contain live credentials/);
    await userEvent.click(screen.getByRole('checkbox', { name: /Keep secrets/ }));
    expect(onSave).toHaveBeenCalledWith({ ...settings, keepSecrets: true });
  });

  it('asks before clearing all launches', async () => {
    const user = userEvent.setup();
    const onClearAll = vi.fn();
    render(<RecorderSettings settings={settings} onSave={vi.fn()} onClearAll={onClearAll} />);
    await user.click(screen.getByRole('button', { name: 'Clear all launches…' }));
    expect(onClearAll).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await user.click(screen.getByRole('button', { name: 'Clear all launches…' }));
    await user.click(screen.getByRole('button', { name: 'Delete all launches' }));
    expect(onClearAll).toHaveBeenCalledTimes(1);
  });

  it('the confirmation takes keyboard focus (on Cancel) and gives it back; Escape cancels', async () => {
    const user = userEvent.setup();
    const onClearAll = vi.fn();
    render(<RecorderSettings settings={settings} onSave={vi.fn()} onClearAll={onClearAll} />);
    await user.click(screen.getByRole('button', { name: 'Clear all launches…' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('group', { name: 'Confirm clearing all launches' })).toBeTruthy();
    await user.keyboard('{Enter}');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Clear all launches…' }));
    await user.keyboard('{Enter}');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('button', { name: 'Delete all launches' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Clear all launches…' }));
    expect(onClearAll).not.toHaveBeenCalled();
  });

  it('says when settings are unavailable', () => {
    render(<RecorderSettings onSave={vi.fn()} onClearAll={vi.fn()} />);
    expect(screen.getByText('Recorder settings are not available.')).toBeTruthy();
  });
});

function cookie(name: string, domain: string): CookieInfo {
  return {
    id: `0|${domain}|/|${name}`,
    name,
    domain,
    path: '/',
    hostOnly: !domain.startsWith('.'),
    secure: true,
    size: 52,
  };
}

describe('clear-session confirmation', () => {
  const origin = 'https://authorization.cerner.com';
  const plan: ClearPlan = {
    origin,
    host: 'authorization.cerner.com',
    hostCookies: [cookie('JSESSIONID', 'authorization.cerner.com')],
    parentDomainCookies: [cookie('lb', '.cerner.com'), cookie('sso', '.cerner.com')],
    storage: ['localStorage', 'indexedDB'],
  };

  const renderPanel = (state: ClearSessionState) => {
    const handlers = { onToggleParent: vi.fn(), onConfirm: vi.fn(), onClose: vi.fn() };
    const view = render(<ClearSessionPanel dialog state={state} {...handlers} />);
    return { ...handlers, view };
  };

  it('lists what will be removed, makes parent-domain cookies opt-in, and confirms', async () => {
    const user = userEvent.setup();
    const { onToggleParent, onConfirm, onClose, view } = renderPanel({ step: 'loading' });
    expect(screen.getByRole('alertdialog', { name: 'Clear session' })).toBeTruthy();
    expect(screen.getByText('Looking up what would be removed…')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Remove from / })).toBeNull();
    view.rerender(
      <ClearSessionPanel
        dialog
        state={{ step: 'confirm', plan, ticked: new Set() }}
        onToggleParent={onToggleParent}
        onConfirm={onConfirm}
        onClose={onClose}
      />,
    );
    const dialog = screen.getByRole('alertdialog', {
      name: 'Clear the session of authorization.cerner.com?',
    });
    // The heading takes focus on each step so screen readers follow along; Escape still closes.
    expect(document.activeElement).toBe(within(dialog).getByRole('heading'));
    expect(dialog.textContent).toContain('its localStorage, IndexedDB, and these cookies');
    const own = within(dialog).getByRole('table', { name: 'Cookies of authorization.cerner.com (1)' });
    expect(within(own).getByRole('rowheader').textContent).toBe('JSESSIONID');
    const shared = within(dialog).getByRole('table', { name: /Shared with every sibling site/ });
    const boxes = within(shared).getAllByRole('checkbox') as HTMLInputElement[];
    expect(boxes.map((c) => c.checked)).toEqual([false, false]);
    await user.click(within(shared).getByRole('checkbox', { name: 'Also remove sso (.cerner.com)' }));
    expect(onToggleParent).toHaveBeenCalledWith('0|.cerner.com|/|sso');
    await user.click(screen.getByRole('button', { name: /^Remove from / }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('in the popup (no dialog), Escape closes it too, but not while it is clearing', async () => {
    const onClose = vi.fn();
    const handlers = { onToggleParent: vi.fn(), onConfirm: vi.fn(), onClose };
    const view = render(
      <ClearSessionPanel state={{ step: 'confirm', plan, ticked: new Set() }} {...handlers} />,
    );
    const user = userEvent.setup();
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledTimes(1);
    view.rerender(<ClearSessionPanel state={{ step: 'clearing', plan, ticked: new Set() }} {...handlers} />);
    screen.getByRole('heading').focus();
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('shows an error with Close and nothing to confirm', async () => {
    const { onClose } = renderPanel({ step: 'error', message: 'Unknown message' });
    expect(screen.getByRole('alert').textContent).toBe('Unknown message');
    expect(screen.queryByRole('button', { name: /^Remove from / })).toBeNull();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Close' }));
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('says when there is nothing to clear and does not offer to remove', () => {
    const none: ClearPlan = { ...plan, hostCookies: [], parentDomainCookies: [], storage: [] };
    renderPanel({ step: 'confirm', plan: none, ticked: new Set() });
    expect(screen.getByText('Nothing is stored for authorization.cerner.com.')).toBeTruthy();
    expect((screen.getByRole('button', { name: /^Remove from / }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('reports what was removed and what was kept', () => {
    renderPanel({
      step: 'done',
      report: {
        origin,
        removed: [plan.hostCookies[0]!],
        failed: [],
        kept: plan.parentDomainCookies,
        storage: { cleared: ['localStorage'] },
      } satisfies ClearReport,
    });
    const status = screen.getByRole('status');
    expect(status.textContent).toContain(`Removed 1 cookie and the site storage of ${origin}.`);
    expect(status.textContent).toContain('Kept 2 shared cookies: lb, sso.');
  });
});

describe('useClearSession', () => {
  const plan: ClearPlan = {
    origin: 'https://authorization.cerner.com',
    host: 'authorization.cerner.com',
    hostCookies: [],
    parentDomainCookies: [],
    storage: ['localStorage'],
  };

  it('drops a plan that arrives after the panel was closed', async () => {
    let resolvePlan: (p: ClearPlan) => void = () => undefined;
    const api = {
      planSession: () => new Promise<ClearPlan>((r) => (resolvePlan = r)),
      clearSession: vi.fn(),
    };
    const { result } = renderHook(() => useClearSession(api));
    act(() => result.current.open(plan.origin));
    expect(result.current.state).toEqual({ step: 'loading' });
    act(() => result.current.close());
    await act(async () => resolvePlan(plan));
    expect(result.current.state).toBeUndefined();
  });

  it('clears with the ticked parent-domain cookies and keeps the report', async () => {
    const report: ClearReport = {
      origin: plan.origin,
      removed: [],
      failed: [],
      kept: [],
      storage: { cleared: ['localStorage'] },
    };
    const api = { planSession: async () => plan, clearSession: vi.fn(async () => report) };
    const { result } = renderHook(() => useClearSession(api));
    await act(async () => result.current.open(plan.origin));
    act(() => result.current.toggle('0|.cerner.com|/|sso'));
    await act(async () => result.current.confirm());
    expect(api.clearSession).toHaveBeenCalledWith(plan.origin, ['0|.cerner.com|/|sso']);
    expect(result.current.state).toEqual({ step: 'done', report });
  });
});

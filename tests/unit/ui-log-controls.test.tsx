// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClearSessionDialog } from '../../components/log/ClearSessionDialog';
import { describePlan } from '../../components/log/describePlan';
import { ImportHar, MAX_HAR_BYTES } from '../../components/log/ImportHar';
import { RecorderSettings } from '../../components/log/RecorderSettings';

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
  const settings = { maxLaunches: 200, maxAgeDays: 14, keepSecrets: false };

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
    expect((screen.getByRole('button', { name: 'Save retention' }) as HTMLButtonElement).disabled).toBe(true);
    await user.clear(max);
    await user.type(max, '500');
    await user.click(screen.getByRole('button', { name: 'Save retention' }));
    expect(onSave).toHaveBeenCalledWith({ ...settings, maxLaunches: 500 });
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

  it('says when settings are unavailable', () => {
    render(<RecorderSettings onSave={vi.fn()} onClearAll={vi.fn()} />);
    expect(screen.getByText('Recorder settings are not available.')).toBeTruthy();
  });
});

describe('clear-session confirmation', () => {
  it.each([
    ['list of strings', ['cookie a', 'localStorage'], ['cookie a', 'localStorage']],
    [
      'cookies and storage',
      {
        origin: 'https://authorization.cerner.com',
        cookies: [{ name: 'JSESSIONID', domain: 'authorization.cerner.com' }],
        storage: ['localStorage'],
      },
      [
        'origin: https://authorization.cerner.com',
        'cookies: JSESSIONID (authorization.cerner.com)',
        'storage: localStorage',
      ],
    ],
    ['unknown items stay visible', [{ weird: 1 }], ['{"weird":1}']],
    ['nothing', null, []],
  ])('describes a plan given as %s', (_name, plan, lines) => {
    expect(describePlan(plan)).toEqual(lines);
  });

  it('lists what will be removed and only confirms once the plan is known', async () => {
    const onConfirm = vi.fn();
    const onCancel = vi.fn();
    const origin = 'https://authorization.cerner.com';
    const { rerender } = render(
      <ClearSessionDialog state={{ origin }} onConfirm={onConfirm} onCancel={onCancel} />,
    );
    expect(screen.getByRole('alertdialog', { name: `Clear the session for ${origin}?` })).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Clear session' }) as HTMLButtonElement).disabled).toBe(true);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
    rerender(
      <ClearSessionDialog
        state={{ origin, plan: ['cookies: JSESSIONID'] }}
        onConfirm={onConfirm}
        onCancel={onCancel}
      />,
    );
    expect(screen.getByText('cookies: JSESSIONID')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Clear session' }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
    await userEvent.keyboard('{Escape}');
    expect(onCancel).toHaveBeenCalledTimes(1);
  });

  it('shows a plan error and keeps the confirm button disabled', () => {
    render(
      <ClearSessionDialog
        state={{ origin: 'https://a.example', plan: [], error: 'Unknown message' }}
        onConfirm={vi.fn()}
        onCancel={vi.fn()}
      />,
    );
    expect(screen.getByRole('alert').textContent).toBe('Unknown message');
    expect((screen.getByRole('button', { name: 'Clear session' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

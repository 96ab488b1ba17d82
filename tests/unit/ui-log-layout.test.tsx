// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LaunchLog, type LaunchLogProps } from '../../components/log/LaunchLog';
import { analyze } from '../../utils/launch/analyze';
import { loadExchanges } from '../fixtures/load';
import { fromBackground, launchLogProps } from './ui-launch-list-background';

afterEach(cleanup);
beforeEach(() => localStorage.clear());

function props(over: Partial<LaunchLogProps> = {}): LaunchLogProps {
  return launchLogProps([], over);
}

describe('launch log layout', () => {
  it('an empty log says how to record a first launch', () => {
    render(<LaunchLog {...props()} />);
    expect(screen.getByRole('region', { name: 'Record your first launch' }).textContent).toMatch(
      /Code Console.*Watch.*HAR/s,
    );
  });

  it('the split is a named separator the keyboard resizes, and the width is kept for next time', async () => {
    const user = userEvent.setup();
    const { container, unmount } = render(<LaunchLog {...props()} />);
    const splitter = screen.getByRole('separator', { name: 'Resize the launch list' });
    expect(splitter.getAttribute('aria-valuenow')).toBe('380');
    splitter.focus();
    await user.keyboard('{ArrowRight}{ArrowRight}');
    expect(splitter.getAttribute('aria-valuenow')).toBe('412');
    await user.keyboard('{Home}');
    expect(splitter.getAttribute('aria-valuenow')).toBe('240');
    await user.keyboard('{Shift>}{ArrowRight}{/Shift}');
    expect(splitter.getAttribute('aria-valuenow')).toBe('304');
    expect((container.firstChild as HTMLElement).style.getPropertyValue('--sld-list-width')).toBe('304px');
    unmount();
    render(<LaunchLog {...props()} />);
    expect(screen.getByRole('separator').getAttribute('aria-valuenow')).toBe('304');
  });

  it('recorder settings open in place of the detail and close again', async () => {
    const user = userEvent.setup();
    const launches = analyze(loadExchanges('forceauthn-400'));
    render(
      <LaunchLog
        {...props({
          ...fromBackground(launches),
          selectedId: launches[0]!.id,
          selected: launches[0],
          settings: <p>retention form</p>,
        })}
      />,
    );
    expect(screen.queryByText('retention form')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Recorder settings' }));
    expect(screen.getByRole('region', { name: 'Recorder settings' }).textContent).toContain('retention form');
    await user.click(screen.getByRole('button', { name: 'Close settings' }));
    expect(screen.queryByText('retention form')).toBeNull();
    expect(screen.getByRole('region', { name: 'Findings' })).toBeTruthy();
  });

  it('settings by keyboard: focus goes into the view, Escape and Close bring it back to the button', async () => {
    const user = userEvent.setup();
    render(<LaunchLog {...props({ ...fromBackground([]), settings: <input aria-label="retention" /> })} />);
    const button = screen.getByRole('button', { name: 'Recorder settings' });
    button.focus();
    await user.keyboard('{Enter}');
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Recorder settings' }));
    // One region and one heading of that name.
    expect(screen.getAllByRole('region', { name: 'Recorder settings' })).toHaveLength(1);
    await user.tab();
    await user.keyboard('{Escape}');
    expect(screen.queryByLabelText('retention')).toBeNull();
    expect(document.activeElement).toBe(button);
    await user.keyboard('{Enter}');
    await user.click(screen.getByRole('button', { name: 'Close settings' }));
    expect(document.activeElement).toBe(button);
  });
});

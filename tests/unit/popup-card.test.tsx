// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { LaunchCard } from '../../components/popup/LaunchCard';
import { analyze } from '../../utils/launch/analyze';
import { loadExchanges } from '../fixtures/load';

afterEach(cleanup);

const card = (name: string, keep: (url: string) => boolean = () => true) => {
  const [launch] = analyze(loadExchanges(name).filter((e) => keep(e.url)));
  render(
    <LaunchCard
      launch={launch!}
      inThisTab
      action={{ kind: 'open-log', label: 'Open in launch log' }}
      busy={false}
      onAction={() => undefined}
      onOpenLog={() => undefined}
    />,
  );
};

describe("the popup's launch card", () => {
  it('names the server as the log does: the EHR of a launch just begun', () => {
    card('forceauthn-400', (url) => url.includes('smart.cerner.com/'));
    expect(screen.getByText(/→ smart\.cerner\.com/)).toBeTruthy();
  });

  it('names the authorization server once the launch reached it', () => {
    card('forceauthn-400');
    expect(screen.getByText(/→ authorization\.cerner\.com/)).toBeTruthy();
  });

  it('keyboard focus goes to what the fix did once its button goes (the relaunch leads then)', () => {
    const [launch] = analyze(loadExchanges('forceauthn-400'));
    const props = {
      launch: launch!,
      inThisTab: true,
      busy: false,
      onAction: () => undefined,
      onOpenLog: () => undefined,
    };
    const { rerender } = render(
      <LaunchCard
        {...props}
        action={{ kind: 'strip-and-relaunch', label: 'Strip forceAuthn and relaunch' }}
      />,
    );
    const fix = screen.getByRole('button', { name: 'Strip forceAuthn and relaunch' });
    fix.focus();
    expect(document.activeElement).toBe(fix);
    rerender(
      <LaunchCard
        {...props}
        action={{ kind: 'open-log', label: 'Open in launch log' }}
        outcome={{ ok: true, text: '✓ Strip forceAuthn on · relaunched in its tab.' }}
      />,
    );
    expect(document.activeElement).toBe(screen.getByRole('status'));
    expect(document.activeElement?.textContent).toBe('✓ Strip forceAuthn on · relaunched in its tab.');
  });
});

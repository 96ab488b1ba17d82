// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { formatClock } from '../../components/launch/format';
import { LaunchLog } from '../../components/log/LaunchLog';
import { analyze } from '../../utils/launch/analyze';
import { loadExchanges } from '../fixtures/load';
import { launchLogProps } from './ui-launch-list-background';

const Real = Intl.DateTimeFormat;
afterEach(() => {
  cleanup();
  Intl.DateTimeFormat = Real;
});

describe('the launch log while it waits for its launches', () => {
  it('makes the time format then, so the first rows do not wait for the locale data', async () => {
    // Counts the formatters made (each one still made by Intl itself).
    let made = 0;
    Intl.DateTimeFormat = class extends Real {
      constructor(...args: ConstructorParameters<typeof Real>) {
        super(...args);
        made++;
      }
    } as typeof Real;
    render(<LaunchLog {...launchLogProps([], { loading: true })} />);
    expect(screen.getByText('Loading launches…')).toBeTruthy();
    await act(() => new Promise((resolve) => setTimeout(resolve, 0)));
    expect(made).toBe(1);
    // Rows write their time with that formatter.
    const at = analyze(loadExchanges('forceauthn-400'))[0]!.startedAt;
    expect(formatClock(at)).toBe(new Date(at).toLocaleString());
    expect(made).toBe(1);
  });
});

// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LaunchLog, type LaunchLogProps } from '../../components/log/LaunchLog';
import { analyze } from '../../utils/launch/analyze';
import type { Launch } from '../../utils/model';
import { loadExchanges, twinOf } from '../fixtures/load';
import { launchLogProps } from './ui-launch-list-background';

/** The findings of the open launch, counted: the detail renders them once per render of its own. */
const findingsRenders = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../components/launch/Findings', async (original) => {
  const real = await original<typeof import('../../components/launch/Findings')>();
  return {
    ...real,
    Findings: (props: Parameters<typeof real.Findings>[0]) => {
      findingsRenders.count++;
      return real.Findings(props);
    },
  };
});

afterEach(cleanup);

function props(launches: Launch[], over: Partial<LaunchLogProps> = {}): LaunchLogProps {
  return launchLogProps(launches, { onCopyComparison: vi.fn(), ...over });
}

describe('the open launch while launches are recorded', () => {
  it('is not rendered again when only the list changed; the comparison picker follows the list', async () => {
    const exchanges = loadExchanges('forceauthn-400');
    const selected = analyze(exchanges)[0]!;
    const first = props([selected], { selected, selectedId: selected.id });
    const { rerender } = render(<LaunchLog {...first} />);
    const rendered = findingsRenders.count;
    expect(rendered).toBeGreaterThan(0);

    // A push: a new launch in the list, new callbacks from the page, the same open launch.
    const next = analyze(twinOf(exchanges))[0]!;
    const more = props([next, selected], { selected, selectedId: selected.id });
    rerender(<LaunchLog {...more} />);
    expect(findingsRenders.count).toBe(rendered);
    await userEvent.click(screen.getByRole('button', { name: 'Compare with…' }));
    const picker = screen.getByRole('combobox', { name: 'Launch to compare with' });
    expect(within(picker).getAllByRole('option')).toHaveLength(more.launches.length - 1);

    // The callbacks it was given call the page's latest ones.
    await userEvent.click(screen.getByRole('button', { name: 'Strip forceAuthn and relaunch' }));
    expect(more.onFix).toHaveBeenCalled();
    expect(first.onFix).not.toHaveBeenCalled();

    // Another open launch is rendered.
    rerender(<LaunchLog {...more} selected={next} selectedId={next.id} />);
    expect(findingsRenders.count).toBeGreaterThan(rendered);
  });
});

// @vitest-environment jsdom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LaunchList } from '../../components/launch/LaunchList';
import type { Launch } from '../../utils/model';
import { forceAuthn400Launch } from '../fixtures/launches/forceauthn-400';
import { manyLaunches } from '../fixtures/launches/many';
import { successLaunch } from '../fixtures/launches/success';
import { fromBackground } from './ui-launch-list-background';
import { installLayout } from './ui-support';

// jsdom + user-event runs slowly when the two cores are busy with other suites; time is not what is tested.
vi.setConfig({ testTimeout: 20_000 });

beforeAll(() => installLayout());
afterEach(cleanup);

const importedLaunch: Launch = {
  ...forceAuthn400Launch,
  id: 'imported-1',
  clientId: 'har-client',
  authHost: 'auth.example.org',
  startedAt: forceAuthn400Launch.startedAt - 3_600_000,
  imported: { fileName: 'failing.har', importedAt: 1 },
};

function renderList(launches: Launch[], onSelect = vi.fn()) {
  const { launches: summaries, search } = fromBackground(launches);
  render(<LaunchList launches={summaries} search={search} onSelect={onSelect} />);
  return { onSelect, listbox: screen.getByRole('listbox') };
}

/** Rows of the launch listbox (the filter <select>s have options too). */
const rows = () => within(screen.getByRole('listbox')).getAllByRole('option');
const optionTexts = () => rows().map((o) => o.textContent ?? '');

describe('LaunchList', () => {
  it('counts its launches in words that agree with the number', () => {
    renderList([successLaunch]);
    expect(screen.getByText('1 launch')).toBeTruthy();
    cleanup();
    renderList([importedLaunch, successLaunch]);
    expect(screen.getByText('2 launches')).toBeTruthy();
  });

  it('lists launches newest first with status, client, server, persona, duration and failing step', () => {
    renderList([importedLaunch, forceAuthn400Launch, successLaunch]);
    const options = rows();
    expect(options.map((o) => within(o).getByRole('img').getAttribute('aria-label'))).toEqual([
      'Succeeded',
      'Failed',
      'Failed',
    ]);
    expect(options[0]!.textContent).toContain('my-smart-app');
    expect(options[0]!.textContent).toContain('authorization.cerner.com');
    expect(options[0]!.textContent).toContain('provider');
    expect(options[0]!.textContent).toContain('1.2 s');
    expect(options[0]!.textContent).not.toContain('failed at');
    expect(options[1]!.textContent).toContain('335 ms');
    // The step and its status whole; the tenant id only in the tooltip.
    expect(options[1]!.textContent).toContain('failed at session-api (forceAuthn) → 400');
    expect(options[1]!.textContent).not.toContain('realm');
    expect(within(options[1]!).getByTitle(/^tenant /).textContent).toContain('session-api (forceAuthn)');
    expect(options[2]!.textContent).toContain('har-client');
    expect(options[2]!.textContent).toContain('imported');
  });

  it.each([
    ['status failed', { status: 'failed' }, ['my-smart-app', 'har-client']],
    ['status succeeded', { status: 'succeeded' }, ['my-smart-app']],
    ['authorization host', { host: 'auth.example.org' }, ['har-client']],
    ['host of the app', { host: 'localhost:4173' }, ['my-smart-app', 'my-smart-app', 'har-client']],
    [
      'host of FHIR calls',
      { host: 'fhir-ehr-code.cerner.com' },
      ['my-smart-app', 'my-smart-app', 'har-client'],
    ],
  ])('filters by %s', async (_name, change, clients) => {
    const user = userEvent.setup();
    renderList([importedLaunch, forceAuthn400Launch, successLaunch]);
    if ('status' in change)
      await user.selectOptions(screen.getByLabelText('Filter by status'), change.status);
    if ('host' in change) await user.selectOptions(screen.getByLabelText('Filter by host'), change.host);
    const shown = rows().map((o) => (o.textContent?.includes('har-client') ? 'har-client' : 'my-smart-app'));
    expect(shown).toEqual(clients);
  });

  it.each([
    // A value that only exists inside the URL-encoded `to=` parameter of the failing session-api hop.
    ['nested to= value', '5d1c7c36-1111', 2],
    ['a decoded scope', 'patient/Observation.rs', 3],
    ['the imported file name', 'failing.har', 1],
    ['a form field value', 'authorization_code', 1],
    ['two words, both required', 'corr-7f3e-400 har-client', 1],
    ['nothing', 'no-such-value', 0],
  ])('searches decoded values: %s', async (_name, query, count) => {
    const user = userEvent.setup();
    renderList([forceAuthn400Launch, successLaunch, importedLaunch]);
    await user.type(screen.getByRole('searchbox', { name: 'Search launches' }), query);
    // The background answers after a short pause in typing.
    if (count === 0) {
      await waitFor(() => expect(screen.getByText('No launch matches these filters.')).toBeTruthy());
      expect(screen.queryByRole('listbox')).toBeNull();
    } else {
      await waitFor(() => expect(rows()).toHaveLength(count));
    }
  });

  it('moves with the arrow keys and selects with Enter', async () => {
    const user = userEvent.setup();
    const { onSelect, listbox } = renderList([forceAuthn400Launch, successLaunch]);
    listbox.focus();
    await user.keyboard('{ArrowDown}');
    expect(listbox.getAttribute('aria-activedescendant')).toBe(`sld-launch-${forceAuthn400Launch.id}`);
    await user.keyboard('{Enter}');
    expect(onSelect).toHaveBeenLastCalledWith(forceAuthn400Launch.id);
    await user.keyboard('{ArrowUp}{ }');
    expect(onSelect).toHaveBeenLastCalledWith(successLaunch.id);
  });

  it('renders only the rows in view for 1,000 launches and reaches the last with End', async () => {
    const user = userEvent.setup();
    const launches = manyLaunches(1000, 5);
    const { onSelect, listbox } = renderList(launches);
    expect(rows().length).toBeLessThan(40);
    expect(optionTexts()[0]).toContain('client-999');
    listbox.focus();
    await user.keyboard('{End}');
    const activeId = listbox.getAttribute('aria-activedescendant');
    expect(activeId).toBe('sld-launch-launch-0');
    await waitFor(() => expect(document.getElementById(activeId!)).not.toBeNull());
    await user.keyboard('{Enter}');
    expect(onSelect).toHaveBeenLastCalledWith('launch-0');
  });

  describe('in the DevTools panel (inspected tab 7)', () => {
    /** The same launch recorded in another tab, optionally opened by another one. */
    const inTab = (launch: Launch, id: string, tabId: number, openerTabId?: number): Launch => ({
      ...launch,
      id,
      clientId: id,
      steps: launch.steps.map((step) => ({
        ...step,
        exchange: { ...step.exchange, tabId, ...(openerTabId === undefined ? {} : { openerTabId }) },
      })),
    });
    const here = inTab(successLaunch, 'here', 7);
    const opened = inTab(forceAuthn400Launch, 'opened-from-here', 9, 7);
    const elsewhere = inTab(successLaunch, 'elsewhere', 3);
    const clients = () =>
      rows()
        .map((o) =>
          ['opened-from-here', 'elsewhere', 'har-client', 'here'].find((c) => o.textContent?.includes(c)),
        )
        .sort();
    const renderPanel = (launches: Launch[]) =>
      render(
        <LaunchList
          {...fromBackground(launches)}
          onSelect={vi.fn()}
          inspectedTabId={7}
          initialFilter={{ status: 'all', host: '', query: '', tabId: 7 }}
        />,
      );

    it('starts on this tab, the tabs it opened and imported launches; unticking shows every tab', async () => {
      const user = userEvent.setup();
      renderPanel([here, opened, elsewhere, importedLaunch]);
      const box = screen.getByRole('checkbox', { name: 'This tab only' }) as HTMLInputElement;
      expect(box.checked).toBe(true);
      expect(clients()).toEqual(['har-client', 'here', 'opened-from-here']);
      await user.click(box);
      expect(box.checked).toBe(false);
      expect(clients()).toEqual(['elsewhere', 'har-client', 'here', 'opened-from-here']);
      await user.click(box);
      expect(clients()).toEqual(['har-client', 'here', 'opened-from-here']);
    });

    it('says where the launches are when this tab has none', async () => {
      renderPanel([elsewhere]);
      expect(screen.queryByRole('listbox')).toBeNull();
      expect(screen.getByText(/No launch in this tab yet\. Untick "This tab only"/)).toBeTruthy();
    });

    it('is not offered outside DevTools', () => {
      renderList([here, elsewhere]);
      expect(screen.queryByRole('checkbox', { name: 'This tab only' })).toBeNull();
      expect(rows()).toHaveLength(2);
    });
  });

  it('says so when nothing was recorded', () => {
    render(<LaunchList {...fromBackground([])} onSelect={vi.fn()} />);
    expect(screen.getByText('No launches recorded yet.')).toBeTruthy();
  });
});

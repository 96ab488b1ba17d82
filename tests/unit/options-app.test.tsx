// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Runtime } from 'webextension-polyfill';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createRuleHandlers } from '../../entrypoints/background/rules';
import { App } from '../../entrypoints/options/App';
import type { OptionsPlatform } from '../../entrypoints/options/platform';
import { createStripRuleService } from '../../utils/dnr/service';
import { createProtocolClient } from '../../utils/messages';
import { createDispatcher } from '../../utils/messages/dispatch';
import { ruleMessages } from '../../utils/messages/rules';
import { createFakeRulePorts } from './dnr-fakes';

/** Options page against the real rule handlers; the permission prompt is answered by `approve`. */
function setup(approve: boolean) {
  const fake = createFakeRulePorts();
  const dispatch = createDispatcher(ruleMessages, createRuleHandlers(createStripRuleService(fake.ports)), {
    isTrusted: (_sender: Runtime.MessageSender) => true,
  });
  const prompts: string[][] = [];
  const platform: OptionsPlatform = {
    call: createProtocolClient((envelope) => dispatch(envelope, {})),
    requestHostPermissions: async (origins) => {
      prompts.push(origins);
      if (approve) for (const o of origins) fake.granted.add(o);
      return approve;
    },
  };
  render(<App platform={platform} />);
  return { fake, prompts };
}

const hostItems = () => screen.getAllByRole('listitem').map((li) => li.querySelector('code')?.textContent);

beforeEach(() => fakeBrowser.reset());
afterEach(cleanup);

describe('options page', () => {
  it('adds a host after the permission prompt and the rule then covers it', async () => {
    const { fake, prompts } = setup(true);
    const user = userEvent.setup();
    await waitFor(() => expect(hostItems()).toEqual(['authorization.cerner.com']));
    await user.type(screen.getByLabelText('Add a host'), 'https://Auth.Example.org/x');
    await user.click(screen.getByRole('button', { name: 'Add' }));
    await waitFor(() => expect(hostItems()).toEqual(['authorization.cerner.com', 'auth.example.org']));
    expect(prompts).toEqual([['https://auth.example.org/*']]);
    await user.click(screen.getByRole('switch', { name: 'Strip forceAuthn' }));
    await waitFor(() => expect(fake.dnr.rules()).toHaveLength(3));
    expect(fake.dnr.rules()[0]!.condition.requestDomains).toEqual([
      'authorization.cerner.com',
      'auth.example.org',
    ]);
  });

  it('does not add a host when access is refused, and says so', async () => {
    const { fake } = setup(false);
    const user = userEvent.setup();
    await waitFor(() => expect(hostItems()).toHaveLength(1));
    await user.type(screen.getByLabelText('Add a host'), 'auth.example.org');
    await user.click(screen.getByRole('button', { name: 'Add' }));
    expect((await screen.findByRole('alert')).textContent).toContain('was not granted');
    expect(hostItems()).toEqual(['authorization.cerner.com']);
    expect(fake.settings().hosts).toEqual(['authorization.cerner.com']);
  });

  it('rejects a malformed host without prompting', async () => {
    const { prompts } = setup(true);
    const user = userEvent.setup();
    await waitFor(() => expect(hostItems()).toHaveLength(1));
    await user.type(screen.getByLabelText('Add a host'), 'not a host');
    await user.click(screen.getByRole('button', { name: 'Add' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/not a (valid|host)/);
    expect(prompts).toEqual([]);
  });

  it('turns the nested option off; the last host cannot be removed', async () => {
    const { fake } = setup(true);
    const user = userEvent.setup();
    const nested = await screen.findByRole('switch', { name: 'Also remove isForceAuthn inside to=' });
    await waitFor(() => expect(nested.getAttribute('aria-checked')).toBe('true'));
    await user.click(nested);
    await waitFor(() => expect(nested.getAttribute('aria-checked')).toBe('false'));
    expect(fake.settings().stripNested).toBe(false);
    expect(
      (screen.getByRole('button', { name: 'Remove authorization.cerner.com' }) as HTMLButtonElement).disabled,
    ).toBe(true);
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browserRulePorts } from '../../entrypoints/background/rules';
import { createStripRuleService } from '../../utils/dnr/service';
import { buildStripRules } from '../../utils/dnr/strip-force-authn';
import { DEFAULT_STRIP_SETTINGS, type DnrRule } from '../../utils/dnr/types';
import { createFakeRulePorts } from './dnr-fakes';

const foreign: DnrRule = {
  id: 5,
  action: { type: 'redirect', redirect: { url: 'https://example.org/' } },
  condition: { urlFilter: '||example.com' },
};

describe('strip-forceAuthn service', () => {
  beforeEach(() => fakeBrowser.reset());

  it('is off by default and reports the defaults', async () => {
    const { ports } = createFakeRulePorts();
    expect(await createStripRuleService(ports).getState()).toEqual({
      enabled: false,
      stripNested: true,
      hosts: ['authorization.cerner.com'],
    });
  });

  it('installs and removes its rules, leaving other rules alone; repeating a toggle is a no-op', async () => {
    const { ports, dnr } = createFakeRulePorts({ rules: [foreign] });
    const service = createStripRuleService(ports);
    expect((await service.setState({ enabled: true })).enabled).toBe(true);
    expect(dnr.rules().map((r) => r.id)).toEqual([5, 1000, 1001, 1002]);
    await service.setState({ enabled: true });
    expect(dnr.updates).toHaveLength(1);
    expect((await service.setState({ enabled: false })).enabled).toBe(false);
    expect(dnr.rules()).toEqual([foreign]);
    await service.setState({ enabled: false });
    expect(dnr.updates).toHaveLength(2);
  });

  it('serializes concurrent toggles so they never collide on rule ids', async () => {
    const { ports, dnr } = createFakeRulePorts();
    const service = createStripRuleService(ports);
    const results = await Promise.all([
      service.setState({ enabled: true }),
      service.setState({ enabled: false }),
      service.setState({ enabled: true }),
    ]);
    expect(results.map((r) => r.enabled)).toEqual([true, false, true]);
    expect(dnr.rules().map((r) => r.id)).toEqual([1000, 1001, 1002]);
  });

  it('answers with the state read back from the rules, not with the request', async () => {
    const { ports, dnr } = createFakeRulePorts();
    const service = createStripRuleService(ports);
    await service.setState({ enabled: true });
    await dnr.updateDynamicRules({ removeRuleIds: [1000, 1001, 1002], addRules: [] }); // removed behind our back
    expect((await service.getState()).enabled).toBe(false);
  });

  it('switches the nested option while on', async () => {
    const { ports, dnr } = createFakeRulePorts();
    const service = createStripRuleService(ports);
    await service.setState({ enabled: true });
    expect((await service.setState({ stripNested: false })).stripNested).toBe(false);
    expect(dnr.rules().map((r) => r.id)).toEqual([1000]);
  });

  it('stores settings while off and uses them when turned on', async () => {
    const { ports, dnr, granted } = createFakeRulePorts();
    granted.add('https://auth.example.org/*');
    const service = createStripRuleService(ports);
    const off = await service.setState({
      hosts: ['authorization.cerner.com', 'https://Auth.Example.org/path'],
    });
    expect(off).toMatchObject({ enabled: false, hosts: ['authorization.cerner.com', 'auth.example.org'] });
    expect(dnr.rules()).toEqual([]);
    await service.setState({ enabled: true });
    expect(dnr.rules()[0]!.condition.requestDomains).toEqual([
      'authorization.cerner.com',
      'auth.example.org',
    ]);
  });

  it.each([
    ['a host without permission', ['other.example.org'], /No host permission for other\.example\.org/],
    ['an invalid host', ['not a host!'], /not a valid|not a host/],
    ['an empty list', [], /At least one host/],
  ])('rejects %s and changes nothing', async (_name, hosts, error) => {
    const { ports, dnr, settings } = createFakeRulePorts();
    const service = createStripRuleService(ports);
    await expect(service.setState({ enabled: true, hosts })).rejects.toThrow(error);
    expect(dnr.rules()).toEqual([]);
    expect(settings().hosts).toEqual(['authorization.cerner.com']);
  });

  it('rebuilds outdated installed rules at start, and installs nothing when off', async () => {
    const outdated = buildStripRules(true, { stripNested: true, hosts: ['authorization.cerner.com'] }).map(
      (r) => ({
        ...r,
        condition: { ...r.condition, regexFilter: 'old' },
      }),
    );
    const on = createFakeRulePorts({ rules: outdated });
    await createStripRuleService(on.ports).reconcile();
    expect(on.dnr.rules()).toEqual(
      buildStripRules(true, { stripNested: true, hosts: ['authorization.cerner.com'] }),
    );
    const off = createFakeRulePorts();
    await createStripRuleService(off.ports).reconcile();
    expect(off.dnr.updates).toEqual([]);
  });

  it('restores what the user last set when the browser came back without it (killed before writing its rules)', async () => {
    // Turned on; the browser died before its dynamic rules reached the disk: it comes back without them.
    const on = createFakeRulePorts();
    await createStripRuleService(on.ports).setState({ enabled: true });
    expect(on.intent()).toBe(true);
    const lost = createFakeRulePorts({ intent: on.intent() });
    expect(await createStripRuleService(lost.ports).reconcile()).toMatchObject({ enabled: true });
    expect(lost.dnr.rules()).toEqual(buildStripRules(true, DEFAULT_STRIP_SETTINGS));
    // Turned off; the browser came back with the rules of before.
    await createStripRuleService(lost.ports).setState({ enabled: false });
    expect(lost.intent()).toBe(false);
    const stale = createFakeRulePorts({
      rules: buildStripRules(true, DEFAULT_STRIP_SETTINGS),
      intent: false,
    });
    expect(await createStripRuleService(stale.ports).reconcile()).toMatchObject({ enabled: false });
    expect(stale.dnr.rules()).toEqual([]);
    // No intent stored (an older version): the rules decide, as before.
    const older = createFakeRulePorts({ rules: buildStripRules(true, DEFAULT_STRIP_SETTINGS) });
    expect(await createStripRuleService(older.ports).reconcile()).toMatchObject({ enabled: true });
  });

  it('puts the intent back when the browser refuses the change', async () => {
    const fake = createFakeRulePorts();
    const ports = {
      ...fake.ports,
      updateDynamicRules: async () => {
        throw new Error('Internal error');
      },
    };
    await expect(createStripRuleService(ports).setState({ enabled: true })).rejects.toThrow('Internal error');
    expect(fake.intent()).toBe(false);
  });

  it('persists settings in extension storage and survives a bad stored value', async () => {
    const { ports: fake } = createFakeRulePorts({ granted: ['https://auth.example.org/*'] });
    const ports = {
      ...browserRulePorts(),
      getDynamicRules: fake.getDynamicRules,
      updateDynamicRules: fake.updateDynamicRules,
      hasHostPermissions: fake.hasHostPermissions,
    };
    await createStripRuleService(ports).setState({ hosts: ['auth.example.org'], stripNested: false });
    // A new worker (new service instance) reads the same settings back.
    expect(await createStripRuleService({ ...ports }).getState()).toEqual({
      enabled: false,
      stripNested: false,
      hosts: ['auth.example.org'],
    });
    await fakeBrowser.storage.local.set({ 'stripForceAuthn.settings': { hosts: 42 } });
    expect((await ports.loadSettings()).hosts).toEqual(['authorization.cerner.com']);
  });
});

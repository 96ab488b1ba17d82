import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange } from '../../utils/model';
import {
  APP,
  authorize,
  callback,
  discovery,
  launchPage,
  otherServerFlow,
  smartConfiguration,
} from '../fixtures/other-server';

/**
 * Two apps of one origin against one FHIR server: the first launch (tab 1) fails at its authorize
 * request; later launches start in other tabs from the app's own page (no launch URL recorded), so their
 * discovery read is their first step. Each discovery belongs to the launch whose authorize follows it in
 * its tab, not to the failed launch that shares the app's origin and FHIR server.
 */
const first = otherServerFlow({ state: 'st-first-0123456789' });

function failedFirst(): Exchange[] {
  return [
    launchPage(first),
    discovery(first, smartConfiguration(first)),
    authorize(first, 'launch openid user/Patient.rs', '', { status: 400 }),
  ];
}

/** A standalone launch from the app's page in `tab`, `at` ms in, with its own state. */
function laterLaunch(tab: number, at: number): Exchange[] {
  const f = otherServerFlow({ state: `st-tab${tab}-0123456789`, launch: `l${tab}` });
  const id = (s: string) => `${s}-${tab}`;
  return [
    discovery(f, smartConfiguration(f), { id: id('discovery'), tabId: tab, startedAt: at, initiator: APP }),
    authorize(f, 'openid user/Patient.rs', '', {
      id: id('authorize'),
      tabId: tab,
      startedAt: at + 100,
      status: 302,
      location: `${f.redirect}?code=c-${tab}&state=${f.state}`,
    }),
    callback(f, `code=c-${tab}&state=${f.state}`, { id: id('callback'), tabId: tab, startedAt: at + 200 }),
  ];
}

describe("a discovery read in another tab of the app's origin", () => {
  it('starts the launch of its tab, not a step of the failed launch before it', () => {
    const launches = analyze([...failedFirst(), ...laterLaunch(2, 10_000), ...laterLaunch(3, 20_000)], {
      now: 600_000,
    });
    const byTab = (tab: number) => launches.find((l) => l.steps.some((s) => s.exchange.tabId === tab))!;
    const failed = byTab(1);
    expect(failed.steps.map((s) => s.exchange.id)).toEqual(['launch', 'discovery', 'authorize']);
    for (const tab of [2, 3]) {
      expect(byTab(tab).steps.map((s) => s.kind)).toEqual(['discovery', 'authorize', 'callback']);
    }
    expect(launches).toHaveLength(3);
  });

  it('a discovery read again in the same tab still joins its launch', () => {
    const xs = failedFirst();
    const again = discovery(first, smartConfiguration(first), { id: 'discovery-again', startedAt: 1_300 });
    const [only] = analyze([...xs, again], { now: 600_000 });
    expect(only!.steps.map((s) => s.exchange.id)).toContain('discovery-again');
  });
});

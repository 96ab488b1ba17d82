import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  COMPANION_REGISTRATIONS,
  isCompanionLaunch,
  lastCompanionLaunch,
  sideLabels,
} from '../../utils/compare';
import type { Launch } from '../../utils/model';
import { buildLaunch, COMPANION_ID, reportedAppSpec } from '../fixtures/compare/build';

interface Registration {
  clientId: string;
  smartVersion: string;
  persona: string;
}
const read = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
const apps: Registration[] = read('../../sandbox/apps.json').apps;
const servers: Registration[] = read('../../web/config/servers.json').servers;
const PLACEHOLDER = /^0{8}-0{4}-0{4}-0{4}-0{12}$/;

const pick = ({ clientId, smartVersion, persona }: Registration) => ({ clientId, smartVersion, persona });
const byId = (x: { clientId: string }, y: { clientId: string }) => x.clientId.localeCompare(y.clientId);

describe('companion registrations', () => {
  it('list every smart-debugger-companion* app of sandbox/apps.json and every fixed id of servers.json', () => {
    const fromFiles = new Map<string, Registration>();
    for (const a of apps.filter((x) => x.clientId.startsWith('smart-debugger-companion')))
      fromFiles.set(a.clientId, pick(a));
    for (const s of servers.filter((x) => !PLACEHOLDER.test(x.clientId))) fromFiles.set(s.clientId, pick(s));
    expect([...COMPANION_REGISTRATIONS].sort(byId)).toEqual([...fromFiles.values()].sort(byId));
  });

  it('tell companion launches from others, with extra ids for a user-registered companion', () => {
    const companion = buildLaunch();
    const app = buildLaunch(reportedAppSpec);
    expect(isCompanionLaunch(companion)).toBe(true);
    expect(isCompanionLaunch(app)).toBe(false);
    expect(isCompanionLaunch(app, [reportedAppSpec.clientId!])).toBe(true);
    expect(sideLabels(app, companion)).toEqual({ a: 'your app', b: 'the companion' });
    expect(sideLabels(app, app)).toEqual({ a: 'launch A', b: 'launch B' });
  });
});

describe('lastCompanionLaunch', () => {
  const at = (minute: number) => Date.UTC(2025, 4, 12, 14, minute);
  const failing = buildLaunch(reportedAppSpec, at(30));
  const older = buildLaunch({}, at(5));
  const newer = buildLaunch({}, at(20));
  const other: Launch = { ...buildLaunch({}, at(25)), id: 'elsewhere', authHost: 'auth.example.org' };

  it('picks the newest companion launch on the same authorization server', () => {
    expect(lastCompanionLaunch([older, failing, other, newer], failing)?.startedAt).toBe(newer.startedAt);
  });

  it('falls back to another server, and never returns the launch itself', () => {
    expect(lastCompanionLaunch([failing, other], failing)?.id).toBe('elsewhere');
    expect(lastCompanionLaunch([newer], newer)).toBeUndefined();
  });

  it('is undefined when the list has no companion launch', () => {
    expect(lastCompanionLaunch([failing, buildLaunch({ clientId: 'app-one' })], failing)).toBeUndefined();
    expect(newer.clientId).toBe(COMPANION_ID);
  });
});

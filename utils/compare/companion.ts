import type { Launch } from '../model';

/** A registration of the companion app (web/): what it is registered as decides how to read its scopes. */
export interface CompanionRegistration {
  clientId: string;
  smartVersion: 'v1' | 'v2';
  persona: 'provider' | 'patient';
}

/**
 * The companion's registrations as shipped: sandbox/apps.json `smart-debugger-companion*` and the
 * fixed client ids of web/config/servers.json (the Oracle entries carry a placeholder the user replaces,
 * so they cannot be listed here; pass a real one as `extraIds`). tests/unit/compare-companion.test.ts
 * fails when this list and those files drift apart.
 */
export const COMPANION_REGISTRATIONS: readonly CompanionRegistration[] = [
  { clientId: 'smart-debugger-companion', smartVersion: 'v2', persona: 'provider' },
  { clientId: 'smart-debugger-companion-dev', smartVersion: 'v2', persona: 'provider' },
  { clientId: 'smart-debugger-companion-patient', smartVersion: 'v2', persona: 'patient' },
  { clientId: 'smart-launch-debugger-companion', smartVersion: 'v2', persona: 'patient' },
];

export const COMPANION_CLIENT_IDS: ReadonlySet<string> = new Set(
  COMPANION_REGISTRATIONS.map((r) => r.clientId),
);

export function companionRegistration(clientId: string | undefined): CompanionRegistration | undefined {
  return clientId ? COMPANION_REGISTRATIONS.find((r) => r.clientId === clientId) : undefined;
}

export function isCompanionLaunch(
  launch: Pick<Launch, 'clientId'>,
  extraIds: readonly string[] = [],
): boolean {
  const id = launch.clientId;
  return id !== undefined && (COMPANION_CLIENT_IDS.has(id) || extraIds.includes(id));
}

const TROUBLED = new Set<Launch['status']>(['failed', 'cancelled', 'abandoned']);

/** Launches a "Compare with the last companion launch" button makes sense for. */
export function isTroubledLaunch(launch: Pick<Launch, 'status'>): boolean {
  return TROUBLED.has(launch.status);
}

/**
 * The most recent companion launch to hold `launch` against: against the same authorization server
 * when there is one, else any; never the launch itself. Undefined when there is none.
 */
export function lastCompanionLaunch<T extends Pick<Launch, 'id' | 'clientId' | 'startedAt' | 'authHost'>>(
  launches: readonly T[],
  launch: Pick<Launch, 'id' | 'authHost'>,
  extraIds: readonly string[] = [],
): T | undefined {
  const candidates = launches
    .filter((l) => l.id !== launch.id && isCompanionLaunch(l, extraIds))
    .sort((x, y) => y.startedAt - x.startedAt);
  return candidates.find((l) => l.authHost && l.authHost === launch.authHost) ?? candidates[0];
}

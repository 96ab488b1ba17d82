import type { RecorderSettings } from '../../utils/capture/bounds';
import { createProtocolClient } from '../../utils/messages';
import type { Envelope } from '../../utils/messages/define';
import type { RecorderHealth, SummaryChanges } from '../../utils/messages/launches';
import type { StripRuleState } from '../../utils/messages/rules';
import type { ClearPlan, ClearReport } from '../../utils/messages/session';
import type { RelaunchResult } from '../../utils/messages/tabs';
import type { Launch } from '../../utils/model';

/**
 * What the launch log needs from the background, as named calls. Every call may reject with a
 * ProtocolError (e.g. `unknown-message` from an older background); the page shows the message.
 */
export interface LogApi {
  /**
   * What changed in what the list shows about every launch since a version read before (everything
   * without one); the full launch is fetched only for the one open.
   */
  listChanges(since?: { epoch: string; version: number }): Promise<SummaryChanges>;
  getLaunch(id: string): Promise<Launch | null>;
  /** The ids of the launches whose decoded values match `query` (the search runs in the background). */
  searchLaunches(query: string): Promise<string[]>;
  getHealth(): Promise<RecorderHealth>;
  getRule(): Promise<StripRuleState>;
  setRule(enabled: boolean): Promise<StripRuleState>;
  planSession(origin: string): Promise<ClearPlan>;
  clearSession(origin: string, parentDomainCookies: string[]): Promise<ClearReport>;
  /** Starts a recorded launch again from where it began (the EHR page), in its tab when still open. */
  relaunch(launchId: string): Promise<RelaunchResult>;
  importHar(
    fileName: string,
    text: string,
  ): Promise<{
    imported: number;
    replaced?: boolean;
    skipped?: string;
    dropped?: string[];
    keptFiles?: number;
  }>;
  clearLaunches(): Promise<{ removed: number }>;
  getSettings(): Promise<RecorderSettings>;
  setSettings(settings: RecorderSettings): Promise<RecorderSettings>;
}

export function createLogApi(send: (envelope: Envelope) => Promise<unknown>): LogApi {
  const call = createProtocolClient(send);
  return {
    listChanges: (since) =>
      call('launches/changes', since ? { epoch: since.epoch, since: since.version } : {}),
    getLaunch: (id) => call('launches/get', { id }),
    searchLaunches: (query) => call('launches/search', { query }),
    getHealth: () => call('recorder/health', {}),
    getRule: () => call('rules/get', {}),
    setRule: (enabled) => call('rules/set', { enabled }),
    planSession: (origin) => call('session/plan', { origin }),
    clearSession: (origin, parentDomainCookies) => call('session/clear', { origin, parentDomainCookies }),
    relaunch: (launchId) => call('tabs/relaunch', { launchId }),
    importHar: (fileName, text) => call('launches/import-har', { fileName, text }),
    clearLaunches: () => call('launches/clear', {}),
    getSettings: () => call('recorder/settings/get', {}),
    setSettings: (settings) => call('recorder/settings/set', settings),
  };
}

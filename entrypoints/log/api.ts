import type { RecorderSettingsValue } from '../../components/log/RecorderSettings';
import { createProtocolClient } from '../../utils/messages';
import { createClient } from '../../utils/messages/client';
import type { Envelope, MessageMap } from '../../utils/messages/define';
import type { StripRuleState } from '../../utils/messages/rules';
import type { ClearPlan, ClearReport } from '../../utils/messages/session';
import type { Launch } from '../../utils/model';

/**
 * What the launch log needs from the background, as named calls. Every call may reject with a
 * ProtocolError (e.g. `unknown-message` from an older background); the page shows the message.
 */
export interface LogApi {
  listLaunches(): Promise<Launch[]>;
  getRule(): Promise<StripRuleState>;
  setRule(enabled: boolean): Promise<StripRuleState>;
  planSession(origin: string): Promise<ClearPlan>;
  clearSession(origin: string, parentDomainCookies: string[]): Promise<ClearReport>;
  importHar(fileName: string, text: string): Promise<{ imported: number }>;
  clearLaunches(): Promise<unknown>;
  getSettings(): Promise<RecorderSettingsValue>;
  setSettings(settings: RecorderSettingsValue): Promise<RecorderSettingsValue>;
}

export function createLogApi(send: (envelope: Envelope) => Promise<unknown>): LogApi {
  const call = createProtocolClient(send);
  // Recorder messages not yet in the protocol map go untyped, so the page degrades with a clear error.
  const callLoose = createClient<MessageMap>(send) as (type: string, payload?: unknown) => Promise<unknown>;
  return {
    listLaunches: () => call('launches/list', {}),
    getRule: () => call('rules/get', {}),
    setRule: (enabled) => call('rules/set', { enabled }),
    planSession: (origin) => call('session/plan', { origin }),
    clearSession: (origin, parentDomainCookies) => call('session/clear', { origin, parentDomainCookies }),
    importHar: (fileName, text) =>
      callLoose('launches/import-har', { fileName, text }) as Promise<{ imported: number }>,
    clearLaunches: () => callLoose('launches/clear', {}),
    getSettings: () => callLoose('recorder/settings/get', {}) as Promise<RecorderSettingsValue>,
    setSettings: (settings) => callLoose('recorder/settings/set', settings) as Promise<RecorderSettingsValue>,
  };
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

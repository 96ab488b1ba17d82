import type { RecorderSettingsValue } from '../../components/log/RecorderSettings';
import { createClient } from '../../utils/messages/client';
import type { Envelope, MessageMap } from '../../utils/messages/define';
import type { Launch } from '../../utils/model';

/**
 * What the launch log needs from the background, as named calls. Every call may reject with a
 * ProtocolError (e.g. `unknown-message` from an older background); the page shows the message.
 */
export interface LogApi {
  listLaunches(): Promise<Launch[]>;
  getRule(): Promise<{ enabled: boolean }>;
  setRule(enabled: boolean): Promise<{ enabled: boolean }>;
  planSession(origin: string): Promise<unknown>;
  clearSession(origin: string): Promise<unknown>;
  importHar(fileName: string, text: string): Promise<{ imported: number }>;
  clearLaunches(): Promise<unknown>;
  getSettings(): Promise<RecorderSettingsValue>;
  setSettings(settings: RecorderSettingsValue): Promise<RecorderSettingsValue>;
}

export function createLogApi(send: (envelope: Envelope) => Promise<unknown>): LogApi {
  // Untyped over the map so the page degrades with a clear error while a message is missing.
  const call = createClient<MessageMap>(send) as (type: string, payload?: unknown) => Promise<unknown>;
  return {
    listLaunches: () => call('launches/list', {}) as Promise<Launch[]>,
    getRule: () => call('rules/get', {}) as Promise<{ enabled: boolean }>,
    setRule: (enabled) => call('rules/set', { enabled }) as Promise<{ enabled: boolean }>,
    planSession: (origin) => call('session/plan', { origin }),
    clearSession: (origin) => call('session/clear', { origin }),
    importHar: (fileName, text) =>
      call('launches/import-har', { fileName, text }) as Promise<{ imported: number }>,
    clearLaunches: () => call('launches/clear', {}),
    getSettings: () => call('recorder/settings/get', {}) as Promise<RecorderSettingsValue>,
    setSettings: (settings) => call('recorder/settings/set', settings) as Promise<RecorderSettingsValue>,
  };
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

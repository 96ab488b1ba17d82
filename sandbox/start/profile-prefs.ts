/**
 * Edits to a closed Chromium profile's Preferences: how the e2e harness and the guided demo grant the
 * extension an optional host permission without the prompt headless Chromium cannot answer.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads, edits and writes back a closed profile's Preferences (where Chromium keeps what the user set). */
export function editPreferences<T extends object>(userDataDir: string, edit: (prefs: T) => void): void {
  const file = join(userDataDir, 'Default', 'Preferences');
  const prefs = JSON.parse(readFileSync(file, 'utf8')) as T;
  edit(prefs);
  writeFileSync(file, JSON.stringify(prefs));
}

type PermissionSet = { explicit_host?: string[] };
type ExtensionPrefs = {
  extensions?: { settings?: Record<string, Record<string, PermissionSet | undefined>> };
};

/** Adds host patterns to the extension's granted and active permissions in a closed profile. */
export function grantInProfile(userDataDir: string, extensionId: string, origins: string[]): void {
  editPreferences<ExtensionPrefs>(userDataDir, (prefs) => {
    const settings = prefs.extensions?.settings?.[extensionId];
    if (!settings)
      throw new Error(`no settings for extension ${extensionId} in ${userDataDir}/Default/Preferences`);
    for (const key of ['granted_permissions', 'active_permissions']) {
      const set = settings[key] ?? {};
      set.explicit_host = [...new Set([...(set.explicit_host ?? []), ...origins])];
      settings[key] = set;
    }
  });
}

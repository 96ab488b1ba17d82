/** The guided demo's sandbox and headless Chromium (built extension loaded, the companion's origin granted). */
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { type Sandbox, startSandbox } from '../index';
import { loadExtensionFlags, QUIET_FLAGS, rootFlags } from './chromium-flags';
import { COMPANION_ORIGIN } from './demo-steps';
import { launchExtensionContext } from './extension-context';
import { grantInProfile } from './profile-prefs';

export interface DemoBrowser {
  sandbox: Sandbox;
  context: BrowserContext;
  extensionId: string;
}

/** Keys and profile go under `temp` (the caller deletes it); on failure the sandbox is closed again. */
export async function startDemoBrowser(executablePath: string, temp: string): Promise<DemoBrowser> {
  const sandbox = await startSandbox({ port: 0, keysDir: join(temp, 'keys'), quirk: 'forceauthn-session' });
  const userDataDir = join(temp, 'profile');
  const args = [
    ...rootFlags(),
    '--disable-gpu',
    ...QUIET_FLAGS,
    ...loadExtensionFlags(),
    ...sandbox.chromiumArgs,
  ];
  const launch = () => launchExtensionContext({ executablePath, userDataDir, args, loadExtension: true });
  try {
    // The companion's own requests (its token exchange) are visible once the extension may watch its
    // origin — the log's "Watch" fix. Headless Chromium cannot answer that prompt, so grant it in the profile.
    const first = await launch();
    await first.context.close();
    grantInProfile(userDataDir, first.extensionId, [`${COMPANION_ORIGIN}/*`]);
    return { sandbox, ...(await launch()) };
  } catch (e) {
    await sandbox.close();
    throw e;
  }
}

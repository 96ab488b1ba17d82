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
  /** Whether the extension may watch the companion's origin (and so sees its token exchange). */
  companionWatched: boolean;
}

/**
 * `viaDevtools` loads the extension over the DevTools protocol (branded Chrome 137+).
 * Keys and profile go under `temp` (the caller deletes it); on failure the sandbox is closed again. */
export async function startDemoBrowser(
  executablePath: string,
  temp: string,
  viaDevtools = false,
): Promise<DemoBrowser> {
  const sandbox = await startSandbox({ port: 0, keysDir: join(temp, 'keys'), quirk: 'forceauthn-session' });
  const userDataDir = join(temp, 'profile');
  const args = [
    ...rootFlags(),
    '--disable-gpu',
    ...QUIET_FLAGS,
    ...(viaDevtools ? [] : loadExtensionFlags()),
    ...sandbox.chromiumArgs,
  ];
  const launch = () =>
    launchExtensionContext({
      executablePath,
      userDataDir,
      args,
      loadExtension: true,
      viaDevtools,
      // The demo stops the browser itself on Ctrl-C, so that it can clean up before exiting.
      handleSIGINT: false,
    });
  try {
    // An extension loaded over the DevTools protocol is gone after a restart, so the grant below cannot
    // be made for it: the companion's token exchange stays invisible and its launches end "authorized".
    if (viaDevtools) return { sandbox, ...(await launch()), companionWatched: false };
    // The companion's own requests (its token exchange) are visible once the extension may watch its
    // origin — the log's "Watch" fix. Headless Chromium cannot answer that prompt, so grant it in the profile.
    const first = await launch();
    await first.context.close();
    grantInProfile(userDataDir, first.extensionId, [`${COMPANION_ORIGIN}/*`]);
    return { sandbox, ...(await launch()), companionWatched: true };
  } catch (e) {
    await sandbox.close();
    throw e;
  }
}

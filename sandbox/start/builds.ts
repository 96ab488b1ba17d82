/**
 * Builds what `npm start` and the demo need and is missing: the extension (.output/chrome-mv3) and the
 * companion app (web/dist). Existing builds are reused (`--build` rebuilds both).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_WEB_DIST } from '../index';
import { EXTENSION_DIR, extensionBuilt } from './chromium-flags';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Build {
  what: string;
  output: string;
  built(): boolean;
  /** The same commands as `npm run build` / `npm run build:web`. */
  command: string[];
}

export const BUILDS: Build[] = [
  { what: 'extension', output: EXTENSION_DIR, built: () => extensionBuilt(), command: ['wxt', 'build'] },
  {
    what: 'companion app',
    output: DEFAULT_WEB_DIST,
    built: () => existsSync(join(DEFAULT_WEB_DIST, 'index.html')),
    command: ['vite', 'build', '--config', 'web/vite.config.ts'],
  },
];

export class BuildError extends Error {}

/** Runs each missing (or, with `force`, every) build in the foreground with its output shown. */
export function ensureBuilds(log: (line: string) => void, force = false): void {
  for (const b of BUILDS) {
    if (!force && b.built()) continue;
    log(`Building the ${b.what} into ${b.output} (npx ${b.command.join(' ')}) …`);
    const run = spawnSync('npx', ['--no-install', ...b.command], { cwd: ROOT, stdio: 'inherit' });
    if (run.status !== 0 || !b.built())
      throw new BuildError(
        `Building the ${b.what} failed (npx ${b.command.join(' ')} exited with ${run.status ?? run.error?.message}).`,
      );
  }
}

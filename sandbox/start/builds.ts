/**
 * Builds what `npm start` and the demo need and is missing: the extension (.output/chrome-mv3) and the
 * companion app (web/dist). Existing builds are reused (`--build` rebuilds both).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_WEB_DIST } from '../index';
import { EXTENSION_DIR, extensionBuilt } from './chromium-flags';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Build {
  what: string;
  output: string;
  built(): boolean;
  /** The file whose age is the build's age. */
  marker: string;
  /** Source folders and files (relative to the repository) the build is made from. */
  sources: string[];
  /** The same commands as `npm run build` / `npm run build:web`. */
  command: string[];
}

export const BUILDS: Build[] = [
  {
    what: 'extension',
    output: EXTENSION_DIR,
    built: () => extensionBuilt(),
    marker: join(EXTENSION_DIR, 'manifest.json'),
    sources: ['entrypoints', 'components', 'utils', 'public', 'wxt.config.ts'],
    command: ['wxt', 'build'],
  },
  {
    what: 'companion app',
    output: DEFAULT_WEB_DIST,
    built: () => existsSync(join(DEFAULT_WEB_DIST, 'index.html')),
    marker: join(DEFAULT_WEB_DIST, 'index.html'),
    sources: ['web', 'utils'],
    command: ['vite', 'build', '--config', 'web/vite.config.ts'],
  },
];

/** Newest modification time (ms) of the files under `paths`, build outputs and dependencies left out. */
export function newestSource(paths: string[], root: string = ROOT): number {
  let newest = 0;
  const visit = (path: string) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    if (!stat.isDirectory()) {
      newest = Math.max(newest, stat.mtimeMs);
      return;
    }
    for (const entry of readdirSync(path))
      if (entry !== 'node_modules' && entry !== 'dist' && !entry.startsWith('.')) visit(join(path, entry));
  };
  for (const p of paths) visit(join(root, p));
  return newest;
}

export class BuildError extends Error {}

/** Runs each missing (or, with `force`, every) build in the foreground with its output shown. */
export function ensureBuilds(log: (line: string) => void, force = false): void {
  for (const b of BUILDS) {
    if (!force && b.built()) {
      if (newestSource(b.sources) > statSync(b.marker).mtimeMs)
        log(`The ${b.what} build is older than its sources (add --build to rebuild it).`);
      continue;
    }
    log(`Building the ${b.what} into ${b.output} (npx ${b.command.join(' ')}) …`);
    const run = spawnSync('npx', ['--no-install', ...b.command], { cwd: ROOT, stdio: 'inherit' });
    if (run.status !== 0 || !b.built())
      throw new BuildError(
        `Building the ${b.what} failed (npx ${b.command.join(' ')} exited with ${run.status ?? run.error?.message}).`,
      );
  }
}

/**
 * `npm start`: builds what is missing, starts the sandbox (serving the companion), opens a browser with the
 * extension on the Code Console page and says what to do next. Without a display it runs the guided demo.
 * Ctrl-C, or closing the browser, stops everything it started.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isQuirk, QUIRK_DESCRIPTIONS } from '../config';
import { HOSTS, type Sandbox } from '../index';
import { RegistryError } from '../registry';
import type { Output } from './analyze-command';
import { findBrowser, NoBrowserError } from './browser-find';
import { openBrowser } from './browser-launch';
import { BuildError, ensureBuilds } from './builds';
import { PortError, startOnFreePort } from './free-port';

const USAGE =
  'Usage: npm start -- [--port 8443] [--quirk forceauthn-session|header-size|none] [--profile .profile] [--build] [--headless] [--load-via-devtools]';
const CONSOLE_URL = `https://${HOSTS.smart}/`;

/** Linux without X11 or Wayland cannot show a window; other systems always have a desktop. */
export function hasDisplay(env: NodeJS.ProcessEnv = process.env, platform = process.platform): boolean {
  return platform !== 'linux' || !!(env.DISPLAY || env.WAYLAND_DISPLAY);
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '8443' },
      quirk: { type: 'string' },
      profile: { type: 'string', default: '.profile' },
      build: { type: 'boolean', default: false },
      headless: { type: 'boolean', default: false },
      'load-via-devtools': { type: 'boolean', default: false },
    },
  }).values;
}

function nextSteps(sandbox: Sandbox, extensionId: string, via: string, profile: string): string {
  return [
    `Sandbox on ${sandbox.origin} (Oracle's hostnames are mapped to it in this browser only; quirk ${sandbox.quirk}).`,
    `Browser: profile ${profile}, extension ${extensionId} loaded via the ${via}.`,
    '',
    `Next, in the browser (it opened ${CONSOLE_URL}):`,
    '  1. Click "Launch · …" on the "SMART Launch Debugger companion (hosted by the sandbox)" row;',
    '     sign in as portal / portal.',
    '  2. Back on the Code Console, click Launch again: authorization.cerner.com answers 400 (the forceAuthn bug).',
    '  3. Open the extension (puzzle icon → SMART Launch Debugger): the popup shows the failed launch.',
    '     Turn on "Strip forceAuthn" there and launch again; "Open launch log" shows the findings',
    '     (its "Watch companion.smartdebugger.test" fix lets it see the token exchange too).',
    '',
    'Ctrl-C stops the sandbox and the browser (closing the browser stops the sandbox too).',
  ].join('\n');
}

/** The browser's first request for the console proves the host mapping and the certificate pin work. */
async function consoleCheck(sandbox: Sandbox): Promise<string> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const hit = sandbox.requestLog.find((e) => e.host === HOSTS.smart);
    if (hit)
      return `Checked: the browser loaded ${CONSOLE_URL} from the sandbox (HTTP ${hit.status}); host mapping and certificate pin work.`;
    await new Promise((r) => setTimeout(r, 200));
  }
  return `Warning: the browser has not asked the sandbox for ${CONSOLE_URL} after 30 s. If the tab shows a certificate or DNS error, see Troubleshooting in README.md.`;
}

export async function runStart(argv: string[], io: Output): Promise<number> {
  let values: ReturnType<typeof parse>;
  try {
    values = parse(argv);
  } catch (e) {
    io.err(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.err(`--port must be a port number, got ${values.port}`);
    return 2;
  }
  if (values.quirk !== undefined && !isQuirk(values.quirk)) {
    io.err(`--quirk must be one of ${Object.keys(QUIRK_DESCRIPTIONS).join(', ')}`);
    return 2;
  }
  if (!values.headless && !hasDisplay()) {
    io.out('No display (DISPLAY and WAYLAND_DISPLAY are unset), so no browser window can open:');
    io.out(
      'running the guided demo instead (npm run demo) — a headless browser goes through the same steps.\n',
    );
    const demoArgs = [
      ...(values.build ? ['--build'] : []),
      ...(values['load-via-devtools'] ? ['--load-via-devtools'] : []),
    ];
    return (await import('./demo-command')).runDemoCommand(demoArgs, io);
  }
  // Everything started so far, stopped in reverse order on Ctrl-C (even mid-start), on kill, or when the
  // browser closes.
  const started: Array<() => Promise<void>> = [];
  let stopping = false;
  const stopAll = async (why: string) => {
    if (stopping) return;
    stopping = true;
    io.out(`\n${why}: stopping the browser and the sandbox …`);
    for (const stop of started.reverse()) await stop().catch(() => undefined);
  };
  process.once('SIGINT', () => void stopAll('Ctrl-C').then(() => process.exit(130)));
  process.once('SIGTERM', () => void stopAll('Terminated').then(() => process.exit(143)));
  let sandbox: Sandbox | undefined;
  try {
    ensureBuilds(io.out, values.build);
    const browser = findBrowser();
    sandbox = await startOnFreePort({
      port,
      ...(values.quirk && isQuirk(values.quirk) ? { quirk: values.quirk } : {}),
    });
    started.push(sandbox.close);
    if (port !== 0 && sandbox.port !== port)
      io.out(`Port ${port} is in use; the sandbox took ${sandbox.port}.`);
    io.out(`Starting ${browser.version ?? browser.path} (${browser.source}) …`);
    const profile = resolve(values.profile);
    const opened = await openBrowser({
      browser,
      profileDir: profile,
      sandbox,
      url: CONSOLE_URL,
      headless: values.headless,
      forceDevtoolsLoad: values['load-via-devtools'],
      onSpawn: (close) => started.push(close),
    });
    io.out(await consoleCheck(sandbox));
    io.out(nextSteps(sandbox, opened.extensionId, opened.loadedVia, profile));
    await opened.exited;
    await stopAll('The browser closed');
    return 0;
  } catch (e) {
    stopping = true;
    for (const stop of started.reverse()) await stop().catch(() => undefined);
    if ([NoBrowserError, BuildError, PortError, RegistryError].some((k) => e instanceof k)) {
      io.err((e as Error).message);
      return 2;
    }
    io.err(`npm start failed: ${(e as Error).message}`);
    return 1;
  }
}

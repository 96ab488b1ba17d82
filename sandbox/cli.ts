/**
 * `npm run sandbox` / `npm start`: starts the sandbox and prints what a browser needs to reach it.
 * Flags: --port <n> (default 8443), --quirk <forceauthn-session|header-size|redirect-loop|none>, --registry <apps.json>,
 * --host <addr>, --serve-web (accepted for `npm start`; the built companion is always served).
 */
import { parseArgs } from 'node:util';
import { fhirBase, HOSTS, isQuirk, QUIRK_DESCRIPTIONS, TENANT } from './config';
import { DEFAULT_WEB_DIST, startSandbox } from './index';
import { RegistryError } from './registry';

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function main(): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        quirk: { type: 'string' },
        registry: { type: 'string' },
        'serve-web': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    fail(
      `${(e as Error).message}\nUsage: npm run sandbox -- [--port 8443] [--quirk none] [--registry apps.json]`,
    );
  }
  if (values.help) {
    console.log(
      'Usage: npm run sandbox -- [--port 8443] [--host 127.0.0.1] [--quirk forceauthn-session|header-size|redirect-loop|none] [--registry path]',
    );
    return;
  }
  const port = values.port === undefined ? 8443 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`--port must be a port number, got ${values.port}`);
  const quirk = values.quirk;
  if (quirk !== undefined && !isQuirk(quirk))
    fail(`--quirk must be one of ${Object.keys(QUIRK_DESCRIPTIONS).join(', ')}`);

  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  try {
    sandbox = await startSandbox({
      port,
      ...(typeof values.host === 'string' ? { host: values.host } : {}),
      ...(quirk ? { quirk } : {}),
      ...(typeof values.registry === 'string' ? { registryPath: values.registry } : {}),
    });
  } catch (e) {
    if (e instanceof RegistryError) fail(e.message);
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE')
      fail(`Port ${port} is in use (another sandbox or npm start?): stop it or pass --port <n>.`);
    throw e;
  }

  const lines = [
    `Oracle Health sandbox listening on ${sandbox.origin}`,
    '',
    'Hosts (all served by this one port once mapped):',
    `  Code Console   https://${HOSTS.smart}/`,
    `  Authorization  https://${HOSTS.authorization}/`,
    `  Provider FHIR  ${fhirBase(HOSTS.ehr, TENANT)}`,
    `  Patient FHIR   ${fhirBase(HOSTS.myrecord, TENANT)}`,
    `  Open FHIR      ${fhirBase(HOSTS.open, TENANT)}`,
    `  Companion app  https://${HOSTS.companion}/launch/   (from ${DEFAULT_WEB_DIST}; probe at /probe/launch)`,
    '',
    'Start Chromium with:',
    `  chromium ${sandbox.chromiumArgs.map((a) => `'${a}'`).join(' ')}`,
    '',
    `Quirk: ${sandbox.quirk} — ${QUIRK_DESCRIPTIONS[sandbox.quirk]}`,
    '  (switch on the Code Console page or POST {"quirk":"none"} to https://smart.cerner.com/sandbox/api/quirk)',
    '',
    'Registered apps (client ids):',
    ...sandbox.registry.apps.map(
      (a) => `  ${a.clientId.padEnd(40)} ${a.persona}, ${a.type}, SMART ${a.smartVersion} — ${a.name}`,
    ),
    '',
    'Logins: provider portal/portal, patient nancysmart/Cerner01. Ctrl+C stops.',
  ];
  console.log(lines.join('\n'));
  const stop = () => {
    sandbox.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

/**
 * Programmatic entry point of the Oracle Health sandbox.
 *
 *   const sandbox = await startSandbox({ port: 0, keysDir: tmp });
 *   // Chromium: launch with ...sandbox.chromiumArgs; Node: https.request to 127.0.0.1:sandbox.port with a Host header
 *   sandbox.setQuirk('none'); sandbox.requestLog; await sandbox.close();
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { loadOrCreateTls } from './certs';
import { ALL_HOSTS, DEFAULT_QUIRK, isQuirk, QUIRKS, type Quirk } from './config';
import { loadData } from './data';
import { loadOrCreateSigningKey } from './oauth/keys';
import { DEFAULT_REGISTRY_PATH, loadRegistry, type Registry } from './registry';
import { createHandler } from './server';
import type { RequestLogEntry, SandboxState } from './state';

export type { Quirk } from './config';
export { HOSTS, QUIRKS, TENANT } from './config';
export type { RequestLogEntry } from './state';

export const DEFAULT_KEYS_DIR = fileURLToPath(new URL('./.keys', import.meta.url));
export const DEFAULT_WEB_DIST = fileURLToPath(new URL('../web/dist', import.meta.url));

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Listen address, default 127.0.0.1. */
  host?: string;
  /** Default: $SANDBOX_QUIRK or forceauthn-session. */
  quirk?: Quirk;
  registryPath?: string;
  webDist?: string;
  /** Where the TLS certificate and the JWT signing key are kept (default sandbox/.keys). */
  keysDir?: string;
  /** Clock in ms, for code/token expiry (default Date.now). */
  now?: () => number;
  /** Where unexpected errors go (default console.error). */
  logError?: (error: unknown, where: string) => void;
}

export interface Sandbox {
  port: number;
  /** https://127.0.0.1:<port> */
  origin: string;
  /** Every hostname the sandbox answers for. */
  hosts: string[];
  /** base64 SHA-256 of the certificate's SPKI. */
  spkiPin: string;
  /** PEM of the (self-signed) certificate, to trust it from Node. */
  certPem: string;
  /** `--host-resolver-rules=MAP <host> 127.0.0.1:<port>,…` and `--ignore-certificate-errors-spki-list=<pin>`. */
  chromiumArgs: string[];
  requestLog: RequestLogEntry[];
  readonly quirk: Quirk;
  setQuirk(quirk: Quirk): void;
  registry: Registry;
  /**
   * Holds every request that arrives from now on, unanswered, until the returned function is called
   * (the recorder fault tests pause the traffic while they stop the extension's worker).
   */
  hold(): () => void;
  close(): Promise<void>;
}

function defaultQuirk(): Quirk {
  const env = process.env.SANDBOX_QUIRK;
  if (env === undefined || env === '') return DEFAULT_QUIRK;
  if (!isQuirk(env)) throw new Error(`SANDBOX_QUIRK=${env} is not a quirk mode (${QUIRKS.join(', ')})`);
  return env;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const keysDir = opts.keysDir ?? DEFAULT_KEYS_DIR;
  const listenHost = opts.host ?? '127.0.0.1';
  const registry = loadRegistry(opts.registryPath ?? DEFAULT_REGISTRY_PATH);
  const tls = await loadOrCreateTls(keysDir, ALL_HOSTS);
  const state: SandboxState = {
    quirk: opts.quirk ?? defaultQuirk(),
    registry,
    data: loadData(),
    signingKey: await loadOrCreateSigningKey(keysDir),
    webDist: opts.webDist ?? DEFAULT_WEB_DIST,
    now: opts.now ?? Date.now,
    launches: new Map(),
    sessions: new Map(),
    codes: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    cancelledSignIns: new Map(),
    requestLog: [],
    logError: opts.logError ?? ((e, where) => console.error(`[sandbox] unexpected error in ${where}:`, e)),
  };
  const handler = createHandler(state);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve(
      {
        fetch: handler,
        port: opts.port ?? 0,
        hostname: listenHost,
        createServer,
        // Larger than Oracle's 8 KiB so the header-size quirk, not Node, answers oversized requests.
        serverOptions: { key: tls.key, cert: tls.cert, maxHeaderSize: 64 * 1024 },
      },
      () => resolve(s as Server),
    ) as Server;
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const target = listenHost === '0.0.0.0' || listenHost === '::' ? '127.0.0.1' : listenHost;
  return {
    port,
    origin: `https://${target}:${port}`,
    hosts: [...ALL_HOSTS],
    spkiPin: tls.spkiPin,
    certPem: tls.cert,
    chromiumArgs: [
      `--host-resolver-rules=${ALL_HOSTS.map((h) => `MAP ${h} ${target}:${port}`).join(',')}`,
      `--ignore-certificate-errors-spki-list=${tls.spkiPin}`,
    ],
    requestLog: state.requestLog,
    get quirk() {
      return state.quirk;
    },
    setQuirk(quirk) {
      if (!isQuirk(quirk)) throw new Error(`unknown quirk ${String(quirk)}`);
      state.quirk = quirk;
    },
    registry,
    hold() {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      state.gate = gate;
      return () => {
        if (state.gate === gate) state.gate = undefined;
        release();
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

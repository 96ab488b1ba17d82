/**
 * Chromium command-line flags shared by `npm start`, the guided demo and the e2e harness.
 * The sandbox adds its own two (sandbox.chromiumArgs): the host mapping and the certificate pin.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The production extension build (`npm run build`). */
export const EXTENSION_DIR = fileURLToPath(new URL('../../.output/chrome-mv3', import.meta.url));

/** Keep a dedicated profile quiet: no first-run UI, no background traffic the sandbox would not expect. */
export const QUIET_FLAGS = [
  '--no-first-run',
  '--no-default-browser-check',
  // QUIC would bypass the host mapping for hosts that advertise HTTP/3.
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Flags that load the unpacked extension (and only it, plus `others`: e2e tests load a second one next to
 * it) from the command line.
 */
export function loadExtensionFlags(dir: string = EXTENSION_DIR, others: readonly string[] = []): string[] {
  const dirs = [dir, ...others].join(',');
  return [`--disable-extensions-except=${dirs}`, `--load-extension=${dirs}`];
}

/** Chromium refuses to run as root with its sandbox on (containers, CI). */
export function rootFlags(): string[] {
  return process.getuid?.() === 0 ? ['--no-sandbox'] : [];
}

export function extensionBuilt(dir: string = EXTENSION_DIR): boolean {
  return existsSync(join(dir, 'manifest.json'));
}

/** One sandbox per test file: started before its tests with a throwaway keys directory, closed after them. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../sandbox';

/**
 * Registers the file's beforeAll/afterAll hooks and returns a getter for the running sandbox
 * (call it inside tests and hooks, not at module level). `name` prefixes the keys directory.
 * Unexpected errors are dropped unless `opts.logError` is given.
 */
export function sandboxForFile(name: string, opts: Omit<SandboxOptions, 'keysDir'> = {}): () => Sandbox {
  let sandbox: Sandbox | undefined;
  let keysDir: string | undefined;
  beforeAll(async () => {
    keysDir = mkdtempSync(join(tmpdir(), `${name}-`));
    sandbox = await startSandbox({ logError: () => undefined, ...opts, keysDir });
    // Key generation on a busy two-core machine can take several seconds.
  }, 60_000);
  afterAll(async () => {
    await sandbox?.close();
    if (keysDir) rmSync(keysDir, { recursive: true, force: true });
  });
  return () => {
    if (!sandbox) throw new Error('the sandbox runs only while the tests of this file do');
    return sandbox;
  };
}

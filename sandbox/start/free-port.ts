/** Starts the sandbox on the wanted port, or the next free one when it is taken. */
import { type Sandbox, type SandboxOptions, startSandbox } from '../index';

export class PortError extends Error {}

export async function startOnFreePort(opts: SandboxOptions & { port: number }, tries = 20): Promise<Sandbox> {
  for (let port = opts.port; ; port++) {
    try {
      return await startSandbox({ ...opts, port });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const last = opts.port === 0 || port >= opts.port + tries - 1 || port >= 65535;
      if (code === 'EADDRINUSE' && !last) continue;
      if (code === 'EADDRINUSE')
        throw new PortError(`Ports ${opts.port}–${port} are all in use; pass a free one with --port <n>.`);
      if (code === 'EACCES')
        throw new PortError(`Not allowed to listen on port ${port}; pick one above 1024.`);
      throw e;
    }
  }
}

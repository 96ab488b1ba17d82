/**
 * The DevTools protocol over Chromium's --remote-debugging-pipe (fd 3 in, fd 4 out, messages separated by
 * NUL). Used to load the extension into branded Chrome 137+ (Extensions.loadUnpacked) and to check that
 * the browser came up as expected; a few lines, so no CDP library.
 */
import type { ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

type Pending = { resolve(value: unknown): void; reject(error: Error): void };

export interface CdpPipe {
  send<T = unknown>(method: string, params?: object): Promise<T>;
}

export function cdpOverPipe(child: ChildProcess): CdpPipe {
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let buffer = '';
  fromBrowser.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let end = buffer.indexOf('\0'); end !== -1; end = buffer.indexOf('\0')) {
      const message = JSON.parse(buffer.slice(0, end)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      buffer = buffer.slice(end + 1);
      const waiter = message.id === undefined ? undefined : pending.get(message.id);
      if (!waiter) continue;
      pending.delete(message.id!);
      if (message.error) waiter.reject(new Error(message.error.message));
      else waiter.resolve(message.result);
    }
  });
  // The pipe closes when the browser exits; nothing more will answer.
  const closed = () => {
    for (const w of pending.values()) w.reject(new Error('the browser closed'));
    pending.clear();
  };
  fromBrowser.on('close', closed);
  fromBrowser.on('error', closed);
  toBrowser.on('error', closed);
  return {
    send<T>(method: string, params: object = {}) {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        toBrowser.write(`${JSON.stringify({ id, method, params })}\0`);
      });
    },
  };
}

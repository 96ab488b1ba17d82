import type { Page } from 'playwright-core';
import { protocol } from '../../../utils/messages';

/**
 * Talks to the extension's worker through its own message protocol. Names are looked up in
 * utils/messages by shape, so a renamed message (a list of summaries instead of full launches, say)
 * is still found; a missing one fails with the names that exist.
 */
export function messageName(what: string, pattern: RegExp): string {
  const names = Object.keys(protocol);
  const name = names.find((n) => pattern.test(n));
  if (!name) throw new Error(`no ${what} message in utils/messages (have: ${names.join(', ')})`);
  return name;
}

/** What the log's list reads: summaries (the full `launches/list` is kept for exports and tests). */
export const LIST = () => messageName('launch list', /^launches\/summar/);
/** The ids of the launches whose values match a query: what the log's search box asks. */
export const SEARCH = () => messageName('launch search', /^launches\/search/);
export const GET = () => messageName('launch detail', /^launches\/(get|detail)/);
export const CLEAR = () => messageName('clear log', /^launches\/clear/);

export interface Timed<T> {
  value: T;
  /** Time from sending to the answer, measured in the page. */
  ms: number;
  /** Size of the answer as JSON. */
  bytes: number;
}

type Chrome = { runtime: { sendMessage(message: unknown): Promise<unknown> } };

export async function call<T>(page: Page, type: string, payload: object = {}): Promise<Timed<T>> {
  const out = await page.evaluate(
    async ([t, p]) => {
      const chrome = (globalThis as unknown as { chrome: Chrome }).chrome;
      const start = performance.now();
      const reply = (await chrome.runtime.sendMessage({ type: t, payload: p })) as {
        ok: boolean;
        value?: unknown;
        error?: unknown;
      };
      const ms = performance.now() - start;
      return { reply, ms, bytes: JSON.stringify(reply).length };
    },
    [type, payload] as const,
  );
  if (!out.reply?.ok) throw new Error(`${type}: ${JSON.stringify(out.reply)}`);
  return { value: out.reply.value as T, ms: out.ms, bytes: out.bytes };
}

interface LaunchLike {
  id: string;
  steps?: { exchange?: { url?: string } }[];
}

/** Every exchange URL in the log: from the list when it carries steps, else from each launch's detail. */
export async function recordedUrls(page: Page): Promise<Set<string>> {
  const list = (await call<LaunchLike[]>(page, LIST())).value;
  const urls = new Set<string>();
  for (const item of list) {
    const launch = item.steps ? item : (await call<LaunchLike | null>(page, GET(), { id: item.id })).value;
    for (const step of launch?.steps ?? []) if (step.exchange?.url) urls.add(step.exchange.url);
  }
  return urls;
}

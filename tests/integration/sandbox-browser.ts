/**
 * A small browser over the sandbox that records what the extension's recorder would: top-level
 * navigations (redirect chains share a request id, hop by hop; pages of the app, which the recorder only
 * sees through webNavigation, are not fetched) and the app page's fetch() calls, judged by the CORS rules
 * a browser applies. `exchanges` are redacted `Exchange` records (utils/model.ts) ready for analyze().
 */
import { randomBytes } from 'node:crypto';
import type { Sandbox } from '../../sandbox';
import type { Exchange } from '../../utils/model';
import { CookieJar, type Reply, send } from './sandbox-client';
import { appNavigation, headerOf, type Observed, toExchange } from './sandbox-exchange';

/** Chromium's redirect limit before net::ERR_TOO_MANY_REDIRECTS. */
export const MAX_REDIRECTS = 20;
export const APP_ORIGIN = 'https://companion.smartdebugger.test';
const AUTH = 'https://authorization.cerner.com';

export type Credentials = 'omit' | 'same-origin' | 'include';

export interface Navigation {
  hops: Reply[];
  last?: Reply;
  /** Set when the chain ended on a page of the app (recorded as a webNavigation). */
  appUrl?: URL;
  error?: string;
}

export interface FetchResult {
  reply: Reply;
  /** True when the browser refused the answer (CORS): the page sees a TypeError, the recorder net::ERR_FAILED. */
  blocked: boolean;
}

/** The Fetch standard's CORS check for a cross-origin response. */
export function corsAllows(reply: Reply, origin: string, credentials: Credentials): boolean {
  const acao = headerOf(reply, 'access-control-allow-origin');
  if (credentials === 'include')
    return acao === origin && headerOf(reply, 'access-control-allow-credentials') === 'true';
  return acao === '*' || acao === origin;
}

export class Browser {
  readonly jar = new CookieJar();
  exchanges: Exchange[] = [];
  private t: number;
  private request = 1000;
  private navs = 0;
  /** Per-browser key of the code fingerprints, like the extension's per-install key. */
  private readonly fingerprintKey = randomBytes(32);

  constructor(
    private readonly sandbox: () => Sandbox,
    private readonly now: () => number = Date.now,
    readonly tabId = 1,
  ) {
    this.t = now();
  }

  /** Forget what was recorded so far (the cookies stay): the next launch is recorded alone. */
  forget(): void {
    this.exchanges = [];
  }

  private tick(): number {
    this.t = Math.max(this.t + 20, this.now());
    return this.t;
  }

  /** Opens a page of the app: seen by the recorder through webNavigation only. */
  openAppPage(url: string): void {
    const id = `webNavigation:${this.tabId}:${this.navs++}`;
    this.exchanges.push(appNavigation(this.fingerprintKey, id, this.tabId, url, this.tick()));
  }

  /** A top-level navigation (link, script, form post), following redirects like Chromium. */
  async navigate(
    url: string,
    opts: { initiator?: string; form?: Record<string, string> } = {},
  ): Promise<Navigation> {
    const requestId = String(this.request++);
    const hops: Reply[] = [];
    let next = url;
    let form = opts.form;
    for (let hop = 0; ; hop++) {
      if (next.startsWith(APP_ORIGIN)) {
        this.openAppPage(next);
        return { hops, ...(hops.length ? { last: hops.at(-1) } : {}), appUrl: new URL(next) };
      }
      const base = { requestId, hop, type: 'main_frame', initiator: opts.initiator ?? APP_ORIGIN };
      if (hop > MAX_REDIRECTS) {
        const error = 'net::ERR_TOO_MANY_REDIRECTS';
        this.record({ ...base, method: 'GET', url: next, error });
        return { hops, ...(hops.length ? { last: hops.at(-1) } : {}), error };
      }
      const cookie = this.jar.header(new URL(next).hostname);
      const reply = await send(this.sandbox(), next, {
        jar: this.jar,
        ...(form
          ? {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams(form).toString(),
            }
          : {}),
      });
      this.record({ ...base, method: form ? 'POST' : 'GET', url: next, reply, cookie, form });
      hops.push(reply);
      if (!(reply.status >= 300 && reply.status < 400 && reply.location)) return { hops, last: reply };
      next = reply.location;
      form = undefined;
    }
  }

  /** fetch() from the app's page (cross-origin to every sandbox host but the app's own). */
  async fetch(
    url: string,
    opts: { form?: Record<string, string>; headers?: Record<string, string>; credentials?: Credentials } = {},
  ): Promise<FetchResult> {
    const credentials = opts.credentials ?? 'same-origin';
    const headers: Record<string, string> = { origin: APP_ORIGIN, ...opts.headers };
    if (opts.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const method = opts.form ? 'POST' : 'GET';
    const base = { requestId: String(this.request++), hop: 0, type: 'fetch', initiator: APP_ORIGIN, method };
    // Only an Authorization header makes these requests non-simple: the browser asks first.
    if (headers.authorization) {
      const preflight = await send(this.sandbox(), url, {
        method: 'OPTIONS',
        headers: {
          origin: APP_ORIGIN,
          'access-control-request-method': method,
          'access-control-request-headers': 'authorization',
        },
      });
      if (!corsAllows(preflight, APP_ORIGIN, credentials)) {
        this.record({ ...base, url, error: 'net::ERR_FAILED' });
        return { reply: preflight, blocked: true };
      }
    }
    const reply = await send(this.sandbox(), url, {
      headers,
      ...(opts.form ? { method: 'POST', body: new URLSearchParams(opts.form).toString() } : {}),
      ...(credentials === 'include' ? { jar: this.jar } : {}),
    });
    const blocked = !corsAllows(reply, APP_ORIGIN, credentials);
    if (blocked) this.record({ ...base, url, form: opts.form, error: 'net::ERR_FAILED' });
    else this.record({ ...base, url, reply, form: opts.form });
    return { reply, blocked };
  }

  private record(o: Omit<Observed, 'tabId' | 'startedAt'>): void {
    this.exchanges.push(toExchange({ ...o, tabId: this.tabId, startedAt: this.tick() }, this.fingerprintKey));
  }
}

/** The page the Loading page's script navigates to. */
export function bootstrapTarget(loadingPage: string): string | undefined {
  const m = /<script id="bootstrap" type="application\/json">(.*?)<\/script>/s.exec(loadingPage);
  return m ? (JSON.parse(m[1] ?? '{}') as { sessionServiceUri?: string }).sessionServiceUri : undefined;
}

export { AUTH };

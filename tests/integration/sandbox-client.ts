/**
 * Test client for the sandbox: real HTTPS to 127.0.0.1:<port> with the Oracle hostname as SNI and Host,
 * trusting only the sandbox certificate, plus a small cookie jar (host-only and Domain= cookies).
 */
import { request as httpsRequest } from 'node:https';
import type { Sandbox } from '../../sandbox';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  location?: string;
  url: string;
  json<T = Record<string, unknown>>(): T;
}

interface StoredCookie {
  name: string;
  value: string;
  domain: string;
  hostOnly: boolean;
}

export class CookieJar {
  cookies: StoredCookie[] = [];

  store(host: string, setCookie: string[] | string | undefined): void {
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair = '', ...attrs] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const domainAttr = attrs.map((a) => a.trim()).find((a) => /^domain=/i.test(a));
      const domain = domainAttr ? domainAttr.slice(7).replace(/^\./, '').toLowerCase() : host;
      this.cookies = this.cookies.filter((c) => !(c.name === name && c.domain === domain));
      this.cookies.push({ name, value, domain, hostOnly: !domainAttr });
    }
  }

  header(host: string): string | undefined {
    const matching = this.cookies.filter((c) =>
      c.hostOnly ? c.domain === host : host === c.domain || host.endsWith(`.${c.domain}`),
    );
    return matching.length ? matching.map((c) => `${c.name}=${c.value}`).join('; ') : undefined;
  }

  names(host: string): string[] {
    return (this.header(host) ?? '')
      .split('; ')
      .filter(Boolean)
      .map((p) => p.split('=')[0] ?? '');
  }

  clear(): void {
    this.cookies = [];
  }
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  jar?: CookieJar;
}

/** `url` is an absolute https URL on one of the sandbox hostnames; the path is sent exactly as given. */
export function send(sandbox: Sandbox, url: string, opts: RequestOptions = {}): Promise<Reply> {
  const m = /^https:\/\/([^/?#]+)(.*)$/.exec(url);
  if (!m) throw new Error(`not an https URL: ${url}`);
  const host = m[1] ?? '';
  const path = m[2] || '/';
  const headers: Record<string, string> = { host, ...opts.headers };
  const cookie = opts.jar?.header(host);
  if (cookie && !headers.cookie) headers.cookie = cookie;
  if (opts.body !== undefined) headers['content-length'] = String(Buffer.byteLength(opts.body));
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port: sandbox.port,
        servername: host,
        ca: sandbox.certPem,
        method: opts.method ?? 'GET',
        path,
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          opts.jar?.store(host, res.headers['set-cookie']);
          const body = Buffer.concat(chunks).toString('utf8');
          const location = res.headers.location;
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            url,
            ...(location ? { location: new URL(location, url).toString() } : {}),
            json: <T>() => JSON.parse(body) as T,
          });
        });
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

export function form(params: Record<string, string>): RequestOptions {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  };
}

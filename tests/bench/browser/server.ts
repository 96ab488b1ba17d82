import { mkdtempSync, rmSync } from 'node:fs';
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateTls } from '../../../sandbox/certs';

/**
 * The traffic the browser benchmarks send, served over HTTPS (HTTP/2, as Oracle's hosts are) on
 * 127.0.0.1 under Oracle host names, so every request is one the extension watches:
 *
 * * `https://bench.cerner.com/page?n=200&r=…` — a page that fetches n FHIR reads at once and records
 *   in `window.benchDone` the time from navigation start until the last answer arrived;
 * * `https://bench.cerner.com/app/launch?iss=…&launch=L` — a SMART launch in 25 requests: launch page,
 *   discovery, authorize (302 with a Set-Cookie), callback, token POST (form body) and 20 FHIR reads;
 *   the callback page sets `document.title = 'done'` at the end.
 */

export const PAGE_HOST = 'bench.cerner.com';
export const FHIR_HOST = 'fhir-bench.cerner.com';
export const AUTH_HOST = 'authorization.cerner.com';
const HOSTS = [PAGE_HOST, FHIR_HOST, AUTH_HOST];
export const FHIR_BASE = `https://${FHIR_HOST}/r4/bench`;
const AUTH_BASE = `https://${AUTH_HOST}/tenants/bench/protocols/oauth2/profiles/smart-v1`;
export const FHIR_READS_PER_LAUNCH = 20;
export const REQUESTS_PER_LAUNCH = 5 + FHIR_READS_PER_LAUNCH;

export interface BenchServer {
  chromiumArgs: string[];
  /** Requests answered so far. */
  count(): number;
  close(): Promise<void>;
}

const html = (script: string) =>
  `<!doctype html><meta charset="utf-8"><title>bench</title><script>${script}</script>`;

const pageScript = `
const q = new URLSearchParams(location.search);
const n = Number(q.get('n')), r = q.get('r');
Promise.all(Array.from({ length: n }, (_, i) =>
  fetch('${FHIR_BASE}/Observation/' + r + '-' + i).then((res) => res.text()),
)).then(() => { window.benchDone = performance.now(); });`;

const launchScript = `
const q = new URLSearchParams(location.search);
const launch = q.get('launch');
fetch(q.get('iss') + '/.well-known/smart-configuration').then((r) => r.json()).then(() => {
  const p = new URLSearchParams({ response_type: 'code', client_id: 'bench', scope: 'launch openid fhirUser',
    redirect_uri: 'https://${PAGE_HOST}/app/cb', launch, state: 's' + launch, aud: q.get('iss') });
  location.href = '${AUTH_BASE}/personas/provider/authorize?' + p;
});`;

const callbackScript = `
const q = new URLSearchParams(location.search);
const code = q.get('code'), id = q.get('state').slice(1);
const form = new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: 'v'.repeat(43),
  redirect_uri: 'https://${PAGE_HOST}/app/cb', client_id: 'bench' });
fetch('${AUTH_BASE}/token', { method: 'POST', body: form }).then((r) => r.json()).then(() =>
  Promise.all(Array.from({ length: ${FHIR_READS_PER_LAUNCH} }, (_, i) =>
    fetch('${FHIR_BASE}/Observation/' + id + '-' + i).then((r) => r.text()))),
).then(() => { document.title = 'done'; });`;

function answer(req: Http2ServerRequest, res: Http2ServerResponse) {
  const url = new URL(req.url, `https://${req.headers[':authority'] ?? req.headers.host}`);
  const send = (status: number, type: string, body: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, {
      'content-type': type,
      'cache-control': 'no-store',
      'access-control-allow-origin': '*',
      ...extra,
    });
    res.end(body);
  };
  if (url.hostname === PAGE_HOST && url.pathname === '/page') return send(200, 'text/html', html(pageScript));
  if (url.hostname === PAGE_HOST && url.pathname === '/app/launch')
    return send(200, 'text/html', html(launchScript));
  if (url.hostname === PAGE_HOST && url.pathname === '/app/cb')
    return send(200, 'text/html', html(callbackScript));
  if (url.pathname.endsWith('/.well-known/smart-configuration'))
    return send(
      200,
      'application/json',
      JSON.stringify({ authorization_endpoint: `${AUTH_BASE}/authorize` }),
    );
  if (url.pathname.endsWith('/authorize')) {
    const back = new URL('https://bench.cerner.com/app/cb');
    back.searchParams.set('code', `c${url.searchParams.get('launch')}`);
    back.searchParams.set('state', url.searchParams.get('state') ?? '');
    return send(302, 'text/plain', '', {
      location: back.href,
      'set-cookie': 'bench-session=1; Secure; Path=/',
    });
  }
  if (url.pathname.endsWith('/token'))
    return send(200, 'application/json', '{"access_token":"a","token_type":"Bearer","expires_in":570}');
  send(200, 'application/fhir+json', '{"resourceType":"Observation","status":"final"}');
}

export async function startBenchServer(): Promise<BenchServer> {
  const keysDir = mkdtempSync(join(tmpdir(), 'sld-bench-keys-'));
  const tls = await loadOrCreateTls(keysDir, HOSTS);
  let answered = 0;
  const server = createSecureServer({ key: tls.key, cert: tls.cert, allowHTTP1: true }, (req, res) => {
    answered++;
    // A POST's body must be read before the answer is complete.
    req.resume();
    req.on('end', () => answer(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    chromiumArgs: [
      `--host-resolver-rules=${HOSTS.map((h) => `MAP ${h} 127.0.0.1:${port}`).join(',')}`,
      `--ignore-certificate-errors-spki-list=${tls.spkiPin}`,
    ],
    count: () => answered,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        rmSync(keysDir, { recursive: true, force: true });
      }),
  };
}

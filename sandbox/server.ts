/**
 * The sandbox as one fetch handler: routes by Host to one Hono app per Oracle host, stamps every response
 * with `Cerner-Correlation-Id`, records the request log, and is the one place unexpected errors are caught
 * (answered Oracle-style as server_error and logged).
 */
import { randomUUID } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { HOSTS } from './config';
import { authorizationHost } from './hosts/authorization';
import { companionHost } from './hosts/companion';
import { fhirHost } from './hosts/fhir';
import { outcome } from './hosts/fhir-auth';
import { smartHost } from './hosts/smart';
import { page } from './html';
import { errorPageUrl, tokenError } from './oauth/errors';
import { parseCookies } from './oauth/sessions';
import { MAX_LOG_ENTRIES, type SandboxState } from './state';

function serverError(host: string, c: Context): Response {
  const path = c.req.path;
  if (host === HOSTS.authorization) {
    if (/\/token|tokeninfo/.test(path)) return c.json(tokenError('server_error', 'serverError'), 500);
    return c.redirect(errorPageUrl('grantServerError', {}), 303);
  }
  if (host.startsWith('fhir-')) {
    return c.body(JSON.stringify(outcome('exception', 'Internal error.')), 500, {
      'Content-Type': 'application/fhir+json',
    });
  }
  return c.html(page('Server error', '<h1>Server error</h1>'), 500);
}

function hostApps(sandbox: SandboxState): Map<string, Hono> {
  const apps = new Map<string, Hono>([
    [HOSTS.smart, smartHost(sandbox)],
    [HOSTS.authorization, authorizationHost(sandbox)],
    [HOSTS.ehr, fhirHost(sandbox, HOSTS.ehr)],
    [HOSTS.myrecord, fhirHost(sandbox, HOSTS.myrecord)],
    [HOSTS.open, fhirHost(sandbox, HOSTS.open)],
    [HOSTS.companion, companionHost(sandbox)],
  ]);
  for (const [host, app] of apps) {
    app.onError((err, c) => {
      sandbox.logError(err, `${c.req.method} https://${host}${c.req.path}`);
      return serverError(host, c);
    });
  }
  return apps;
}

export function hostOf(request: Request): string {
  const raw = request.headers.get('host') ?? new URL(request.url).host;
  return raw.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
}

export type FetchHandler = (request: Request) => Promise<Response>;

export function createHandler(sandbox: SandboxState): FetchHandler {
  const apps = hostApps(sandbox);
  return async (request) => {
    while (sandbox.gate) await sandbox.gate;
    const host = hostOf(request);
    const url = new URL(request.url);
    const app = apps.get(host);
    let response: Response;
    try {
      response = app
        ? await app.fetch(request)
        : new Response(page('Unknown host', `<h1>Unknown host</h1>`), {
            status: 404,
            headers: { 'Content-Type': 'text/html' },
          });
    } catch (err) {
      sandbox.logError(err, `${request.method} ${request.url}`);
      response = new Response('Internal error', { status: 500 });
    }
    // Copy so headers are mutable whatever created the response.
    response = new Response(response.body, response);
    response.headers.set('Cerner-Correlation-Id', randomUUID());
    if (sandbox.requestLog.length >= MAX_LOG_ENTRIES) sandbox.requestLog.shift();
    sandbox.requestLog.push({
      at: sandbox.now(),
      method: request.method,
      host,
      path: url.pathname,
      url: `https://${host}${url.pathname}${url.search}`,
      status: response.status,
      cookieNames: [...parseCookies(request.headers.get('cookie')).keys()],
    });
    return response;
  };
}

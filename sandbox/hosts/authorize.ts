/**
 * `/tenants/<t>/protocols/oauth2/profiles/smart-v1/personas/<persona>/authorize` (GET and POST).
 * A first visit answers Oracle's 200 "Loading..." page whose script navigates to the session-api hop
 * (`to=` = this URL + initialRequestId + isForceAuthn=true, then a top-level forceAuthn=true). Coming back
 * with initialRequestId and a session, it redirects to the app with `code` and `state`; coming back after
 * the user cancelled sign-in, with `error=access_denied` and the `authentication:cancelled` URN.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { AUTH_ORIGIN, type Persona, realmFor } from '../config';
import { esc, page, scriptJson } from '../html';
import { issueCode } from '../oauth/codes';
import { errorPageUrl, errorRedirect } from '../oauth/errors';
import { hasPatientScopes } from '../oauth/scopes';
import { parseCookies, sessionFor } from '../oauth/sessions';
import type { SandboxState } from '../state';
import { checkAuthorize, type ValidAuthorize } from './authorize-checks';

export function sessionApiUrl(realm: string, to: string, forceAuthn: boolean): string {
  return `${AUTH_ORIGIN}/session-api/realm/${encodeURIComponent(realm)}?to=${encodeURIComponent(to)}${forceAuthn ? '&forceAuthn=true' : ''}`;
}

function loadingPage(sessionServiceUri: string): string {
  const bootstrap = scriptJson({ sessionServiceUri });
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Loading...</title></head><body><p>Loading...</p><noscript><a href="${esc(sessionServiceUri)}">Continue</a></noscript><script id="bootstrap" type="application/json">${bootstrap}</script><script>window.location.href = JSON.parse(document.getElementById('bootstrap').textContent).sessionServiceUri;</script></body></html>`;
}

/** The authorize request as a GET URL (a POSTed form becomes the query). */
async function requestParams(c: Context): Promise<{ url: string; params: URLSearchParams }> {
  const url = new URL(c.req.url);
  const base = `${AUTH_ORIGIN}${url.pathname}`;
  if (c.req.method === 'POST') {
    const params = new URLSearchParams(await c.req.text());
    return { url: `${base}?${params}`, params };
  }
  return { url: `${base}${url.search}`, params: url.searchParams };
}

export async function authorize(c: Context, sandbox: SandboxState): Promise<Response> {
  const tenant = c.req.param('tenant') ?? '';
  const persona = c.req.param('persona') as Persona;
  const { url, params } = await requestParams(c);
  const check = checkAuthorize(sandbox, tenant, persona, params);
  if (!check.ok) {
    if ('page' in check) {
      const q = { persona, client: params.get('client_id') ?? '', tenant };
      return c.redirect(errorPageUrl(check.page, q), 303);
    }
    return c.redirect(errorRedirect(check.redirectUri, check.error, check.urn, check.state), 302);
  }
  const realm = realmFor(tenant, persona);
  const requestId = params.get('initialRequestId');
  if (requestId === null) {
    const sep = url.includes('?') ? '&' : '?';
    const to = `${url}${sep}initialRequestId=${randomUUID()}&isForceAuthn=true`;
    return c.html(loadingPage(sessionApiUrl(realm, to, true)));
  }
  if (sandbox.cancelledSignIns.delete(requestId))
    return c.redirect(
      errorRedirect(check.redirectUri, 'access_denied', 'authenticationCancelled', check.state),
      302,
    );
  const session = sessionFor(sandbox, parseCookies(c.req.header('cookie')), realm);
  if (!session) return c.redirect(sessionApiUrl(realm, url, false), 302);
  return completeAuthorize(c, sandbox, check, tenant, persona, session.user);
}

function completeAuthorize(
  c: Context,
  sandbox: SandboxState,
  check: ValidAuthorize,
  tenant: string,
  persona: Persona,
  user: SandboxState['data']['users'][number],
): Response {
  const fail = (error: 'access_denied', urn: 'missingPatient' | 'mismatchedIdentity') =>
    c.redirect(errorRedirect(check.redirectUri, error, urn, check.state), 302);
  const launch = check.launch;
  if (launch?.user && user.resourceType === 'Practitioner' && launch.user !== user.id)
    return fail('access_denied', 'mismatchedIdentity');
  const patient = persona === 'patient' ? user.id : launch?.patient;
  if (hasPatientScopes(check.scopes) && !patient) return fail('access_denied', 'missingPatient');
  const grant = {
    clientId: check.app.clientId,
    tenant,
    persona,
    fhirHost: check.fhirHost,
    scopes: check.scopes,
    user,
    ...(patient ? { patient } : {}),
    ...(launch?.encounter ? { encounter: launch.encounter } : {}),
  };
  const code = issueCode(sandbox, grant, check.redirectUri, check.codeChallenge);
  const target = new URL(check.redirectUri);
  target.searchParams.set('code', code);
  if (check.state !== undefined) target.searchParams.set('state', check.state);
  return c.redirect(target.toString(), 302);
}

/** Oracle's error page for `/errors/<URN>/instances/<uuid>`. */
export function errorPage(
  urn: string,
  instance: string,
  explanation?: { title: string; explanation: string },
) {
  return page(
    'Error',
    `<h1>Something went wrong</h1><p class="error"><code id="urn">${esc(urn)}</code></p>${
      explanation ? `<h2>${esc(explanation.title)}</h2><p>${esc(explanation.explanation)}</p>` : ''
    }<p>Instance: <code>${esc(instance)}</code></p>`,
  );
}

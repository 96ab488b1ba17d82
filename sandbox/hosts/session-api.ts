/**
 * authorization.cerner.com session plumbing: `/session-api/realm/<realm>` (where the forceAuthn and
 * redirect-loop quirks live), the sandbox IdP login form, `/session-api/session/<id>` and
 * `/my-session/status`.
 * Cancelling the login form returns to the `to=` authorize URL without a session; the authorization server
 * then sends the app `error=access_denied` with the session-service `authentication:cancelled` URN.
 */
import type { Context, Hono } from 'hono';
import { AUTH_ORIGIN, type Persona, TENANTS } from '../config';
import { esc, page } from '../html';
import { createSession, hasSessionCookie, parseCookies, SESSION_COOKIE, sessionFor } from '../oauth/sessions';
import { remember, type SandboxState } from '../state';

/** Short body like the one Oracle's front end sends. */
export const BAD_REQUEST_HTML =
  '<html><head><title>400 Bad Request</title></head><body><h1>Bad Request</h1><p>Your browser sent a request that this server could not understand.</p></body></html>';

function parseRealm(realm: string): { tenant: string; persona: Persona } | undefined {
  const persona: Persona = realm.endsWith('-ch') ? 'patient' : 'provider';
  const tenant = persona === 'patient' ? realm.slice(0, -3) : realm;
  return TENANTS.has(tenant) ? { tenant, persona } : undefined;
}

/** `to=` must lead back to authorization.cerner.com: never an open redirect. */
function safeTo(to: string | null): string | undefined {
  if (!to || !URL.canParse(to)) return undefined;
  return new URL(to).origin === AUTH_ORIGIN ? to : undefined;
}

/**
 * redirect-loop quirk: where /my-session/status sends the browser back to, only ever a session-api URL
 * of this host (never an open redirect).
 */
function loopBack(url: string | null): string | undefined {
  if (!url || !URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  return parsed.origin === AUTH_ORIGIN && parsed.pathname.startsWith('/session-api/realm/') ? url : undefined;
}

function loginUrl(realm: string, to: string): string {
  return `${AUTH_ORIGIN}/idp/realm/${encodeURIComponent(realm)}/login?to=${encodeURIComponent(to)}`;
}

function loginForm(realm: string, to: string, persona: Persona, error?: string): string {
  const hint = persona === 'patient' ? 'nancysmart / Cerner01' : 'portal / portal';
  return page(
    'Sign in',
    `<h1>Sign in</h1><p>Sandbox ${persona} login (${esc(hint)}).</p>${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/idp/realm/${esc(encodeURIComponent(realm))}/login">
<input type="hidden" name="to" value="${esc(to)}">
<p><label>Username <input name="username" id="username" autocomplete="username"></label></p>
<p><label>Password <input name="password" id="password" type="password" autocomplete="current-password"></label></p>
<p><button type="submit" id="signin">Sign in</button>
<button type="submit" id="cancel" name="action" value="cancel" formnovalidate>Cancel</button></p></form>`,
  );
}

function sessionApi(c: Context, sandbox: SandboxState): Response {
  const realm = c.req.param('realm') ?? '';
  const url = new URL(c.req.url);
  const to = safeTo(url.searchParams.get('to'));
  if (!parseRealm(realm)) return c.html(BAD_REQUEST_HTML, 404);
  if (!to) return c.html(BAD_REQUEST_HTML, 400);
  const cookies = parseCookies(c.req.header('cookie'));
  const forceAuthn = url.searchParams.get('forceAuthn') === 'true';
  if (sandbox.quirk === 'forceauthn-session' && forceAuthn && hasSessionCookie(cookies))
    return c.html(BAD_REQUEST_HTML, 400);
  if (sandbox.quirk === 'redirect-loop' && hasSessionCookie(cookies))
    return c.redirect(
      `${AUTH_ORIGIN}/my-session/status?return=${encodeURIComponent(`${AUTH_ORIGIN}${url.pathname}${url.search}`)}`,
      302,
    );
  if (sessionFor(sandbox, cookies, realm)) return c.redirect(to, 303);
  return c.redirect(loginUrl(realm, to), 303);
}

async function login(c: Context, sandbox: SandboxState): Promise<Response> {
  const realm = c.req.param('realm') ?? '';
  const parsed = parseRealm(realm);
  if (!parsed) return c.html(BAD_REQUEST_HTML, 404);
  if (c.req.method === 'GET') {
    const to = safeTo(new URL(c.req.url).searchParams.get('to'));
    return to ? c.html(loginForm(realm, to, parsed.persona)) : c.html(BAD_REQUEST_HTML, 400);
  }
  const form = new URLSearchParams(await c.req.text());
  const to = safeTo(form.get('to'));
  if (!to) return c.html(BAD_REQUEST_HTML, 400);
  if (form.get('action') === 'cancel') return cancelLogin(c, sandbox, to);
  const user = sandbox.data.users.find(
    (u) =>
      u.username === form.get('username') &&
      u.password === form.get('password') &&
      u.persona === parsed.persona,
  );
  if (!user) return c.html(loginForm(realm, to, parsed.persona, 'Invalid username or password.'), 200);
  const { setCookies } = createSession(sandbox, realm, parsed.tenant, parsed.persona, user);
  for (const cookie of setCookies) c.header('Set-Cookie', cookie, { append: true });
  return c.redirect(to, 303);
}

/**
 * The user cancelled sign-in: no session, back to the authorize request, which answers the app with
 * `error=access_denied`. Only an authorize request that went through the Loading page (it carries
 * `initialRequestId`) can be cancelled.
 */
function cancelLogin(c: Context, sandbox: SandboxState, to: string): Response {
  const requestId = new URL(to).searchParams.get('initialRequestId');
  if (!requestId) return c.html(BAD_REQUEST_HTML, 400);
  remember(sandbox.cancelledSignIns, requestId, sandbox.now());
  return c.redirect(to, 303);
}

export function mountSessionApi(app: Hono, sandbox: SandboxState): void {
  app.get('/session-api/realm/:realm', (c) => sessionApi(c, sandbox));
  app.on(['GET', 'POST'], '/idp/realm/:realm/login', (c) => login(c, sandbox));
  app.get('/session-api/session/:id', (c) => {
    const s = sandbox.sessions.get(c.req.param('id'));
    return s ? c.json({ id: s.id, realm: s.realm, active: true }) : c.json({ active: false }, 404);
  });
  app.get('/my-session/status', (c) => {
    const back = loopBack(new URL(c.req.url).searchParams.get('return'));
    if (sandbox.quirk === 'redirect-loop' && back) return c.redirect(back, 302);
    const id = parseCookies(c.req.header('cookie')).get(SESSION_COOKIE);
    return c.json({ activeSession: id !== undefined && sandbox.sessions.has(id) });
  });
}

/**
 * Token endpoint (host-qualified and legacy paths), revoke and tokeninfo. Errors are JSON `{error, error_uri}`;
 * every answer has `Cache-Control: no-store` and `Access-Control-Allow-Origin: *` like Oracle's.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { SECURED_FHIR_HOSTS, TENANTS } from '../config';
import { redeemCode } from '../oauth/codes';
import { type OAuthErrorCode, tokenError, type UrnKey } from '../oauth/errors';
import { verifierMatches } from '../oauth/pkce';
import { issueTokens } from '../oauth/tokens';
import type { RegisteredApp } from '../registry';
import type { SandboxState } from '../state';

const BASE = '/tenants/:tenant/protocols/oauth2/profiles/smart-v1';
const HOSTED = '/tenants/:tenant/hosts/:fhirHost/protocols/oauth2/profiles/smart-v1';
const TOKEN_CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept',
  'Access-Control-Expose-Headers': 'Cerner-Correlation-Id',
  'Access-Control-Max-Age': '600',
};
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

function fail(c: Context, error: OAuthErrorCode, urn: UrnKey, status: 400 | 401 = 400): Response {
  if (status === 401) c.header('WWW-Authenticate', 'Basic realm="authorization.cerner.com"');
  return c.json(tokenError(error, urn), status, { ...TOKEN_CORS, ...NO_STORE });
}

type ClientAuth = { ok: true; app: RegisteredApp } | { ok: false; response: Response };

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** client_secret_basic for confidential clients, `client_id` in the form for public ones. */
function authenticate(c: Context, sandbox: SandboxState, form: URLSearchParams): ClientAuth {
  const header = c.req.header('authorization');
  let id = form.get('client_id') ?? undefined;
  let secret: string | undefined;
  if (header !== undefined) {
    const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header.trim());
    const decoded = m ? Buffer.from(m[1] ?? '', 'base64').toString('utf8') : '';
    const at = decoded.indexOf(':');
    if (at < 1) return { ok: false, response: fail(c, 'invalid_client', 'invalidAuthorizationHeader', 401) };
    try {
      id = decodeURIComponent(decoded.slice(0, at).replace(/\+/g, ' '));
      secret = decodeURIComponent(decoded.slice(at + 1).replace(/\+/g, ' '));
    } catch {
      return { ok: false, response: fail(c, 'invalid_client', 'invalidAuthorizationHeader', 401) };
    }
    const formId = form.get('client_id');
    if (formId !== null && formId !== id)
      return { ok: false, response: fail(c, 'invalid_request', 'invalidRequest') };
  }
  const app = id ? sandbox.registry.byClientId(id) : undefined;
  if (!app) return { ok: false, response: fail(c, 'invalid_client', 'invalidClientCredentials', 401) };
  if (app.type === 'confidential' && !(secret !== undefined && safeEqual(secret, app.clientSecret ?? '')))
    return { ok: false, response: fail(c, 'invalid_client', 'invalidClientCredentials', 401) };
  return { ok: true, app };
}

async function token(c: Context, sandbox: SandboxState): Promise<Response> {
  const fhirHost = c.req.param('fhirHost');
  if (!TENANTS.has(c.req.param('tenant') ?? '')) return fail(c, 'invalid_request', 'unknownTenant');
  if (fhirHost !== undefined && !SECURED_FHIR_HOSTS.includes(fhirHost))
    return fail(c, 'invalid_request', 'unknownResourceServer');
  if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded'))
    return fail(c, 'invalid_request', 'invalidRequest');
  const form = new URLSearchParams(await c.req.text());
  const auth = authenticate(c, sandbox, form);
  if (!auth.ok) return auth.response;
  const grantType = form.get('grant_type');
  const ok = (body: object) => c.json(body, 200, { ...TOKEN_CORS, ...NO_STORE });

  if (grantType === 'authorization_code') {
    const code = form.get('code');
    if (!code) return fail(c, 'invalid_request', 'codeInvalid');
    const redeemed = redeemCode(sandbox, code);
    if (!redeemed.ok) return fail(c, 'invalid_grant', 'codeInvalidOrExpired');
    const entry = redeemed.code;
    if (entry.clientId !== auth.app.clientId) return fail(c, 'invalid_grant', 'codeClientMismatch');
    if (form.get('redirect_uri') !== entry.redirectUri)
      return fail(c, 'invalid_grant', 'tokenInvalidRedirectUri');
    if (entry.codeChallenge && !verifierMatches(form.get('code_verifier') ?? undefined, entry.codeChallenge))
      return fail(c, 'invalid_grant', 'codeInvalid');
    const {
      code: _c,
      redirectUri: _r,
      codeChallenge: _x,
      expiresAt: _e,
      used: _u,
      accessTokens,
      ...grant
    } = entry;
    const body = await issueTokens(sandbox, grant);
    accessTokens.push(body.access_token);
    return ok(body);
  }
  if (grantType === 'refresh_token') {
    const refresh = sandbox.refreshTokens.get(form.get('refresh_token') ?? '');
    if (!refresh || refresh.revoked || refresh.clientId !== auth.app.clientId)
      return fail(c, 'invalid_grant', 'codeInvalidOrExpired');
    const asked = form.get('scope');
    const scopes = asked ? asked.split(/\s+/).filter(Boolean) : refresh.scopes;
    if (scopes.some((s) => !refresh.scopes.includes(s))) return fail(c, 'invalid_scope', 'invalidRequest');
    const { token: existing, revoked: _r, ...grant } = refresh;
    return ok(await issueTokens(sandbox, { ...grant, scopes }, existing));
  }
  return fail(c, 'unsupported_grant_type', 'unsupportedGrantType');
}

function tokenInfo(sandbox: SandboxState, value: string) {
  const t = sandbox.accessTokens.get(value);
  if (!t || t.revoked || sandbox.now() > t.expiresAt) return { active: false };
  return {
    active: true,
    scope: t.scopes.join(' '),
    client_id: t.clientId,
    sub: t.user.id,
    tenant: t.tenant,
    exp: Math.floor(t.expiresAt / 1000),
    ...(t.patient ? { patient: t.patient } : {}),
  };
}

export function mountToken(app: Hono, sandbox: SandboxState): void {
  for (const path of [`${HOSTED}/token`, `${BASE}/token`]) {
    app.post(path, (c) => token(c, sandbox));
    app.options(path, (c) => c.body(null, 204, TOKEN_CORS));
  }
  app.post(`${BASE}/token/revoke`, async (c) => {
    const value = new URLSearchParams(await c.req.text()).get('token') ?? '';
    for (const store of [sandbox.accessTokens, sandbox.refreshTokens]) {
      const t = store.get(value);
      if (t) t.revoked = true;
    }
    return c.body(null, 200, { ...TOKEN_CORS, ...NO_STORE });
  });
  for (const path of ['/tokeninfo', `${BASE}/token/tokeninfo`]) {
    app.on(['GET', 'POST'], path, async (c) => {
      const bearer = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
      const form =
        c.req.method === 'POST' ? new URLSearchParams(await c.req.text()) : new URL(c.req.url).searchParams;
      return c.json(tokenInfo(sandbox, form.get('token') ?? bearer ?? ''), 200, {
        ...TOKEN_CORS,
        ...NO_STORE,
      });
    });
  }
}

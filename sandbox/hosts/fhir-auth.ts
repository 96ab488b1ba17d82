/** Bearer checks of the secured FHIR hosts, answered like Oracle (401 invalid_token, 403 insufficient_scope). */
import type { Context } from 'hono';
import { accessFor } from '../oauth/scopes';
import type { AccessToken, SandboxState } from '../state';

export const FHIR_JSON = 'application/fhir+json';

export function outcome(code: string, diagnostics: string, details?: string) {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code, ...(details ? { details: { text: details } } : {}), diagnostics }],
  };
}

export function fhirJson(c: Context, body: unknown, status: 200 | 400 | 401 | 403 | 404 = 200, headers = {}) {
  return c.body(JSON.stringify(body), status, { 'Content-Type': FHIR_JSON, ...headers });
}

export type BearerCheck = { ok: true; token: AccessToken } | { ok: false; response: Response };

export function checkBearer(c: Context, sandbox: SandboxState, host: string, tenant: string): BearerCheck {
  const value = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
  const token = value ? sandbox.accessTokens.get(value) : undefined;
  const valid =
    token &&
    !token.revoked &&
    sandbox.now() <= token.expiresAt &&
    token.fhirHost === host &&
    token.tenant === tenant;
  if (token && valid) return { ok: true, token };
  const challenge = value ? `Bearer realm="${host}", error="invalid_token"` : `Bearer realm="${host}"`;
  const body = outcome(
    'security',
    value ? 'The access token is invalid or expired.' : 'Authorization required.',
  );
  return { ok: false, response: fhirJson(c, body, 401, { 'WWW-Authenticate': challenge }) };
}

/** Oracle's body when no granted scope covers the resource path. */
export function insufficientScope(c: Context, host: string): Response {
  const error =
    'error="insufficient_scope", error_uri="urn:cerner:error:oauth2:resource-access:insufficient-scopes"';
  const body = outcome(
    'forbidden',
    `Bearer realm="${host}", ${error}, error_description="no_scope_for_resource_path"`,
    'insufficient_scope',
  );
  return fhirJson(c, body, 403, { 'WWW-Authenticate': `Bearer realm="${host}", ${error}` });
}

export type Scoped = { ok: true; patient?: string } | { ok: false; response: Response };

/** Which patient the caller is limited to (undefined: any), or a 403. */
export function scopeFor(
  c: Context,
  token: AccessToken,
  host: string,
  type: string,
  letter: 'r' | 's',
): Scoped {
  const access = accessFor(token.scopes, type, letter);
  if (access.anyPatient) return { ok: true };
  if (access.ownPatient && token.patient) return { ok: true, patient: token.patient };
  return { ok: false, response: insufficientScope(c, host) };
}

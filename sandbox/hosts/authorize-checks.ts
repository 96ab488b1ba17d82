/**
 * Validation of an authorize request, in Oracle's order: tenant, client and redirect_uri problems go to an
 * error page (the redirect cannot be trusted); everything after that returns to the app with an error.
 */
import { fhirBase, fhirHostFor, type Persona, SECURED_FHIR_HOSTS, TENANTS } from '../config';
import type { OAuthErrorCode, UrnKey } from '../oauth/errors';
import { decideScopes } from '../oauth/scopes';
import type { RegisteredApp } from '../registry';
import type { LaunchContext, SandboxState } from '../state';

export interface ValidAuthorize {
  ok: true;
  app: RegisteredApp;
  redirectUri: string;
  state?: string;
  fhirHost: string;
  launch?: LaunchContext;
  scopes: string[];
  codeChallenge?: string;
}

export type AuthorizeCheck =
  | ValidAuthorize
  | { ok: false; page: UrnKey }
  | { ok: false; redirectUri: string; error: OAuthErrorCode; urn: UrnKey; state?: string };

const SINGLE = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'aud', 'launch'];

type RedirectCheck = { ok: true } | { ok: false; urn: UrnKey };

/** Strict match; a trailing-slash difference gets its own URN; extra query on the sent URI is tolerated. */
export function matchRedirectUri(app: RegisteredApp, sent: string): RedirectCheck {
  if (!URL.canParse(sent)) return { ok: false, urn: 'redirectNotAbsolute' };
  if (app.redirectUris.includes(sent)) return { ok: true };
  const url = new URL(sent);
  const bare = `${url.origin}${url.pathname}`;
  for (const registered of app.redirectUris) {
    const r = new URL(registered);
    if (r.search === '' && `${r.origin}${r.pathname}` === bare) return { ok: true };
    const a = `${r.origin}${r.pathname}`.replace(/\/$/, '');
    if (a === bare.replace(/\/$/, '') && r.search === url.search)
      return { ok: false, urn: 'redirectTrailingSlash' };
  }
  return { ok: false, urn: 'redirectNotRegistered' };
}

function checkAudience(aud: string, tenant: string, persona: Persona): UrnKey | undefined {
  if (!URL.canParse(aud)) return 'unknownResourceServer';
  const url = new URL(aud);
  if (url.protocol !== 'https:' || !SECURED_FHIR_HOSTS.includes(url.hostname)) return 'unknownResourceServer';
  const expected = fhirBase(fhirHostFor(persona), tenant);
  return aud.replace(/\/$/, '') === expected ? undefined : 'audienceNotWhitelisted';
}

export function checkAuthorize(
  sandbox: SandboxState,
  tenant: string,
  persona: Persona,
  params: URLSearchParams,
): AuthorizeCheck {
  if (!TENANTS.has(tenant)) return { ok: false, page: 'unknownTenant' };
  if (SINGLE.some((k) => params.getAll(k).length > 1)) return { ok: false, page: 'invalidRequest' };
  const app = sandbox.registry.byClientId(params.get('client_id') ?? '');
  if (!app) return { ok: false, page: 'unknownClient' };
  const redirectUri = params.get('redirect_uri');
  if (!redirectUri) return { ok: false, page: 'invalidRedirectUri' };
  const match = matchRedirectUri(app, redirectUri);
  if (!match.ok) return { ok: false, page: match.urn };

  const state = params.get('state') ?? undefined;
  const fail = (error: OAuthErrorCode, urn: UrnKey): AuthorizeCheck => ({
    ok: false,
    redirectUri,
    error,
    urn,
    ...(state !== undefined ? { state } : {}),
  });
  if (params.get('response_type') !== 'code')
    return fail('unsupported_response_type', 'unsupportedResponseType');
  if (app.persona !== persona) return fail('unauthorized_client', 'personaMismatch');
  const aud = params.get('aud');
  if (!aud) return fail('invalid_request', 'audienceRequired');
  const audProblem = checkAudience(aud, tenant, persona);
  if (audProblem) return fail('invalid_request', audProblem);

  const challenge = params.get('code_challenge') ?? undefined;
  const method = params.get('code_challenge_method');
  if ((method !== null || challenge !== undefined) && (method !== 'S256' || !challenge))
    return fail('invalid_request', 'invalidRequest');

  const asked = (params.get('scope') ?? '').split(/\s+/);
  if (app.deniedScopes?.some((denied) => asked.includes(denied)))
    return fail('access_denied', 'deniedByServer');
  const scopes = decideScopes(params.get('scope') ?? '', app).granted;
  const launchId = params.get('launch');
  let launch: LaunchContext | undefined;
  if (launchId) {
    launch = sandbox.launches.get(launchId);
    if (!launch || launch.tenant !== tenant || launch.clientId !== app.clientId)
      return fail('invalid_request', 'invalidLaunchCode');
    if (launch.iss !== aud.replace(/\/$/, '')) return fail('invalid_request', 'audienceNotWhitelisted');
  } else if (scopes.includes('launch')) return fail('invalid_request', 'launchCodeRequired');
  if (scopes.length === 0) return fail('invalid_scope', 'invalidRequest');

  const ok: ValidAuthorize = { ok: true, app, redirectUri, fhirHost: new URL(aud).hostname, scopes };
  if (state !== undefined) ok.state = state;
  if (launch) ok.launch = launch;
  if (challenge) ok.codeChallenge = challenge;
  return ok;
}

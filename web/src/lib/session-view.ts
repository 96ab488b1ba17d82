import type { fhirclient } from 'fhirclient/lib/types';
import type { JWTPayload } from 'jose';
import { grantsFhirUser, idTokenGaps } from '../../../utils/smart/id-token';
import { decodeJwtSafe } from '../../../utils/smart/jwt';

/** What the results page shows, read from fhirclient's state after ready() or refresh(). */
export interface SessionView {
  serverUrl: string;
  clientId?: string;
  requestedScope: string;
  /** Undefined when the token response carried no `scope`. */
  grantedScope?: string;
  accessToken?: string;
  refreshToken?: string;
  idToken?: string;
  idTokenClaims?: JWTPayload;
  idTokenError?: string;
  /** What an app would trip over in the id_token's claims (its audience, a missing fhirUser). */
  idTokenProblems?: string[];
  /** Epoch seconds. */
  expiresAt?: number;
  patientId?: string;
  encounterId?: string;
  /** The token response's need_patient_banner; undefined when it sent none (or not a boolean). */
  needPatientBanner?: boolean;
  fhirUser?: string;
  tenant?: string;
  /** Oracle's own `user` / `username` fields. */
  oracleUser?: string;
  username?: string;
  /** Token response fields other than the secrets, for display. */
  tokenFields: Array<[string, string]>;
  /**
   * Why fhirclient's refresh() would refuse to refresh with the refresh token it holds, before asking
   * the server; undefined when it would try (or there is no refresh token).
   */
  refreshBlocked?: string;
}

const SECRET_FIELDS = new Set(['access_token', 'refresh_token', 'id_token']);

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

export function sessionFromState(state: fhirclient.ClientState, nowMs = Date.now()): SessionView {
  const t = (state.tokenResponse ?? {}) as Record<string, unknown>;
  const view: SessionView = {
    serverUrl: state.serverUrl,
    requestedScope: state.scope ?? '',
    tokenFields: Object.entries(t)
      .filter(([k]) => !SECRET_FIELDS.has(k))
      .map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  };
  const set = <K extends keyof SessionView>(k: K, v: SessionView[K] | undefined) => {
    if (v !== undefined) view[k] = v;
  };
  set('clientId', state.clientId);
  set('needPatientBanner', typeof t.need_patient_banner === 'boolean' ? t.need_patient_banner : undefined);
  set('grantedScope', typeof t.scope === 'string' ? t.scope : undefined);
  set('accessToken', str(t.access_token));
  set('refreshToken', str(t.refresh_token));
  if (view.refreshToken) set('refreshBlocked', refreshBlocker(state, t.scope));
  set('expiresAt', state.expiresAt);
  set('patientId', str(t.patient));
  set('encounterId', str(t.encounter));
  set('tenant', str(t.tenant));
  set('oracleUser', str(t.user));
  set('username', str(t.username));
  const idToken = str(t.id_token);
  if (idToken) {
    view.idToken = idToken;
    const decoded = decodeJwtSafe(idToken, nowMs);
    if (decoded.ok) {
      view.idTokenClaims = decoded.jwt.claims;
      set('fhirUser', str(decoded.jwt.claims.fhirUser) ?? str(decoded.jwt.claims.profile));
      const problems = idTokenProblems(decoded.jwt.claims, state.clientId, view.grantedScope);
      if (problems.length) view.idTokenProblems = problems;
    } else view.idTokenError = decoded.error;
  }
  return view;
}

/**
 * What fhirclient's Client.refresh() checks before it sends a refresh request (it throws otherwise): a
 * token endpoint, and offline_access or online_access in the token response's `scope`. RFC 6749 §5.1
 * lets a server leave `scope` out when it granted what was asked; fhirclient still refuses then.
 */
function refreshBlocker(state: fhirclient.ClientState, scope: unknown): string | undefined {
  if (!state.tokenUri) return 'no token endpoint is known for this launch.';
  if (typeof scope !== 'string')
    return 'the token response has no scope, and fhirclient refreshes only when the granted scope names offline_access or online_access. OAuth lets a server leave scope out when it granted what was asked, but an app built on fhirclient cannot refresh against such a server: it should send scope.';
  if (!/\b(?:offline|online)_access\b/.test(scope))
    return 'the server issued a refresh token, but the granted scope names neither offline_access nor online_access, which fhirclient requires before it refreshes.';
  return undefined;
}

/**
 * What an app would trip over in the id_token's claims (utils/smart/id-token.ts decides), in the
 * companion's words.
 */
function idTokenProblems(
  claims: JWTPayload,
  clientId: string | undefined,
  granted: string | undefined,
): string[] {
  const out: string[] = [];
  const gaps = idTokenGaps(claims, clientId, grantsFhirUser(granted?.split(/\s+/) ?? []));
  if (gaps.foreignAudience)
    out.push(
      `aud is ${gaps.foreignAudience.join(', ')}, not this app's client_id ${clientId}: an OpenID Connect library that checks the audience refuses this sign-in.`,
    );
  if (gaps.noFhirUser)
    out.push(
      'fhirUser was granted, but the id_token has no fhirUser claim (nor profile): the app cannot tell who signed in.',
    );
  return out;
}

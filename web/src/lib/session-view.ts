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
  /**
   * Epoch seconds; undefined when the token response gives no usable lifetime (no expires_in and no
   * JWT access token with exp, or an expires_in that is not a positive number).
   */
  expiresAt?: number;
  /** expires_in was below zero: fhirclient's expiry is in the past from the start, whatever the server does. */
  expiredAsSent?: boolean;
  patientId?: string;
  encounterId?: string;
  /** The token response's need_patient_banner; undefined when it sent none (or not a boolean). */
  needPatientBanner?: boolean;
  /** need_patient_banner as sent (JSON) when it is not a boolean, e.g. the string "false". */
  needPatientBannerInvalid?: string;
  fhirUser?: string;
  tenant?: string;
  /** Oracle's own `user` / `username` fields. */
  oracleUser?: string;
  username?: string;
  /** Token response fields other than the secrets, for display, each value as its JSON literal. */
  tokenFields: Array<[string, string]>;
  /**
   * What the token response gets wrong that an app trips over: its lifetime (expires_in), token_type,
   * a scope joined with `+`. Empty when nothing.
   */
  tokenResponseProblems: string[];
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
      // As JSON literals, so that a type the server got wrong shows ("3600" is no number of seconds).
      .map(([k, v]) => [k, JSON.stringify(v) ?? String(v)]),
    tokenResponseProblems: [],
  };
  const set = <K extends keyof SessionView>(k: K, v: SessionView[K] | undefined) => {
    if (v !== undefined) view[k] = v;
  };
  set('clientId', state.clientId);
  set('needPatientBanner', typeof t.need_patient_banner === 'boolean' ? t.need_patient_banner : undefined);
  if (t.need_patient_banner !== undefined && typeof t.need_patient_banner !== 'boolean')
    view.needPatientBannerInvalid = JSON.stringify(t.need_patient_banner);
  set('grantedScope', typeof t.scope === 'string' ? t.scope : undefined);
  set('accessToken', str(t.access_token));
  set('refreshToken', str(t.refresh_token));
  if (view.refreshToken) set('refreshBlocked', refreshBlocker(state, t.scope));
  const lifetime = lifetimeOf(t, state.expiresAt);
  set('expiresAt', lifetime.expiresAt);
  if (typeof t.expires_in === 'number' && t.expires_in < 0) view.expiredAsSent = true;
  const problems = view.tokenResponseProblems;
  if (lifetime.problem) problems.push(lifetime.problem);
  problems.push(...shapeProblems(t));
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
 * When the access token expires, and what is wrong with how the response says so. fhirclient's
 * expiresAt is now + expires_in when expires_in is truthy (JavaScript's `+`: a string is appended, not
 * added), else the access token's exp when it is a JWT, else now + 5 minutes, which nothing said.
 */
function lifetimeOf(
  t: Record<string, unknown>,
  expiresAt: number | undefined,
): { expiresAt?: number; problem?: string } {
  const v = t.expires_in;
  if (typeof v === 'number' && v > 0) return { expiresAt };
  const exp = jwtExp(t.access_token);
  const from =
    exp !== undefined && expiresAt === exp ? ', so its expiry is the access token’s exp claim' : '';
  const at = from ? { expiresAt } : {};
  if (v === undefined)
    return {
      ...at,
      problem: from
        ? `The token response has no expires_in${from}. OAuth recommends expires_in (RFC 6749 §5.1); an app that does not read JWTs has no lifetime.`
        : 'The token response has no expires_in, so the access token’s lifetime is unknown. fhirclient assumes 5 minutes (and refreshes then when it holds a refresh token); OAuth recommends expires_in (RFC 6749 §5.1).',
    };
  // Negative: truthy, so fhirclient keeps now + expires_in, a time already past.
  if (typeof v === 'number' && v < 0)
    return {
      expiresAt,
      problem: `expires_in is ${v}: a lifetime below zero (RFC 6749 §5.1 gives seconds from now). fhirclient keeps an expiry ${-v} s in the past, so it takes the token as expired from the start and tries to refresh it before every request (or fails without a refresh token).`,
    };
  if (typeof v === 'number')
    return {
      ...at,
      problem: `expires_in is ${v}: the token is expired as it is issued. fhirclient ignores it${from || ' and assumes 5 minutes'}.`,
    };
  const sent = JSON.stringify(v);
  if (typeof v === 'string' && /^\s*\d+\s*$/.test(v))
    return {
      problem: `expires_in is the string ${sent}, not a number (RFC 6749 §5.1 defines a number of seconds). fhirclient appends it to the clock as text, so the expiry it keeps is meaningless and it will not refresh in time; the token probably lives ${Number(v)} s from when it was issued.`,
    };
  return {
    problem: `expires_in is ${sent}, not a number of seconds (RFC 6749 §5.1): the token’s lifetime is unknown.`,
  };
}

/** The access token's exp, when the token is a JWT whose payload has a numeric exp. */
function jwtExp(token: unknown): number | undefined {
  if (typeof token !== 'string' || token.split('.').length !== 3) return undefined;
  const decoded = decodeJwtSafe(token);
  return decoded.ok && typeof decoded.jwt.claims.exp === 'number' ? decoded.jwt.claims.exp : undefined;
}

/** token_type and scope as RFC 6749 §5.1 and SMART define them. */
function shapeProblems(t: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (t.token_type === undefined)
    out.push(
      'The token response has no token_type: RFC 6749 §5.1 requires it, and SMART requires "Bearer". An app or library that checks it refuses the token.',
    );
  else if (typeof t.token_type !== 'string' || t.token_type.toLowerCase() !== 'bearer')
    out.push(
      `token_type is ${JSON.stringify(t.token_type)}, not "Bearer": SMART apps send the token as a Bearer token, which this server may not accept.`,
    );
  if (typeof t.scope === 'string' && t.scope.includes('+'))
    out.push(
      'The granted scope is joined with "+" instead of spaces: "+" stands for a space only in form-encoded text, not in JSON. This page reads it as spaces, but an app that splits the scope on spaces sees one unknown scope.',
    );
  return out;
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

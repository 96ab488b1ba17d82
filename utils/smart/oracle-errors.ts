import { decodeComponent, looksEncoded } from '../url/percent';
import {
  LOOSE_URNS,
  ORACLE_URN_PREFIX,
  RESOURCE_ACCESS_URN_PREFIX,
  URN_FAMILIES,
} from './oracle-urn-families';
import type { UrnEntry } from './oracle-urn-types';
import { AUTHORIZE_URNS } from './oracle-urns-authorize';
import { TOKEN_URNS } from './oracle-urns-token';

/**
 * Oracle Health (Cerner) error URNs and OAuth error codes in plain language: the one catalogue the
 * extension's rules, the companion app and the sandbox share. Oracle's redirects carry only `error` +
 * `error_uri` (no description), so the URN inside `error_uri` is what explains a failure. A URN is
 * explained by its own entry (spelled exactly as Oracle publishes it), else loosely by tell-tale words
 * (unconfirmed spellings), else by its family (`oauth2:grant:`, `oauth2:token:refresh-token:`…).
 */

export { ORACLE_URN_PREFIX, RESOURCE_ACCESS_URN_PREFIX };

const ANY_URN_PREFIX = 'urn:cerner:error:';

/** How an explanation was found: the URN's own entry, a loose match, its family, nothing, or an OAuth code. */
export type ExplanationMatch = 'exact' | 'loose' | 'family' | 'unknown' | 'oauth-code';

export interface ErrorExplanation {
  /** The URN or OAuth code that was explained. */
  code: string;
  title: string;
  explanation: string;
  fix: string;
  match: ExplanationMatch;
}

type Entry = UrnEntry;

/** Keys are the URN without ORACLE_URN_PREFIX. */
const AUTHORIZATION_SERVER_URNS: Record<string, Entry> = { ...AUTHORIZE_URNS, ...TOKEN_URNS };

/** Keys are the URN without RESOURCE_ACCESS_URN_PREFIX. */
const RESOURCE_ACCESS_URNS: Record<string, Entry> = {
  'insufficient-scopes': [
    'Insufficient scopes',
    'The access token does not carry a scope that allows this FHIR request.',
    'Request (and get granted) a scope for this resource.',
  ],
};

/** Each family's exact table, keyed by the URN without the family prefix. */
const CATALOGUES: ReadonlyArray<readonly [prefix: string, table: Record<string, Entry>]> = [
  [ORACLE_URN_PREFIX, AUTHORIZATION_SERVER_URNS],
  [RESOURCE_ACCESS_URN_PREFIX, RESOURCE_ACCESS_URNS],
];

/** Own entries only, so names such as `constructor` are not mistaken for catalogue entries. */
function entry(table: Record<string, Entry>, key: string): Entry | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

const OAUTH: Record<string, Entry> = {
  invalid_request: [
    'Invalid request',
    'A required parameter is missing or malformed.',
    'Check the request parameters.',
  ],
  // RFC 6749 §4.1.2.1 (authorize) and §5.2 (token).
  unauthorized_client: [
    'Unauthorized client',
    'The client is not allowed to use this grant or response type: its registration does not permit requesting a code this way (authorize), or this grant_type (token).',
    "Check the app's registration on the authorization server: the grant types (authorization_code, refresh_token) and the response type code it may use.",
  ],
  access_denied: [
    'Access denied',
    'The user or server denied the request.',
    'If the user declined, relaunch and approve; if the server denied it without asking, check the scopes and the launch context (a patient scope needs a patient), then relaunch.',
  ],
  unsupported_response_type: [
    'Unsupported response_type',
    'The server does not support this response_type.',
    'Use response_type=code.',
  ],
  invalid_scope: [
    'Invalid scope',
    'A requested scope is unknown, malformed or not allowed.',
    'Request only scopes listed in scopes_supported that the app is registered for.',
  ],
  server_error: [
    'Server error',
    'The authorization server hit an error.',
    "Retry; if it persists, report it to the server's operator with the time of the request (and the Cerner-Correlation-Id response header, on Oracle's servers).",
  ],
  temporarily_unavailable: [
    'Temporarily unavailable',
    'The authorization server is overloaded or under maintenance.',
    'Retry later.',
  ],
  invalid_grant: [
    'Invalid grant',
    'The code (or refresh token) is invalid, expired, already used, or PKCE did not match.',
    'Exchange each fresh code once with the matching code_verifier and redirect_uri.',
  ],
  invalid_client: [
    'Invalid client',
    'Client authentication failed.',
    'Check that this server knows the client_id, and that the app authenticates as it was registered: a confidential client with its secret or signed assertion, a public client with none (RFC 6749 §2.3).',
  ],
  unsupported_grant_type: [
    'Unsupported grant type',
    'The token endpoint does not support this grant_type.',
    'Check that the server supports the grant_type sent (grant_types_supported in its discovery) and that the app’s registration allows it; authorization_code and refresh_token are the grant types of a SMART launch.',
  ],
  invalid_token: [
    'Invalid token',
    'The access token is expired, revoked or malformed.',
    'Refresh the token or relaunch.',
  ],
  insufficient_scope: [
    'Insufficient scope',
    'The token lacks the scope needed for this request.',
    'Request the needed scope.',
  ],
  // OpenID Connect Core §3.1.2.6: a request with prompt=none that the server cannot answer silently.
  login_required: [
    'Sign-in required',
    'The request asked for no sign-in page (prompt=none), but the user has no session the server could use.',
    'Authorize again without prompt=none, so that the user can sign in.',
  ],
  interaction_required: [
    'Interaction required',
    'The request asked for no pages (prompt=none), but the server needs the user to act (sign in, choose, approve).',
    'Authorize again without prompt=none.',
  ],
  consent_required: [
    'Consent required',
    'The request asked for no pages (prompt=none), but the user has not approved these scopes for this app.',
    'Authorize again without prompt=none, so that the user can approve.',
  ],
  account_selection_required: [
    'Account selection required',
    'The request asked for no pages (prompt=none), but the user has several sessions to choose from.',
    'Authorize again without prompt=none.',
  ],
};

/** A URN never ends with `.` or `:`, so a sentence's full stop after it is not taken in. */
const URN_IN_TEXT = /urn:cerner:error:[A-Za-z0-9:._-]*[A-Za-z0-9_-]/;

/** Find an Oracle error URN (any family) in a URL (percent-encoded or not) or a body. */
export function findOracleUrn(text: string | undefined): string | undefined {
  if (!text) return undefined;
  let t = text;
  for (let i = 0; i < 3 && looksEncoded(t); i++) t = decodeComponent(t, false).value;
  return URN_IN_TEXT.exec(t)?.[0];
}

/**
 * Short form of a URN: `oauth2:grant:unknown-client` for the authorization server's,
 * `oauth2:resource-access:insufficient-scopes` for others (only `urn:cerner:error:` removed).
 */
export function urnTail(urn: string): string {
  if (urn.startsWith(ORACLE_URN_PREFIX)) return urn.slice(ORACLE_URN_PREFIX.length);
  return urn.startsWith(ANY_URN_PREFIX) ? urn.slice(ANY_URN_PREFIX.length) : urn;
}

function catalogueEntry(urn: string): Entry | undefined {
  for (const [prefix, table] of CATALOGUES)
    if (urn.startsWith(prefix)) return entry(table, urn.slice(prefix.length));
  return undefined;
}

function looseEntry(urn: string): Entry | undefined {
  if (!urn.startsWith(ORACLE_URN_PREFIX)) return undefined;
  const tail = urn.slice(ORACLE_URN_PREFIX.length);
  return LOOSE_URNS.find(([pattern]) => pattern.test(tail))?.[1];
}

/** The family entry of a URN the catalogue does not name (longest matching prefix). */
export function urnFamily(urn: string): Entry | undefined {
  return URN_FAMILIES.find(([prefix]) => urn.startsWith(prefix))?.[1];
}

const explained = (code: string, e: Entry, match: ExplanationMatch): ErrorExplanation => ({
  code,
  title: e[0],
  explanation: e[1],
  fix: e[2],
  match,
});

export function explainOracleUrn(urn: string): ErrorExplanation {
  const exact = catalogueEntry(urn);
  if (exact) return explained(urn, exact, 'exact');
  const loose = looseEntry(urn);
  if (loose) return explained(urn, loose, 'loose');
  // Not in the catalogue: name its last segment in words, explain it by its family when there is one.
  const tail = urnTail(urn);
  const title = (tail.split(':').pop() || tail).replace(/[-_]/g, ' ');
  const family = urnFamily(urn);
  if (family)
    return {
      code: urn,
      title,
      explanation: `${family[1]} Oracle reported ${tail}, which is not in its published error list.`,
      fix: family[2],
      match: 'family',
    };
  return {
    code: urn,
    title,
    explanation: `Oracle reported ${urn}.`,
    fix: "Look the URN up in Oracle's error catalogue; give support the Cerner-Correlation-Id.",
    match: 'unknown',
  };
}

export function explainOAuthError(code: string): ErrorExplanation | undefined {
  const e = entry(OAUTH, code);
  return e ? explained(code, e, 'oauth-code') : undefined;
}

/** The best explanation for an error: the URN when present (more specific), else the OAuth code. */
export function explainError(
  error: string | undefined,
  errorUriOrBody?: string,
): ErrorExplanation | undefined {
  const urn = findOracleUrn(errorUriOrBody) ?? findOracleUrn(error);
  if (urn) return explainOracleUrn(urn);
  return error ? explainOAuthError(error) : undefined;
}

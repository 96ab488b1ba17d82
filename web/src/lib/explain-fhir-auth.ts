import { isOracleUrl } from '../../../utils/capture/relevance';
import { explainOAuthError, explainOracleUrn, findOracleUrn } from '../../../utils/smart/oracle-errors';

/** The parameters of a `WWW-Authenticate: Bearer …` challenge (RFC 6750 §3). */
export interface BearerChallenge {
  realm?: string;
  error?: string;
  error_description?: string;
  error_uri?: string;
  scope?: string;
}

const PARAM = /([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;

/** The Bearer challenge in a WWW-Authenticate header, or undefined when there is none. */
export function parseBearerChallenge(header: string | undefined): BearerChallenge | undefined {
  const m = header ? /(?:^|,)\s*Bearer\b(.*)$/is.exec(header) : undefined;
  if (!m) return undefined;
  const out: Record<string, string> = {};
  for (const [, name, quoted, bare] of (m[1] ?? '').matchAll(PARAM))
    if (name) out[name.toLowerCase()] ??= (quoted ?? bare ?? '').replace(/\\(.)/g, '$1');
  return out as BearerChallenge;
}

export interface Fhir401Facts {
  body: string;
  wwwAuthenticate?: string;
  /** Access-token expiry (seconds since the epoch) from the token response, and the time now. */
  expiresAt?: number;
  now?: number;
  /** The request's URL: Oracle's token lifetime is named only for Oracle's FHIR servers. */
  url?: string;
}

/** Why a FHIR server answered 401, in one line, from whatever it gave: header, body, token expiry. */
export function explainFhir401(f: Fhir401Facts): string {
  const challenge = parseBearerChallenge(f.wwwAuthenticate);
  const oracle = isOracleUrl(f.url);
  const said = challenge?.error_description ? ` The server said: "${challenge.error_description}".` : '';
  const urn = findOracleUrn(f.body) ?? findOracleUrn(challenge?.error_uri);
  const code = challenge?.error ?? /\b(invalid_token|insufficient_scope)\b/.exec(f.body)?.[1];
  const expiredAt =
    f.expiresAt !== undefined && f.now !== undefined && f.now >= f.expiresAt ? f.expiresAt : undefined;
  const known = urn ? explainOracleUrn(urn) : code ? explainOAuthError(code) : undefined;
  if (code === 'insufficient_scope' || known?.code.endsWith('insufficient-scopes'))
    return `Missing scope: the access token does not carry a scope for this request${challenge?.scope ? ` (needs ${challenge.scope})` : ''}.${said}`;
  if (expiredAt !== undefined)
    return `Access token expired: it was valid until ${new Date(expiredAt * 1000).toISOString()}${oracle ? ' (Oracle tokens last about 10 minutes)' : ''}; refresh or relaunch.${said}`;
  // Refused while the token response says it is still valid: not its lifetime, whatever the words.
  const early =
    f.expiresAt !== undefined && f.now !== undefined && f.now < f.expiresAt
      ? ` The token response says it is valid until ${new Date(f.expiresAt * 1000).toISOString()}, so this is not its expiry: the token was revoked, was issued for another FHIR server (aud), or the server's clock is off.`
      : '';
  if (known) return `${known.title}: ${known.explanation}${said}${early}`;
  if (challenge)
    return `No accepted access token: the server asks for Bearer authentication${challenge.realm ? ` (realm ${challenge.realm})` : ''} without naming an error, so the request carried no token it accepts.${said}`;
  return `Not authorized (HTTP 401): the access token was rejected. Usual causes: it expired${oracle ? ' (Oracle: about 10 minutes)' : ''}, was revoked, was issued for another FHIR server (aud), or lacks a scope for this request.`;
}

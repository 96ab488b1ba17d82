import type { JWTPayload } from 'jose';

/**
 * What an app reads from an id_token and may not find there. The extension's token-response-shape rule
 * and the companion's session view each say it in their own words; this decides it once.
 */
export interface IdTokenGaps {
  /**
   * The id_token's audience when it does not name the app's client_id (OpenID Connect Core §3.1.3.7: a
   * library that checks the audience refuses the sign-in); undefined when it does, or either is unknown.
   */
  foreignAudience?: string[];
  /**
   * fhirUser was granted, but the id_token has no `fhirUser` claim, nor SMART v1's `profile`: the app
   * (fhirclient's `client.user`, `getFhirUser()`) cannot tell who signed in.
   */
  noFhirUser: boolean;
}

/** The `aud` claim as a list: a string or an array of strings (anything else: none). */
export function audiences(claims: JWTPayload): string[] {
  if (typeof claims.aud === 'string') return [claims.aud];
  return Array.isArray(claims.aud) ? claims.aud.filter((a): a is string => typeof a === 'string') : [];
}

/** True when a granted scope list (scope tokens) holds `fhirUser`, or SMART v1's `profile`. */
export function grantsFhirUser(granted: Iterable<string>): boolean {
  for (const scope of granted) if (scope === 'fhirUser' || scope === 'profile') return true;
  return false;
}

/**
 * IdTokenGaps of a token's claims, for the app `clientId` (undefined: not known), with fhirUser granted
 * or not (as the token response's `scope` says: a server that leaves `scope` out may not have granted it).
 */
export function idTokenGaps(
  claims: JWTPayload,
  clientId: string | undefined,
  fhirUserGranted: boolean,
): IdTokenGaps {
  const aud = audiences(claims);
  const gaps: IdTokenGaps = {
    noFhirUser: fhirUserGranted && claims.fhirUser === undefined && claims.profile === undefined,
  };
  if (clientId && aud.length > 0 && !aud.includes(clientId)) gaps.foreignAudience = aud;
  return gaps;
}

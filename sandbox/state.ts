/** Everything the sandbox remembers between requests. In memory only: a restart forgets sessions and tokens. */
import type { Persona, Quirk } from './config';
import type { FhirData, SandboxUser } from './data';
import type { SigningKey } from './oauth/keys';
import type { Registry } from './registry';

export interface LaunchContext {
  /** Also the `launch` value handed to the app. */
  id: string;
  tenant: string;
  clientId: string;
  iss: string;
  patient?: string;
  encounter?: string;
  user?: string;
  createdAt: number;
}

export interface Session {
  id: string;
  realm: string;
  tenant: string;
  persona: Persona;
  user: SandboxUser;
  createdAt: number;
}

/** What an authorization code, and the tokens issued for it, carry. */
export interface Grant {
  clientId: string;
  tenant: string;
  persona: Persona;
  /** FHIR host the tokens are for (from `aud`). */
  fhirHost: string;
  scopes: string[];
  user: SandboxUser;
  patient?: string;
  encounter?: string;
}

export interface AuthCode extends Grant {
  code: string;
  redirectUri: string;
  codeChallenge?: string;
  expiresAt: number;
  used: boolean;
  /** Tokens issued from this code, revoked if the code is replayed. */
  accessTokens: string[];
}

export interface AccessToken extends Grant {
  token: string;
  expiresAt: number;
  revoked: boolean;
}

export interface RefreshToken extends Grant {
  token: string;
  revoked: boolean;
}

export interface RequestLogEntry {
  at: number;
  method: string;
  host: string;
  path: string;
  url: string;
  status: number;
  cookieNames: string[];
}

export interface SandboxState {
  quirk: Quirk;
  readonly registry: Registry;
  readonly data: FhirData;
  readonly signingKey: SigningKey;
  readonly webDist: string;
  readonly now: () => number;
  readonly launches: Map<string, LaunchContext>;
  readonly sessions: Map<string, Session>;
  readonly codes: Map<string, AuthCode>;
  readonly accessTokens: Map<string, AccessToken>;
  readonly refreshTokens: Map<string, RefreshToken>;
  /** Sign-ins cancelled at the IdP: `initialRequestId` of the authorize request → when (ms). */
  readonly cancelledSignIns: Map<string, number>;
  readonly requestLog: RequestLogEntry[];
  /** While set, every request waits for it before it is answered (Sandbox.hold). */
  gate?: Promise<void>;
  /** Unexpected errors are reported here (stderr by default). */
  readonly logError: (error: unknown, where: string) => void;
}

/** Keep memory bounded on a long-running sandbox. */
export const MAX_LOG_ENTRIES = 5000;
export const MAX_ENTRIES_PER_STORE = 10_000;

export function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (map.size >= MAX_ENTRIES_PER_STORE) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, value);
}

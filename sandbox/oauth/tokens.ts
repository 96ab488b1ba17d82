/**
 * Token responses shaped like Oracle's sandbox: access token (a signed JWT, 570 s unless the app is
 * registered with `accessTokenSeconds`), `patient`, `encounter`,
 * `need_patient_banner`, `smart_style_url`, `user`, `tenant`, `username`, an RS256 `id_token` carrying
 * `fhirUser` when `openid fhirUser` were granted, and a refresh token for offline/online access.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { ACCESS_TOKEN_SECONDS, fhirBase, issuerUrl, SMART_ORIGIN } from '../config';
import { type Grant, remember, type SandboxState } from '../state';

export const SMART_STYLE_URL = `${SMART_ORIGIN}/styles/smart-v1.json`;

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  patient?: string;
  encounter?: string;
  need_patient_banner: boolean;
  smart_style_url: string;
  user: string;
  tenant: string;
  username: string;
  id_token?: string;
  refresh_token?: string;
}

async function sign(state: SandboxState, claims: Record<string, unknown>, audience: string, seconds: number) {
  const now = Math.floor(state.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: state.signingKey.kid, typ: 'JWT' })
    .setIssuer(issuerUrl(String(claims.tenant)))
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(now + seconds)
    .setJti(randomUUID())
    .sign(state.signingKey.privateKey);
}

export function fhirUserOf(grant: Grant): string {
  return `${fhirBase(grant.fhirHost, grant.tenant)}/${grant.user.resourceType}/${grant.user.id}`;
}

/**
 * Issues an access token (and id/refresh tokens when the scopes ask for them) for a grant.
 * `refreshToken` is reused on a refresh_token grant instead of minting a new one.
 */
export async function issueTokens(
  state: SandboxState,
  grant: Grant,
  refreshToken?: string,
): Promise<TokenResponse> {
  const seconds = state.registry.byClientId(grant.clientId)?.accessTokenSeconds ?? ACCESS_TOKEN_SECONDS;
  const access = await sign(
    state,
    { tenant: grant.tenant, sub: grant.user.id, scope: grant.scopes.join(' '), client_id: grant.clientId },
    fhirBase(grant.fhirHost, grant.tenant),
    seconds,
  );
  remember(state.accessTokens, access, {
    ...grant,
    token: access,
    expiresAt: state.now() + seconds * 1000,
    revoked: false,
  });
  const body: TokenResponse = {
    access_token: access,
    token_type: 'Bearer',
    expires_in: seconds,
    scope: grant.scopes.join(' '),
    need_patient_banner: grant.persona === 'patient',
    smart_style_url: SMART_STYLE_URL,
    user: grant.user.id,
    tenant: grant.tenant,
    username: grant.user.username,
  };
  if (grant.patient) body.patient = grant.patient;
  if (grant.encounter) body.encounter = grant.encounter;
  if (grant.scopes.includes('openid') && grant.scopes.includes('fhirUser')) {
    body.id_token = await sign(
      state,
      {
        tenant: grant.tenant,
        sub: grant.user.id,
        fhirUser: fhirUserOf(grant),
        name: grant.user.name,
        preferred_username: grant.user.username,
      },
      grant.clientId,
      ACCESS_TOKEN_SECONDS,
    );
  }
  if (refreshToken) body.refresh_token = refreshToken;
  else if (grant.scopes.includes('offline_access') || grant.scopes.includes('online_access')) {
    const token = randomBytes(48).toString('base64url');
    remember(state.refreshTokens, token, { ...grant, token, revoked: false });
    body.refresh_token = token;
  }
  return body;
}

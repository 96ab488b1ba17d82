import type { fhirclient } from 'fhirclient/lib/types';
import type { JWTPayload } from 'jose';
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
  /** Epoch seconds. */
  expiresAt?: number;
  patientId?: string;
  encounterId?: string;
  needPatientBanner: boolean;
  fhirUser?: string;
  tenant?: string;
  /** Oracle's own `user` / `username` fields. */
  oracleUser?: string;
  username?: string;
  /** Token response fields other than the secrets, for display. */
  tokenFields: Array<[string, string]>;
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
    needPatientBanner: t.need_patient_banner === true,
    tokenFields: Object.entries(t)
      .filter(([k]) => !SECRET_FIELDS.has(k))
      .map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  };
  const set = <K extends keyof SessionView>(k: K, v: SessionView[K] | undefined) => {
    if (v !== undefined) view[k] = v;
  };
  set('clientId', state.clientId);
  set('grantedScope', typeof t.scope === 'string' ? t.scope : undefined);
  set('accessToken', str(t.access_token));
  set('refreshToken', str(t.refresh_token));
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
    } else view.idTokenError = decoded.error;
  }
  return view;
}

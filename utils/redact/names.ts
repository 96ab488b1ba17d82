/**
 * Parameter, form-field and JSON-key names whose values are credentials. Compared lower-case with `-`
 * folded to `_`. `code` is masked everywhere (also FHIR search `code=`): losing a LOINC code in a
 * recording is cheap, leaking an authorization code is not.
 */
const SECRET_NAMES = new Set([
  'code',
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'client_assertion',
  'code_verifier',
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'token',
  'assertion',
  'samlresponse',
  'subject_token',
  'actor_token',
  'device_code',
  'user_code',
  'otp',
  'session_token',
  'api_key',
  'apikey',
  'secret',
  'authorization',
  'private_key',
]);

/** Fields that stay readable even in a login form: they carry protocol context, not credentials. */
const PUBLIC_FORM_FIELDS = new Set([
  'state',
  'scope',
  'redirect_uri',
  'aud',
  'launch',
  'response_type',
  'client_id',
  'grant_type',
  'code_challenge',
  'code_challenge_method',
  'client_assertion_type',
  'persona',
  'tenant',
]);

/** Fields whose presence marks an OAuth/SMART form (token or authorize POST) rather than a login form. */
const OAUTH_FORM_MARKERS = ['grant_type', 'response_type', 'client_assertion_type'];

export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/-/g, '_');
}

export function isSecretName(name: string): boolean {
  return SECRET_NAMES.has(normalizeName(name));
}

export function isPublicFormField(name: string): boolean {
  return PUBLIC_FORM_FIELDS.has(normalizeName(name));
}

export function isOAuthForm(fieldNames: string[]): boolean {
  const names = new Set(fieldNames.map(normalizeName));
  return OAUTH_FORM_MARKERS.some((m) => names.has(m));
}

/** A regex alternation of the secret names, for free-text scanning. */
export const SECRET_NAME_PATTERN = [...SECRET_NAMES].map((n) => n.replace(/_/g, '[_-]')).join('|');

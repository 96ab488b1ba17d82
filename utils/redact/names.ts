/**
 * Parameter, form-field and JSON-key names whose values are credentials. Compared as normalizeName()
 * writes them: snake case, lower case (`accessToken`, `Access-Token` and `ACCESS_TOKEN` are one name).
 * `code` is masked everywhere (also FHIR search `code=`): losing a LOINC code in a recording is cheap,
 * leaking an authorization code is not.
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
  'authorization_code',
  'key',
  'jsessionid',
  'session_id',
  // One-time codes and tickets of sign-in steps: as good as a password while they last.
  'auth_code',
  'mfa_code',
  'verification_code',
  'one_time_code',
  'sms_code',
  'totp',
  'samlart',
  'ticket',
]);

/**
 * A word of a name that says its value is a password or a secret, whatever else the name holds
 * (`j_password`, `user_pass`, `pin`, `mfa_passcode`, `client_credentials`): a login form may carry
 * OAuth fields too, and then only secret names are masked (redactForm in form.ts).
 */
const SECRET_WORD =
  /(?:^|_)(?:pass|passwd|password|passcode|passphrase|pwd|pw|pin|otp|secret|credentials?)(?:_|$)|password/;

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

/** A name in snake case and lower case: `accessToken` → `access_token`, `Access-Token` → `access_token`. */
export function normalizeName(name: string): string {
  const trimmed = name.trim();
  const snake = /[a-z0-9][A-Z]/.test(trimmed) ? trimmed.replace(/([a-z0-9])([A-Z])/g, '$1_$2') : trimmed;
  return snake.toLowerCase().replace(/[-\s]+/g, '_');
}

export function isSecretName(name: string): boolean {
  // `code[]=…`: PHP's and Rails' way of naming a list field.
  const n = normalizeName(name).replace(/\[\]$/, '');
  return SECRET_NAMES.has(n) || SECRET_WORD.test(n);
}

export function isPublicFormField(name: string): boolean {
  return PUBLIC_FORM_FIELDS.has(normalizeName(name));
}

export function isOAuthForm(fieldNames: string[]): boolean {
  const names = new Set(fieldNames.map(normalizeName));
  if (OAUTH_FORM_MARKERS.some((m) => names.has(m))) return true;
  // An authorization response posted to the redirect URI (response_mode=form_post): its code is a
  // secret name, its error, error_description and state are what the callback says.
  return names.has('state') && (names.has('code') || names.has('error'));
}

/** A regex alternation of `names`, each name's words joined by one of `joiners` or nothing. */
function alternation(names: Iterable<string>, joiners = '_-'): string {
  return [...names].map((n) => n.replace(/_/g, `[${joiners}]?`)).join('|');
}

/**
 * A regex alternation of the secret names, for free-text scanning (case-insensitive): each name's
 * words joined by `_`, `-` or nothing (`access_token`, `access-token`, `accessToken`).
 */
export const SECRET_NAME_PATTERN = alternation(SECRET_NAMES);
/** SECRET_NAME_PATTERN with a space between words too, for a quoted JSON key (`"access token"`). */
export const SECRET_KEY_PATTERN = alternation(SECRET_NAMES, '_ -');

/**
 * The names that are credentials whatever the text around them: free-text forms that a plain word such
 * as `code` or `token` would also match in prose or markup (`<code>`, `Error code: …`) use only these.
 */
const UNAMBIGUOUS_NAMES = [...SECRET_NAMES].filter(
  (n) => n.includes('_') || /^(?:passw|apikey|saml)/.test(n),
);
export const UNAMBIGUOUS_NAME_PATTERN = alternation(UNAMBIGUOUS_NAMES);

/** Names of a server's messages in prose, which may echo a secret without naming it (redactProse). */
const PROSE_NAMES = new Set([
  'error_description',
  'error_message',
  'message',
  'detail',
  'details',
  'diagnostics',
]);

export function isProseName(name: string): boolean {
  return PROSE_NAMES.has(normalizeName(name));
}

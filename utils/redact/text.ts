import { decodeComponent } from '../url/percent';
import { isMasked, mask, maskJwtSignature } from './mask';
import { SECRET_NAME_PATTERN } from './names';

/*
 * Free-text scanning for bodies and header values that have no structure we can parse (HTML error
 * pages, plain text, truncated JSON). Structured data goes through url.ts / json.ts instead; this is
 * the safety net, written so that running it twice changes nothing.
 */

const NAME_VALUE = new RegExp(`(^|[^\\w-])(${SECRET_NAME_PATTERN})=([^&#\\s"'<>;,]+)`, 'gi');
/** `&code=` inside a percent-encoded (once or more) URL: `%26code%3D…` up to the next encoded `&`/`#`. */
const ENCODED_NAME_VALUE = new RegExp(
  `(%(?:25)*(?:26|3F|23))(${SECRET_NAME_PATTERN})(%(?:25)*3D)([^&#\\s"'<>%]*(?:%(?!(?:25)*(?:26|23))[0-9A-Fa-f]{2}[^&#\\s"'<>%]*)*)`,
  'gi',
);
const JSON_MEMBER = new RegExp(`"(${SECRET_NAME_PATTERN})"(\\s*:\\s*)"((?:[^"\\\\]|\\\\.)*)"`, 'gi');
/**
 * A credential after an auth scheme (RFC 7235 token68). Not an auth-param of a challenge
 * (`WWW-Authenticate: Bearer realm="…", error="invalid_token"`): a name, `=`, then a value.
 */
const AUTH_SCHEME =
  /\b(Bearer|Basic)(\s+)(?![A-Za-z0-9._~+/-]+=[^=\s,])([A-Za-z0-9._~+/=-]+)(?![A-Za-z0-9._~+/=…-])/g;
const JWT_ANYWHERE = /\beyJ[\w-]*\.eyJ[\w-]*\.[\w-]+(?![\w-]|…|%E2%80%A6)/g;

/** True when a raw (possibly multiply percent-encoded) value already decodes to a mask. */
function alreadyMasked(raw: string): boolean {
  let value = raw;
  for (let i = 0; i < 4; i++) {
    if (isMasked(value)) return true;
    const next = decodeComponent(value).value;
    if (next === value) return false;
    value = next;
  }
  return isMasked(value);
}

function maskRaw(raw: string): string {
  return alreadyMasked(raw) ? raw : encodeURIComponent(mask(decodeComponent(raw).value));
}

/**
 * What every pattern above needs at least one of: `=` or `%` (name-value pairs), `"` (JSON members), an
 * auth scheme, a JWT's start. Text with none of them (most header values) is returned without five scans.
 */
const MAY_HOLD_SECRET = /[=%"]|Bearer|Basic|eyJ/;

export function redactText(text: string): string {
  if (!MAY_HOLD_SECRET.test(text)) return text;
  return text
    .replace(
      NAME_VALUE,
      (_all, lead: string, name: string, value: string) => `${lead}${name}=${maskRaw(value)}`,
    )
    .replace(ENCODED_NAME_VALUE, (all, lead: string, name: string, eq: string, value: string) =>
      value ? `${lead}${name}${eq}${maskRaw(value)}` : all,
    )
    .replace(JSON_MEMBER, (_all, name: string, colon: string, value: string) => {
      const masked = /^id[_-]token$/i.test(name) ? (maskJwtSignature(value) ?? mask(value)) : mask(value);
      return `"${name}"${colon}"${masked}"`;
    })
    .replace(
      AUTH_SCHEME,
      (_all, scheme: string, space: string, value: string) => `${scheme}${space}${mask(value)}`,
    )
    .replace(JWT_ANYWHERE, (jwt) => maskJwtSignature(jwt) ?? jwt);
}

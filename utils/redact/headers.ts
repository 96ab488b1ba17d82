import type { CookieSummary } from '../model';
import { mask } from './mask';
import { isSecretName, normalizeName } from './names';
import { redactProse, redactText } from './text';
import { redactUrl } from './url';

const URL_HEADERS = new Set(['location', 'content-location', 'referer', 'refresh']);
const SECRET_HEADERS = new Set([
  'x-api-key',
  'x-auth-token',
  'x-access-token',
  'x-csrf-token',
  'x-xsrf-token',
  'x-auth',
]);

/** A challenge's `error_description="…"` (RFC 6750 §3), which a server may write a token into. */
const CHALLENGE_DESCRIPTION = /(error_description\s*=\s*")((?:[^"\\]|\\.)*)(")/gi;

function proseParam(_all: string, lead: string, text: string, close: string): string {
  return `${lead}${redactProse(text)}${close}`;
}

/**
 * `X-Refresh-Token`, `X-Amz-Security-Token`, `X-Session`, `X-Client-Secret`, `Private-Token`,
 * `Ocp-Apim-Subscription-Key`, `X-Amzn-Oidc-Accesstoken`…: named as a credential or an API key.
 */
const SECRET_HEADER_NAME =
  /^x-(?:[\w-]*-)?session$|(?:^|-)(?:token|access-?token|secret|api-?key|subscription-key|password|credentials?)$/;

/** Redact one header value by name. Cookie values never reach here (see cookieSummary). */
export function redactHeaderValue(name: string, value: string): string {
  const lower = name.toLowerCase();
  // `Authentication: Token …`: a scheme and a credential under a name some APIs use instead.
  if (lower === 'authorization' || lower === 'proxy-authorization' || lower === 'authentication') {
    const m = /^(\S+)(\s+)(.+)$/.exec(value);
    return m ? `${m[1]}${m[2]}${mask(m[3] ?? '')}` : mask(value);
  }
  if (lower === 'cookie' || lower === 'set-cookie') return mask(value);
  if (SECRET_HEADERS.has(lower) || isSecretName(normalizeName(lower)) || SECRET_HEADER_NAME.test(lower))
    return mask(value);
  if (URL_HEADERS.has(lower)) return redactUrl(value);
  if (lower === 'www-authenticate') return redactText(value).replace(CHALLENGE_DESCRIPTION, proseParam);
  return redactText(value);
}

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = redactHeaderValue(name, value);
  return out;
}

/** Count, size and names of the cookies in a Cookie header; values are dropped here. */
export function cookieSummary(cookieHeader: string): CookieSummary {
  const names = cookieHeader
    .split(';')
    .map((c) => c.trim())
    .filter(Boolean)
    .map((c) => (c.includes('=') ? c.slice(0, c.indexOf('=')) : c).trim());
  return { count: names.length, bytes: new TextEncoder().encode(cookieHeader).length, names };
}

/** The cookie name of one Set-Cookie header value. */
export function setCookieName(setCookie: string): string {
  const first = setCookie.split(';')[0] ?? '';
  return (first.includes('=') ? first.slice(0, first.indexOf('=')) : first).trim();
}

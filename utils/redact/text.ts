import { decodeComponent } from '../url/percent';
import { isMasked, mask, maskEchoes, maskJwtSignature } from './mask';
import { SECRET_KEY_PATTERN, SECRET_NAME_PATTERN, UNAMBIGUOUS_NAME_PATTERN } from './names';

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
/**
 * A JSON member (also single-quoted), its value also cut off by a size bound before its closing quote:
 * the value then runs to the end of the text.
 */
const JSON_MEMBER = new RegExp(
  `(["'])(${SECRET_KEY_PATTERN})\\1(\\s*:\\s*)\\1((?:(?!\\1)[^\\\\]|\\\\[\\s\\S]|\\\\$)*)(\\1|$)`,
  'gi',
);
/** The same member escaped inside a JSON string (`"{\\"access_token\\":\\"…\\"}"`, logged JSON). */
const ESCAPED_JSON_MEMBER = new RegExp(
  `\\\\"(${SECRET_NAME_PATTERN})\\\\"(\\s*:\\s*)\\\\"((?:[^\\\\]|\\\\(?!")[\\s\\S])*)(\\\\"|$)`,
  'gi',
);
/** `<access_token>…</access_token>` (XML, SOAP). */
const XML_ELEMENT = new RegExp(`<((?:[\\w.-]+:)?(?:${UNAMBIGUOUS_NAME_PATTERN}))>([^<]+)</\\1>`, 'gi');
/**
 * A script's assignment or object member with an unquoted name (`var accessToken = "…"`,
 * `{clientSecret: '…'}`, `this.access_token = \`…\``), or an attribute (`password="…"`): names that are
 * credentials whatever the text around them, a quoted value.
 */
const ASSIGNED = new RegExp(
  `(^|[^\\w"'\`-])(${UNAMBIGUOUS_NAME_PATTERN})(\\s*[:=]\\s*)(["'\`])((?:(?!\\4)[^\\\\\\n]|\\\\.)*)\\4`,
  'gi',
);
/** An element named as a credential with its value in an attribute (`<clientSecret value="…"/>`). */
const XML_VALUE_ATTR = new RegExp(
  `(<(?:[\\w.-]+:)?(?:${UNAMBIGUOUS_NAME_PATTERN}|token|secret|password)\\b[^<>]*?\\bvalue\\s*=\\s*)(["'])([^"'<>]*)\\2`,
  'gi',
);
/** A multipart part of a secret field (`name="client_secret"`, its headers, a blank line, its value). */
const MULTIPART_PART = new RegExp(
  `(\\bname="(?:${SECRET_NAME_PATTERN})"[^\\r\\n]*\\r?\\n(?:[^\\r\\n]+\\r?\\n)*\\r?\\n)([^\\r\\n]+)`,
  'gi',
);
/** An HTML input of a secret field (a form_post or SAML page): its value attribute. */
const HTML_INPUT = /<input\b[^>]*>/gi;
const INPUT_NAME = new RegExp(`\\bname\\s*=\\s*["']?(?:${SECRET_NAME_PATTERN})["'\\s/>]`, 'i');
const INPUT_PASSWORD = /\btype\s*=\s*["']?password\b/i;
/** Quoted (`value="…"`, `value='…'`) or not (`value=…`, HTML allows it for values without spaces). */
const INPUT_VALUE = /(\bvalue\s*=\s*)(?:(["'])([^"']*)\2|([^\s"'=<>`]+))/i;
/**
 * `access_token: …` in plain text or YAML: a space after the colon (a URN's `…:refresh-token:session-invalid`
 * has none), and no quote (JSON_MEMBER's).
 */
const COLON_VALUE = new RegExp(
  `(^|[^\\w"':-])(${UNAMBIGUOUS_NAME_PATTERN})([ \\t]*:[ \\t]+)([^\\s"',;<>{}]{4,})`,
  'gim',
);
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

const idTokenMask = (name: string, value: string) =>
  /^id[_-]?token$/i.test(name) ? (maskJwtSignature(value) ?? mask(value)) : mask(value);

/**
 * The scans, each with what its pattern needs at least once (a character or word of the text): text
 * without it skips the scan, and text with none of them (most header values) is returned as it is.
 */
const SCANS: { needs: RegExp; scan: (text: string) => string }[] = [
  {
    needs: /=/,
    scan: (t) =>
      t.replace(
        NAME_VALUE,
        (_all, lead: string, name: string, value: string) => `${lead}${name}=${maskRaw(value)}`,
      ),
  },
  {
    needs: /%/,
    scan: (t) =>
      t.replace(ENCODED_NAME_VALUE, (all, lead: string, name: string, eq: string, value: string) =>
        value ? `${lead}${name}${eq}${maskRaw(value)}` : all,
      ),
  },
  {
    needs: /["']/,
    scan: (t) =>
      t.replace(
        JSON_MEMBER,
        (_all, q: string, name: string, colon: string, value: string, close: string) =>
          `${q}${name}${q}${colon}${q}${idTokenMask(name, value)}${close}`,
      ),
  },
  {
    needs: /\\"/,
    scan: (t) =>
      t.replace(
        ESCAPED_JSON_MEMBER,
        (_all, name: string, colon: string, value: string, close: string) =>
          `\\"${name}\\"${colon}\\"${idTokenMask(name, value)}${close}`,
      ),
  },
  {
    needs: /<\//,
    scan: (t) =>
      t.replace(XML_ELEMENT, (_all, tag: string, value: string) => `<${tag}>${mask(value)}</${tag}>`),
  },
  {
    needs: /[:=]\s*["'`]/,
    scan: (t) =>
      t.replace(
        ASSIGNED,
        (_all, lead: string, name: string, op: string, q: string, value: string) =>
          `${lead}${name}${op}${q}${value ? mask(value) : ''}${q}`,
      ),
  },
  {
    needs: /<[^>]*\bvalue\s*=/i,
    scan: (t) =>
      t.replace(
        XML_VALUE_ATTR,
        (_all, lead: string, q: string, value: string) => `${lead}${q}${value ? mask(value) : ''}${q}`,
      ),
  },
  {
    needs: /form-data/i,
    scan: (t) => t.replace(MULTIPART_PART, (_all, head: string, value: string) => `${head}${mask(value)}`),
  },
  {
    needs: /<input/i,
    scan: (t) =>
      t.replace(HTML_INPUT, (tag) =>
        INPUT_NAME.test(tag) || INPUT_PASSWORD.test(tag)
          ? tag.replace(
              INPUT_VALUE,
              (_m, attr: string, q: string | undefined, quoted: string, bare: string) =>
                q ? `${attr}${q}${quoted ? mask(quoted) : ''}${q}` : `${attr}${mask(bare)}`,
            )
          : tag,
      ),
  },
  {
    needs: /:[ \t]/,
    scan: (t) =>
      t.replace(
        COLON_VALUE,
        (_all, lead: string, name: string, colon: string, value: string) =>
          `${lead}${name}${colon}${mask(value)}`,
      ),
  },
  {
    needs: /Bearer|Basic/,
    scan: (t) =>
      t.replace(
        AUTH_SCHEME,
        (_all, scheme: string, space: string, value: string) => `${scheme}${space}${mask(value)}`,
      ),
  },
  { needs: /eyJ/, scan: (t) => t.replace(JWT_ANYWHERE, (jwt) => maskJwtSignature(jwt) ?? jwt) },
];

const MAY_HOLD_SECRET = /[=%"'<]|Bearer|Basic|eyJ|:[ \t]/;

export function redactText(text: string): string {
  if (!MAY_HOLD_SECRET.test(text)) return text;
  let out = text;
  for (const { needs, scan } of SCANS) if (needs.test(out)) out = scan(out);
  return out;
}

/** A word of prose that looks like a credential: 20 or more URL-safe characters, letters and digits. */
const OPAQUE_WORD = /[A-Za-z0-9._~+=-]{20,}/g;

/**
 * A server's own message (`error_description`, a status line's reason phrase): redactText(), and any
 * opaque word in it masked too, since servers echo the code or token they refuse ("The code 4f9…
 * was already used") without a name before it.
 */
export function redactProse(text: string): string {
  return redactText(maskEchoes(text)).replace(OPAQUE_WORD, (word, at: number, whole: string) =>
    /\d/.test(word) &&
    /[A-Za-z]/.test(word) &&
    !supportId(word, whole.slice(Math.max(0, at - 24), at)) &&
    !jsonPathSegment(word, whole.charAt(at - 1))
      ? mask(word)
      : word,
  );
}

/**
 * A URL path segment that is base64url JSON without dots (`/sim/eyJhIjoxfQ/fhir`: the SMART launcher
 * keeps its launch context there): no JWT (those have dots, and lose their signature elsewhere), no credential.
 */
function jsonPathSegment(word: string, before: string): boolean {
  return before === '/' && word.startsWith('eyJ') && !word.includes('.');
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What names the id a server's support asks for ("Trace ID: …", "Correlation ID: …", `request_id=…`). */
const SUPPORT_LABEL = /\b(?:trace|correlation|request|activity)[ _-]?id["']?[ \t]*[:=]?[ \t]*["']?$/i;

/**
 * A GUID named as a trace, correlation, request or activity id (Entra ID's AADSTS messages, gateways):
 * what the server's support asks for, kept. Codes and tokens are never said so.
 */
function supportId(word: string, before: string): boolean {
  return GUID.test(word) && SUPPORT_LABEL.test(before);
}

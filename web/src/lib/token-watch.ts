/**
 * What the token endpoint answered, as this page received it. fhirclient keeps a token response only
 * when it could use it: a response it could not read (not JSON, an access token it failed to decode)
 * leaves nothing but its error. The page watches its own token requests so that the explanation can say
 * what the server really sent. Only the shape is kept: field names, their JSON types, the Content-Type;
 * never a value of a secret.
 */
export interface SeenTokenResponse {
  status: number;
  /** The Content-Type header as sent; '' when there was none. */
  contentType: string;
  /** The Cache-Control header as sent (CORS lets a page read it); '' when there was none. */
  cacheControl: string;
  /** How the body reads: a JSON object, form-encoded fields, other text, or nothing. */
  format: 'json' | 'form' | 'text' | 'empty';
  /** The fields of a JSON or form-encoded body and their JSON types ('string', 'number', …). */
  fields: Record<string, string>;
  /**
   * The access token's shape, when the body has one: a JWT (three parts, a JSON payload), dotted but
   * no JWT (fhirclient reads such a token as a JWT when expires_in is missing, and fails: tokenShape()),
   * or opaque.
   */
  accessToken?: 'jwt' | 'dotted' | 'opaque';
}

export interface TokenWatch {
  /** The last token response seen (read to its end), or undefined when none was. */
  last(): Promise<SeenTokenResponse | undefined>;
  /** Puts the page's fetch back. */
  stop(): void;
}

/** A token request (authorization code or refresh) by its form body, as fhirclient sends it. */
function isTokenRequest(init: RequestInit | undefined): boolean {
  const method = (init?.method ?? 'GET').toUpperCase();
  if (method !== 'POST') return false;
  const body = init?.body;
  const grant =
    typeof body === 'string'
      ? new URLSearchParams(body).get('grant_type')
      : body instanceof URLSearchParams
        ? body.get('grant_type')
        : null;
  return grant === 'authorization_code' || grant === 'refresh_token';
}

const DISCOVERY = '/.well-known/smart-configuration';
const JWKS_KEY = 'sld-companion:jwks_uri:';
const ISSUER_KEY = 'sld-companion:issuer:';
const DISCOVERY_FAILED_KEY = 'sld-companion:discovery-failed:';

/**
 * The jwks_uri of the smart-configuration fhirclient read for `serverUrl` on this tab's launch page, if
 * it named one: the callback page checks the id_token's signature with it instead of reading discovery
 * again (a read after the token that the launch log would show as one more discovery step).
 */
export function rememberedJwksUri(storage: Pick<Storage, 'getItem'>, serverUrl: string): string | undefined {
  return remembered(storage, JWKS_KEY, serverUrl);
}

/**
 * The issuer the smart-configuration fhirclient read for `serverUrl` names: an id_token must carry exactly
 * it as its iss (OpenID Connect Core §3.1.3.7), which the callback page checks.
 */
export function rememberedIssuer(storage: Pick<Storage, 'getItem'>, serverUrl: string): string | undefined {
  return remembered(storage, ISSUER_KEY, serverUrl);
}

/**
 * How the smart-configuration read for `serverUrl` on this tab's launch page failed, when it did
 * ("answered HTTP 404", "could not be read…"): fhirclient then goes on with the CapabilityStatement
 * without a word, which the callback page says.
 */
export function rememberedDiscoveryFailure(
  storage: Pick<Storage, 'getItem'>,
  serverUrl: string,
): string | undefined {
  return remembered(storage, DISCOVERY_FAILED_KEY, serverUrl);
}

/** What the launch page kept under `prefix` for the FHIR base `serverUrl` (a trailing slash aside). */
function remembered(
  storage: Pick<Storage, 'getItem'>,
  prefix: string,
  serverUrl: string,
): string | undefined {
  try {
    return storage.getItem(prefix + serverUrl.replace(/\/+$/, '')) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Keeps the jwks_uri and issuer of a smart-configuration response read at `url`. */
function rememberJwksUri(storage: Pick<Storage, 'setItem'>, url: string, res: Response): void {
  const base = url.slice(0, url.indexOf(DISCOVERY));
  res
    .clone()
    .json()
    .then((config: unknown) => {
      storage.setItem(DISCOVERY_FAILED_KEY + base, '');
      const { jwks_uri: uri, issuer } = (config ?? {}) as { jwks_uri?: unknown; issuer?: unknown };
      if (typeof uri === 'string' && /^https?:\/\//.test(uri)) storage.setItem(JWKS_KEY + base, uri);
      if (typeof issuer === 'string' && issuer) storage.setItem(ISSUER_KEY + base, issuer);
    })
    .catch(() => undefined);
}

function urlOf(input: RequestInfo | URL): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

/**
 * Watches `target.fetch` (the page's global, which fhirclient calls) until stop(): token responses,
 * and, with `storage`, the jwks_uri of the discovery documents read.
 */
export function watchTokenResponses(
  target: { fetch: typeof fetch },
  storage?: Pick<Storage, 'setItem'>,
): TokenWatch {
  const original = target.fetch;
  let seen: Promise<SeenTokenResponse | undefined> = Promise.resolve(undefined);
  const watched = ((input: RequestInfo | URL, init?: RequestInit) => {
    const answer = original.call(globalThis, input, init);
    const url = storage ? urlOf(input).split(/[?#]/)[0]! : '';
    if (storage && url.endsWith(DISCOVERY)) {
      const failed = DISCOVERY_FAILED_KEY + url.slice(0, url.indexOf(DISCOVERY));
      answer.then(
        (res) => {
          if (res.ok) return rememberJwksUri(storage, url, res);
          storage.setItem(failed, `answered HTTP ${res.status}`);
        },
        () => storage.setItem(failed, 'could not be read by the page (blocked by CORS, or unreachable)'),
      );
    }
    if (isTokenRequest(init)) {
      seen = answer.then(
        (res) =>
          res
            .clone()
            .text()
            .then(
              (text) =>
                shapeOf(
                  res.status,
                  res.headers.get('content-type') ?? '',
                  text,
                  res.headers.get('cache-control') ?? '',
                ),
              () => undefined,
            ),
        () => undefined,
      );
    }
    return answer;
  }) as typeof fetch;
  target.fetch = watched;
  return {
    last: () => seen,
    stop: () => {
      if (target.fetch === watched) target.fetch = original;
    },
  };
}

/** The shape of a token response body (exported for tests). */
export function shapeOf(
  status: number,
  contentType: string,
  text: string,
  cacheControl = '',
): SeenTokenResponse {
  const out: SeenTokenResponse = { status, contentType, cacheControl, format: 'text', fields: {} };
  const trimmed = text.trim();
  if (!trimmed) return { ...out, format: 'empty' };
  let values: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      values = parsed as Record<string, unknown>;
      out.format = 'json';
    }
  } catch {
    // Not JSON: maybe form-encoded fields (a=b&c=d).
    if (/^[\w.~-]+=[^&]*(?:&[\w.~-]+=[^&]*)*$/.test(trimmed)) {
      values = Object.fromEntries(new URLSearchParams(trimmed));
      out.format = 'form';
    }
  }
  if (!values) return out;
  for (const [k, v] of Object.entries(values)) out.fields[k] = v === null ? 'null' : typeof v;
  const token = values.access_token;
  if (typeof token === 'string' && token) out.accessToken = tokenShape(token);
  return out;
}

/**
 * A token fhirclient reads as a JWT when expires_in is missing: it JSON-parses the base64 of the part
 * after the first dot. `dotted` when that fails (fhirclient then throws), `jwt` for a three-part token
 * that reads, else `opaque`.
 */
function tokenShape(token: string): 'jwt' | 'dotted' | 'opaque' {
  const parts = token.split('.');
  if (parts.length < 2 || !parts[1]) return 'opaque';
  try {
    JSON.parse(atob(parts[1].replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    return 'dotted';
  }
  return parts.length === 3 ? 'jwt' : 'opaque';
}

let page: TokenWatch | undefined;

/**
 * Starts the page's watch (once). It must run before fhirclient is loaded: the web build defines
 * FHIRCLIENT_PURE, and fhirclient then takes `window.fetch` once, when its module is evaluated
 * (lib/watch-token-first.ts, imported first by the callback page).
 */
export function startPageTokenWatch(
  target: { fetch: typeof fetch },
  storage?: Pick<Storage, 'setItem'>,
): void {
  page ??= watchTokenResponses(target, storage);
}

/** The last token response the page's watch saw; undefined when no watch runs. */
export function lastPageTokenResponse(): Promise<SeenTokenResponse | undefined> {
  return page ? page.last() : Promise.resolve(undefined);
}

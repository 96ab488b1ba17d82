import { isOracleHost } from '../capture/relevance';
import type { DecodedUrl, Exchange, Step, StepKind } from '../model';
import { getParam, hasParam, lazyDecodeUrl, nestedUrl } from '../url';
import { formValue } from '../url/query';
import { splitUrl, type UrlParts } from '../url/split';

export interface Classified {
  kind: StepKind;
  label: string;
  host: string;
  base: string;
  path: string;
  /** `scheme://host` of an absolute URL, else '' (originOf()). */
  origin: string;
  /** Decoded on first read for kinds whose parameters analysis rarely needs (FHIR, discovery…). */
  readonly decoded: DecodedUrl;
  /** What the query says, for correlation's second look with the launch's context (refine.ts). */
  readonly signals: QuerySignals;
}

/** Parameter names correlation's second look needs, read once with the classification. */
export interface QuerySignals {
  /**
   * Carries an authorization response (`code` or `error`, or the implicit flow's `access_token`, with
   * `state`) and no `response_type`.
   */
  authorizationResponse: boolean;
  code: boolean;
  error: boolean;
  state: boolean;
  /** The authorize kind came from the path alone (`…/auth`, `…/authorize`), not Oracle's path or OAuth params. */
  authorizeByPathOnly: boolean;
}

/** Kinds whose parameters correlation always reads; decoded eagerly. */
export const NEEDS_PARAMS: ReadonlySet<StepKind> = new Set<StepKind>([
  'ehr-launch',
  'standalone-launch',
  'authorize',
  'loading-page',
  'session-api',
  'error-page',
  'callback',
]);

/** The parameter names classification asks about, one bit each in QueryNames. */
const NAMES = [
  'code',
  'error',
  'state',
  'response_type',
  'client_id',
  'SAMLRequest',
  'SAMLResponse',
  'iss',
  'launch',
  'error_uri',
  'to',
  'context_id',
  'access_token',
] as const;
type Name = (typeof NAMES)[number];
/** Which of NAMES a query has (raw names, not decoded: names are plain ASCII in practice). */
type QueryNames = number;
const BIT = Object.fromEntries(NAMES.map((n, i) => [n, 1 << i])) as Record<Name, number>;

function has(names: QueryNames, name: Name): boolean {
  return (names & BIT[name]) !== 0;
}

/** The NAMES a raw query has; reads it once and allocates nothing. */
function queryNames(query: string): QueryNames {
  let names = 0;
  let start = 0;
  let eq = query.indexOf('='); // the first `=` at or after start, looked up again only once passed
  while (start < query.length) {
    let end = query.indexOf('&', start);
    if (end === -1) end = query.length;
    if (eq !== -1 && eq < start) eq = query.indexOf('=', start);
    const nameEnd = eq !== -1 && eq < end ? eq : end;
    const length = nameEnd - start;
    for (let i = 0; i < NAMES.length; i++) {
      const n = NAMES[i]!;
      if (n.length === length && query.startsWith(n, start)) {
        names |= 1 << i;
        break;
      }
    }
    start = end + 1;
  }
  return names;
}

/** Oracle's authorize path: `/tenants/<t>/protocols/oauth2/profiles/<profile>/personas/<persona>/authorize`. */
const ORACLE_AUTHORIZE =
  /\/tenants\/([^/]+)\/protocols\/oauth2\/profiles\/[^/]+\/personas\/([^/]+)\/authorize\/?$/;
const ORACLE_TENANT = /\/tenants\/([^/]+)\//;
const SESSION_API = /^\/session-api\/realm\/([^/]+)\/?$/;
const ERROR_PAGE = /^\/errors\/([^/]+)(?:\/|$)/;
const CODE_CONSOLE_APP = /^\/smart\/([^/]+)\/apps\/([^/]+)\/?$/;
const PREAUTH = /\/preauth\/?$/;
const FHIR_RESOURCE = /^[A-Z][A-Za-z]+$/;
const LOGIN_PATH = /\/(saml2?|sso|idp|adfs|login|signin|sign-in|oauth2\/v\d+\.\d+\/authorize)(\/|$)/i;
/** Fields of a sign-in form, in any letter case (ADFS posts `UserName` and `Password`). */
const CREDENTIAL_FIELD = /^(?:j_)?(?:user(?:_?name)?|login|email|pass(?:word|wd)?|pwd)$/i;
const JWKS_PATH = /(\/jwks?(\.json)?|\/jwk)\/?$/;

/**
 * An OpenID Connect provider's configuration. Apps read it to validate their id_token (Oracle's
 * issuer is `authorization.cerner.com/tenants/<t>/oidc/idsps/<t>/`), not to find the SMART endpoints:
 * it joins a launch but starts none (correlate.ts), gives it no `iss` (facts.ts), and its failure is
 * no SMART discovery failure (rules/discovery-failure.ts).
 */
export function isOidcConfigPath(path: string): boolean {
  return path.endsWith('/.well-known/openid-configuration');
}

/** An OpenID configuration read (isOidcConfigPath()). */
export function isOidcConfig(step: Step): boolean {
  return (
    step.kind === 'discovery' &&
    isOidcConfigPath(step.decoded ? step.decoded.path : splitUrl(step.exchange.url).path)
  );
}

/** Oracle persona from an authorize path, e.g. `provider` or `patient`. */
export function personaOf(path: string): string | undefined {
  return ORACLE_AUTHORIZE.exec(path)?.[2];
}

/** Oracle tenant id from `/tenants/<t>/…`, `/smart/<t>/apps/…` or a FHIR base `/r4/<t>`. */
export function tenantOf(path: string): string | undefined {
  return (
    ORACLE_TENANT.exec(path)?.[1] ??
    CODE_CONSOLE_APP.exec(path)?.[1] ??
    /^\/(?:r4|dstu2)\/([^/]+)/.exec(path)?.[1]
  );
}

/** Oracle's authorize path, or a generic path ending in /authorize or /auth (a guess: see refine.ts). */
export function isAuthorizePath(path: string): boolean {
  return ORACLE_AUTHORIZE.test(path) || GENERIC_AUTHORIZE.test(path);
}

const GENERIC_AUTHORIZE = /\/(authorize|auth)\/?$/;

function signalsOf(names: QueryNames, path: string): QuerySignals {
  const code = has(names, 'code');
  const error = has(names, 'error');
  const state = has(names, 'state');
  const authorizationResponse =
    (code || error || has(names, 'access_token')) && state && !has(names, 'response_type');
  const authorizeByPathOnly =
    path.includes('/auth') &&
    GENERIC_AUTHORIZE.test(path) &&
    !ORACLE_AUTHORIZE.test(path) &&
    !(has(names, 'response_type') && has(names, 'client_id'));
  // One shared, frozen object per combination: classification entries last as long as their
  // exchanges, and most exchanges have the same signals.
  const key =
    +code | (+error << 1) | (+state << 2) | (+authorizationResponse << 3) | (+authorizeByPathOnly << 4);
  let signals = SIGNALS[key];
  if (!signals) {
    signals = Object.freeze({ code, error, state, authorizationResponse, authorizeByPathOnly });
    SIGNALS[key] = signals;
  }
  return signals;
}

const SIGNALS: (QuerySignals | undefined)[] = new Array(32).fill(undefined);

export function isHtml(ex: Exchange): boolean {
  return (ex.responseHeaders['content-type'] ?? ex.body?.mimeType ?? '').includes('html');
}

function short(id: string): string {
  return id.length > 8 ? `${id.slice(0, 4)}…` : id;
}

/** The FHIR resource type of a REST path such as `/r4/<t>/Observation/123` or `/fhir/Patient?x`. */
export function resourceTypeOf(path: string): string | undefined {
  const segs = path.split('/').filter(Boolean);
  for (let i = segs.length - 1; i >= 0; i--) {
    const s = segs[i]!;
    if (FHIR_RESOURCE.test(s)) return s;
  }
  return undefined;
}

/**
 * What one exchange is in a SMART launch. Works on Oracle's path shapes first, then on generic SMART
 * servers (paths ending in /authorize, /token, form fields, query parameters). Pure and total: any
 * input yields a kind, at worst `other`.
 *
 * The result is remembered per exchange object and revision (Exchange.revision): the recorder
 * re-analyzes the same (growing) capture on every launch-list request, and bumps the revision of an
 * exchange it updates in place.
 */
export function classify(ex: Exchange): Classified {
  return classification(ex);
}

/**
 * classify() with its memo entry: one object per exchange revision holds the result, the decoded URL
 * once decoded, and a slot for correlation's own per-exchange results.
 */
export function classification(ex: Exchange): Classification {
  const revision = ex.revision ?? 0;
  const memo = memos.get(ex);
  if (memo?.revision === revision) return memo;
  const parts = splitUrl(ex.url);
  let names = queryNames(parts.query);
  if (parts.fragment && !has(names, 'code') && !has(names, 'error')) names = fragmentResponse(parts, names);
  if (ex.form && !has(names, 'code') && !has(names, 'error')) names = formPostResponse(ex, parts, names);
  const entry = new Classification(ex.url, revision, parts, signalsOf(names, parts.path));
  // Same URL, other fields changed (status, headers…): keep the decoded URL.
  if (memo && memo.url === entry.url) entry.adoptDecoded(memo);
  [entry.kind, entry.label] = kindOf(ex, parts.path, parts.host, names, entry);
  memos.set(ex, entry);
  return entry;
}

/**
 * An authorization response in the fragment (`response_mode=fragment`: `redirect_uri#code=…&state=…`).
 * webRequest drops fragments, webNavigation keeps them (utils/capture/reducer.ts): the response's
 * parameters are read as if they were the query's, after it, so the step is the callback they make.
 * `parts` is changed in place; other fragments (`#/route`, `#section`) leave it as it is.
 */
function fragmentResponse(parts: UrlParts, names: QueryNames): QueryNames {
  if (!parts.fragment.includes('=')) return names;
  const inFragment = queryNames(parts.fragment);
  if (
    !has(inFragment, 'state') ||
    !(has(inFragment, 'code') || has(inFragment, 'error') || has(inFragment, 'access_token'))
  ) {
    return names;
  }
  parts.query = parts.query ? `${parts.query}&${parts.fragment}` : parts.fragment;
  return names | inFragment;
}

/**
 * An authorization response posted as a form (`response_mode=form_post`: the server's page submits
 * `code` or `error`, and `state`, to the redirect URI). Its fields are read as the query's, after it, as
 * a fragment response's are; a page's navigation only: the app's own fetch of a code to its backend is
 * no response of the server (refine.ts, handsCodeOver()).
 */
function formPostResponse(ex: Exchange, parts: UrlParts, names: QueryNames): QueryNames {
  const form = ex.form!;
  if (!form.state || !(form.code || form.error) || form.grant_type || form.password) return names;
  // A page's navigation: a frame, or a HAR entry of unknown type (Firefox names none).
  const page = ex.type === 'main_frame' || ex.type === 'sub_frame' || ex.type === 'other';
  if (!page || ex.method.toUpperCase() !== 'POST') return names;
  const fields: string[] = [];
  for (const [name, values] of Object.entries(form)) {
    for (const value of values) fields.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  }
  const posted = fields.join('&');
  parts.query = parts.query ? `${parts.query}&${posted}` : posted;
  return names | queryNames(posted);
}

/** Weakly held: an exchange dropped from the capture takes its entry with it. */
const memos = new WeakMap<Exchange, Classification>();

export class Classification implements Classified {
  kind: StepKind = 'other';
  label = '';
  /** Free for correlation (utils/launch/correlate.ts); goes when the exchange is classified again. */
  derived: unknown = undefined;
  /** Free for the flow context (utils/launch/refine.ts); goes with the entry too. */
  declared: unknown = undefined;
  readonly host: string;
  readonly base: string;
  readonly path: string;
  /** What the decoded URL is made from (not the split parts: entries last, the parts need not). */
  private readonly scheme: string;
  readonly query: string;
  private value: DecodedUrl | undefined = undefined;

  constructor(
    readonly url: string,
    readonly revision: number,
    parts: UrlParts,
    readonly signals: QuerySignals,
  ) {
    this.host = parts.host;
    this.base = parts.base;
    this.path = parts.path;
    this.scheme = parts.scheme;
    this.query = parts.query;
  }

  /** `scheme://host` of an absolute URL, else '' (originOf()). */
  get origin(): string {
    const { scheme, host } = this;
    return scheme && host ? `${scheme}://${host}` : '';
  }

  /**
   * The decoded URL, made on first read from the parts split for classification; its parameters are
   * decoded as they are read (utils/url/decode.ts, lazyDecodeUrl).
   */
  get decoded(): DecodedUrl {
    this.value ??= lazyDecodeUrl(this.url, this);
    return this.value;
  }

  adoptDecoded(other: Classification): void {
    this.value = other.value;
  }
}

function kindOf(
  ex: Exchange,
  path: string,
  host: string,
  names: QueryNames,
  lazy: { readonly decoded: DecodedUrl; readonly signals: QuerySignals },
): [StepKind, string] {
  const method = ex.method.toUpperCase();
  const grantType = formValue(ex.form, 'grant_type');

  if (path.endsWith('/.well-known/smart-configuration'))
    return ['discovery', 'discovery (smart-configuration)'];
  if (isOidcConfigPath(path)) return ['discovery', 'discovery (openid-configuration)'];
  // Each pattern below is tried only on paths with its fixed text: most paths have none of them.
  if (path.includes('/metadata') && /\/metadata\/?$/.test(path))
    return ['metadata', 'FHIR CapabilityStatement'];
  if (grantType === 'refresh_token') return ['refresh', 'token refresh'];
  // Every OAuth token request has a grant_type: a POST to `…/token` whose form is visible without one
  // is something else (an app's own backend taking the code). Without a visible form (body not
  // recorded, JSON) the path is a first guess, which refine.ts checks against discovery.
  if (grantType || (method === 'POST' && /\/token\/?$/.test(path) && !hasForm(ex))) {
    return ['token', grantType ? `token (${grantType})` : 'token'];
  }
  if (path.includes('/jwk') && JWKS_PATH.test(path) && !has(names, 'code')) return ['jwks', 'JWKS'];

  const session = path.startsWith('/session-api/') ? SESSION_API.exec(path) : null;
  if (session) {
    const flag = getParam(lazy.decoded, 'forceAuthn') === 'true' ? ' forceAuthn' : '';
    return ['session-api', `session-api realm ${short(session[1]!)}${flag}`];
  }
  const err = path.startsWith('/errors/') ? ERROR_PAGE.exec(path) : null;
  if (err) {
    let urn = err[1]!;
    try {
      urn = decodeURIComponent(urn);
    } catch {
      // keep the raw segment
    }
    return ['error-page', `error page ${urn.split(':').slice(-2).join(':')}`];
  }
  const app = path.startsWith('/smart/') ? CODE_CONSOLE_APP.exec(path) : null;
  if (app) return ['ehr-launch', `EHR app launch (app ${short(app[2]!)})`];
  if (path.includes('/preauth') && PREAUTH.test(path) && has(names, 'context_id'))
    return ['ehr-launch', 'EHR preauth'];

  // A login form may post to a path ending in /auth; its password field says what it is.
  if (method === 'POST' && ex.form?.password) return ['idp-login', 'IdP login (form)'];
  // An authorization response is the app's callback whatever its path: redirect URIs such as
  // `/launch/auth` end like an authorize endpoint, and RFC 9207 servers add `iss` to the callback.
  if (lazy.signals.authorizationResponse) return callbackKind(lazy.decoded);
  if (isAuthorizePath(path) || (has(names, 'response_type') && has(names, 'client_id'))) {
    const persona = personaOf(path);
    const what = persona ? `authorize (${persona})` : 'authorize';
    if (method === 'GET' && ex.status === 200 && isHtml(ex))
      return ['loading-page', authorizePageLabel(what, host)];
    return ['authorize', method === 'POST' ? `${what} POST` : what];
  }
  if (has(names, 'SAMLRequest') || has(names, 'SAMLResponse') || ex.form?.SAMLResponse) {
    return ['idp-login', 'IdP login (SAML)'];
  }
  // An app's launch URL may sit at a login-like path (`/login?iss=…&launch=…`): the EHR opens it as a
  // page with both SMART launch parameters, which no IdP login page carries. Login forms posted with a
  // password returned above.
  if (method === 'GET' && has(names, 'iss') && has(names, 'launch') && isPageLoad(ex)) {
    return ['ehr-launch', 'app launch URL (iss + launch)'];
  }
  if (LOGIN_PATH.test(path) || (method === 'POST' && hasCredentials(ex.form))) {
    return ['idp-login', method === 'POST' ? 'IdP login (form)' : 'IdP login'];
  }
  if (has(names, 'iss')) {
    return has(names, 'launch')
      ? ['ehr-launch', 'app launch URL (iss + launch)']
      : ['standalone-launch', 'standalone launch (iss)'];
  }
  const fhir = fhirLabel(ex, host, path);
  if (has(names, 'code') && isCallbackByCode(ex, fhir)) return callbackKind(lazy.decoded);
  if (has(names, 'error') && has(names, 'state')) return callbackKind(lazy.decoded);
  if (has(names, 'state') && ex.type === 'main_frame' && has(names, 'error_uri')) {
    return ['callback', 'callback (error)'];
  }
  if (fhir) return ['fhir', fhir];
  if (has(names, 'to') && nestedUrl(lazy.decoded, 'to')) return ['other', 'redirect hop'];
  return ['other', `${method} ${host}${path.length > 40 ? `${path.slice(0, 40)}…` : path}`];
}

/** Kind and label of the app's callback, from its parameters. */
/** The issuer an authorization response names (RFC 9207 `iss`, Keycloak and others), when an https URL. */
export function responseIssuer(decoded: DecodedUrl | undefined): string | undefined {
  const iss = getParam(decoded, 'iss');
  return iss && /^https:\/\//i.test(iss) ? iss : undefined;
}

export function callbackKind(decoded: DecodedUrl): [StepKind, string] {
  const error = getParam(decoded, 'error');
  if (error !== undefined) return ['callback', `callback error=${error}`];
  // The implicit flow (response_type=token) hands the access token itself over.
  if (!hasParam(decoded, 'code') && hasParam(decoded, 'access_token')) {
    return ['callback', 'callback (access token)'];
  }
  return ['callback', 'callback (code)'];
}

const FHIR_HOST = /^fhir[-.]|\.fhir\.|fhir-/;

/**
 * Whether a URL with `code` and no `state` is the app's callback. `code` is also a FHIR search parameter
 * (Observation?patient=…&code=http://loinc.org|8302-2) and a word any API may use, while an authorization
 * response arrives as a page load (the browser follows the server's redirect): a request of another
 * known type (fetch, XHR, script…) is none, nor is a FHIR call where the type is unknown (a HAR without
 * resource types) or a page load answered with FHIR.
 */
function isCallbackByCode(ex: Exchange, fhir: string | undefined): boolean {
  if (isFrame(ex)) return !(fhir && isFhirResponse(ex));
  return (ex.type === 'other' || !ex.type) && !fhir;
}

/** The request's form body was recorded (Chrome gives none for JSON or raw bodies). */
function hasForm(ex: Exchange): boolean {
  if (!ex.form) return false;
  for (const _ in ex.form) return true;
  return false;
}

/** A form that carries a user name or password field. */
function hasCredentials(form: Exchange['form']): boolean {
  if (!form) return false;
  for (const name in form) if (CREDENTIAL_FIELD.test(name)) return true;
  return false;
}

/** A page load, or a request whose type the source did not say (a HAR entry, type `other`). */
function isPageLoad(ex: Exchange): boolean {
  return isFrame(ex) || ex.type === 'other' || !ex.type;
}

/** A page load (an authorization response is one: the browser follows the server's redirect). */
function isFrame(ex: Exchange): boolean {
  return ex.type === 'main_frame' || ex.type === 'sub_frame';
}

/** Answered with a FHIR media type (`application/fhir+json`, `application/json+fhir`…). */
function isFhirResponse(ex: Exchange): boolean {
  return (ex.responseHeaders['content-type'] ?? '').includes('fhir');
}

function fhirLabel(ex: Exchange, host: string, path: string): string | undefined {
  const type = isFhirResponse(ex);
  // A page answered with HTML under a FHIR-like path (a wiki at /fhir/Home) is no FHIR call; a script's
  // request there answered with an HTML error (a gateway's 502 page) is a FHIR call that failed.
  if (
    !type &&
    (ex.responseHeaders['content-type'] ?? '').includes('html') &&
    (ex.type === 'main_frame' || ex.type === 'sub_frame' || (ex.status ?? 0) < 400)
  )
    return undefined;
  const fhirPath = /\/(r4|r5|stu3|dstu2|fhir|baseR4)(\/|$)/i.test(path);
  if (!type && !fhirPath && !FHIR_HOST.test(host)) return undefined;
  const rt = resourceTypeOf(path);
  if (!rt && !type) return undefined;
  return `FHIR ${ex.method.toUpperCase()} ${rt ?? path}`;
}

/**
 * An authorize request answered with a page: Oracle's "Loading page" (which goes on to its session-api),
 * another server's sign-in page.
 */
export function authorizePageLabel(what: string, host: string): string {
  return isOracleHost(host) ? `${what} Loading page` : `${what} sign-in page`;
}

import type { DecodedUrl, Exchange, StepKind } from '../model';
import { decodeUrl, getParam, nestedUrl } from '../url';
import { formValue } from '../url/query';
import { splitUrl } from '../url/split';

export interface Classified {
  kind: StepKind;
  label: string;
  host: string;
  base: string;
  /** Decoded on first read for kinds whose parameters analysis rarely needs (FHIR, discovery…). */
  readonly decoded: DecodedUrl;
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

/** Parameter names of a raw query, without decoding values (cheap; names are plain ASCII in practice). */
function queryNames(query: string): Set<string> {
  const names = new Set<string>();
  if (!query) return names;
  let start = 0;
  while (start < query.length) {
    let end = query.indexOf('&', start);
    if (end === -1) end = query.length;
    const eq = query.indexOf('=', start);
    names.add(query.slice(start, eq !== -1 && eq < end ? eq : end));
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
const LOGIN_PATH = /\/(saml2?|sso|idp|login|signin|sign-in|oauth2\/v\d+\.\d+\/authorize)(\/|$)/i;
const JWKS_PATH = /(\/jwks?(\.json)?|\/jwk)\/?$/;

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

export function isAuthorizePath(path: string): boolean {
  return ORACLE_AUTHORIZE.test(path) || /\/(authorize|auth)\/?$/.test(path);
}

function isHtml(ex: Exchange): boolean {
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
 */
export function classify(ex: Exchange): Classified {
  const parts = splitUrl(ex.url);
  const lazy = new LazyDecoded(ex.url);
  const [kind, label] = kindOf(ex, parts.path, parts.host, queryNames(parts.query), lazy);
  const c = new ClassifiedExchange(kind, label, parts.host, parts.base, lazy);
  if (NEEDS_PARAMS.has(kind)) lazy.get();
  return c;
}

/** Decodes its URL once, on first use. */
class LazyDecoded {
  private value: DecodedUrl | undefined;
  constructor(private readonly url: string) {}
  get(): DecodedUrl {
    this.value ??= decodeUrl(this.url);
    return this.value;
  }
}

class ClassifiedExchange implements Classified {
  constructor(
    readonly kind: StepKind,
    readonly label: string,
    readonly host: string,
    readonly base: string,
    private readonly lazy: LazyDecoded,
  ) {}
  get decoded(): DecodedUrl {
    return this.lazy.get();
  }
}

function kindOf(
  ex: Exchange,
  path: string,
  host: string,
  names: Set<string>,
  lazy: LazyDecoded,
): [StepKind, string] {
  const method = ex.method.toUpperCase();
  const grantType = formValue(ex.form, 'grant_type');

  if (path.endsWith('/.well-known/smart-configuration'))
    return ['discovery', 'discovery (smart-configuration)'];
  if (path.endsWith('/.well-known/openid-configuration'))
    return ['discovery', 'discovery (openid-configuration)'];
  if (/\/metadata\/?$/.test(path)) return ['metadata', 'FHIR CapabilityStatement'];
  if (grantType === 'refresh_token') return ['refresh', 'token refresh'];
  if (grantType || (method === 'POST' && /\/token\/?$/.test(path))) {
    return ['token', grantType ? `token (${grantType})` : 'token'];
  }
  if (JWKS_PATH.test(path) && !names.has('code')) return ['jwks', 'JWKS'];

  const session = SESSION_API.exec(path);
  if (session) {
    const flag = getParam(lazy.get(), 'forceAuthn') === 'true' ? ' forceAuthn' : '';
    return ['session-api', `session-api realm ${short(session[1]!)}${flag}`];
  }
  const err = ERROR_PAGE.exec(path);
  if (err) {
    let urn = err[1]!;
    try {
      urn = decodeURIComponent(urn);
    } catch {
      // keep the raw segment
    }
    return ['error-page', `error page ${urn.split(':').slice(-2).join(':')}`];
  }
  const app = CODE_CONSOLE_APP.exec(path);
  if (app) return ['ehr-launch', `EHR app launch (app ${short(app[2]!)})`];
  if (PREAUTH.test(path) && names.has('context_id')) return ['ehr-launch', 'EHR preauth'];

  // A login form may post to a path ending in /auth; its password field says what it is.
  if (method === 'POST' && ex.form?.password) return ['idp-login', 'IdP login (form)'];
  if (isAuthorizePath(path) || (names.has('response_type') && names.has('client_id'))) {
    const persona = personaOf(path);
    const what = persona ? `authorize (${persona})` : 'authorize';
    if (method === 'GET' && ex.status === 200 && isHtml(ex)) return ['loading-page', `${what} Loading page`];
    return ['authorize', method === 'POST' ? `${what} POST` : what];
  }
  if (names.has('SAMLRequest') || names.has('SAMLResponse') || ex.form?.SAMLResponse) {
    return ['idp-login', 'IdP login (SAML)'];
  }
  if (LOGIN_PATH.test(path) || (method === 'POST' && (ex.form?.password || ex.form?.username))) {
    return ['idp-login', method === 'POST' ? 'IdP login (form)' : 'IdP login'];
  }
  if (names.has('iss')) {
    return names.has('launch')
      ? ['ehr-launch', 'app launch URL (iss + launch)']
      : ['standalone-launch', 'standalone launch (iss)'];
  }
  if (names.has('code') || (names.has('error') && names.has('state'))) {
    return [
      'callback',
      names.has('error') ? `callback error=${getParam(lazy.get(), 'error')}` : 'callback (code)',
    ];
  }
  if (names.has('state') && ex.type === 'main_frame' && names.has('error_uri')) {
    return ['callback', 'callback (error)'];
  }
  const fhir = fhirLabel(ex, host, path);
  if (fhir) return ['fhir', fhir];
  if (names.has('to') && nestedUrl(lazy.get(), 'to')) return ['other', 'redirect hop'];
  return ['other', `${method} ${host}${path.length > 40 ? `${path.slice(0, 40)}…` : path}`];
}

const FHIR_HOST = /^fhir[-.]|\.fhir\.|fhir-/;

function fhirLabel(ex: Exchange, host: string, path: string): string | undefined {
  const type = (ex.responseHeaders['content-type'] ?? '').includes('fhir');
  const fhirPath = /\/(r4|r5|stu3|dstu2|fhir|baseR4)(\/|$)/i.test(path);
  if (!type && !fhirPath && !FHIR_HOST.test(host)) return undefined;
  const rt = resourceTypeOf(path);
  if (!rt && !type) return undefined;
  return `FHIR ${ex.method.toUpperCase()} ${rt ?? path}`;
}

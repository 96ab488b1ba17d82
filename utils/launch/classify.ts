import type { DecodedUrl, Exchange, StepKind } from '../model';
import { decodeUrl, getParam, hasParam, nestedUrl } from '../url';
import { formValue } from '../url/query';

export interface Classified {
  kind: StepKind;
  label: string;
  decoded: DecodedUrl;
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
  const decoded = decodeUrl(ex.url);
  const path = decoded.path;
  const method = ex.method.toUpperCase();
  const grantType = formValue(ex.form, 'grant_type');
  const result = (kind: StepKind, label: string): Classified => ({ kind, label, decoded });

  if (path.endsWith('/.well-known/smart-configuration'))
    return result('discovery', 'discovery (smart-configuration)');
  if (path.endsWith('/.well-known/openid-configuration'))
    return result('discovery', 'discovery (openid-configuration)');
  if (/\/metadata\/?$/.test(path)) return result('metadata', 'FHIR CapabilityStatement');
  if (grantType === 'refresh_token') return result('refresh', 'token refresh');
  if (grantType || (method === 'POST' && /\/token\/?$/.test(path))) {
    return result('token', grantType ? `token (${grantType})` : 'token');
  }
  if (JWKS_PATH.test(path) && !hasParam(decoded, 'code')) return result('jwks', 'JWKS');

  const session = SESSION_API.exec(path);
  if (session) {
    const flag = getParam(decoded, 'forceAuthn') === 'true' ? ' forceAuthn' : '';
    return result('session-api', `session-api realm ${short(session[1]!)}${flag}`);
  }
  const err = ERROR_PAGE.exec(path);
  if (err) {
    let urn = err[1]!;
    try {
      urn = decodeURIComponent(urn);
    } catch {
      // keep the raw segment
    }
    return result('error-page', `error page ${urn.split(':').slice(-2).join(':')}`);
  }
  const app = CODE_CONSOLE_APP.exec(path);
  if (app) return result('ehr-launch', `EHR app launch (app ${short(app[2]!)})`);
  if (PREAUTH.test(path) && hasParam(decoded, 'context_id')) return result('ehr-launch', 'EHR preauth');

  // A login form may post to a path ending in /auth; its password field says what it is.
  if (method === 'POST' && ex.form?.password) return result('idp-login', 'IdP login (form)');
  if (isAuthorizePath(path) || (hasParam(decoded, 'response_type') && hasParam(decoded, 'client_id'))) {
    const persona = personaOf(path);
    const what = persona ? `authorize (${persona})` : 'authorize';
    if (method === 'GET' && ex.status === 200 && isHtml(ex))
      return result('loading-page', `${what} Loading page`);
    return result('authorize', method === 'POST' ? `${what} POST` : what);
  }
  if (hasParam(decoded, 'SAMLRequest') || hasParam(decoded, 'SAMLResponse') || ex.form?.SAMLResponse) {
    return result('idp-login', 'IdP login (SAML)');
  }
  if (LOGIN_PATH.test(path) || (method === 'POST' && (ex.form?.password || ex.form?.username))) {
    return result('idp-login', method === 'POST' ? 'IdP login (form)' : 'IdP login');
  }
  if (hasParam(decoded, 'iss')) {
    return hasParam(decoded, 'launch')
      ? result('ehr-launch', 'app launch URL (iss + launch)')
      : result('standalone-launch', 'standalone launch (iss)');
  }
  if (hasParam(decoded, 'code') || (hasParam(decoded, 'error') && hasParam(decoded, 'state'))) {
    return result(
      'callback',
      hasParam(decoded, 'error') ? `callback error=${getParam(decoded, 'error')}` : 'callback (code)',
    );
  }
  if (hasParam(decoded, 'state') && ex.type === 'main_frame' && hasParam(decoded, 'error_uri')) {
    return result('callback', 'callback (error)');
  }
  const fhir = fhirLabel(ex, decoded);
  if (fhir) return result('fhir', fhir);
  if (nestedUrl(decoded, 'to')) return result('other', 'redirect hop');
  return result('other', `${method} ${decoded.host}${path.length > 40 ? `${path.slice(0, 40)}…` : path}`);
}

const FHIR_HOST = /^fhir[-.]|\.fhir\.|fhir-/;

function fhirLabel(ex: Exchange, decoded: DecodedUrl): string | undefined {
  const type = (ex.responseHeaders['content-type'] ?? '').includes('fhir');
  const fhirPath = /\/(r4|r5|stu3|dstu2|fhir|baseR4)(\/|$)/i.test(decoded.path);
  if (!type && !fhirPath && !FHIR_HOST.test(decoded.host)) return undefined;
  const rt = resourceTypeOf(decoded.path);
  if (!rt && !type) return undefined;
  return `FHIR ${ex.method.toUpperCase()} ${rt ?? decoded.path}`;
}

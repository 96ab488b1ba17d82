import { hostname, splitUrl } from '../url/split';

/**
 * Which traffic belongs to a SMART launch. Only this is recorded: anything else the browser shows us
 * (the user's other browsing, page assets) is dropped before it reaches storage.
 */

/** Oracle Health (Cerner) hosts: every document and API call there is part of a launch. */
export const ORACLE_HOST_SUFFIXES = ['cerner.com'];

/** Resource types never interesting on their own (assets of the pages we watch). */
const ASSET_TYPES = new Set([
  'image',
  'stylesheet',
  'font',
  'media',
  'script',
  'ping',
  'csp_report',
  'object',
  'websocket',
]);

/** Paths of page assets (icons, images, styles, scripts, fonts). */
const ASSET_PATH = /\.(?:ico|png|jpe?g|gif|svg|webp|css|js|mjs|map|woff2?|ttf|eot)$/i;

/** SMART/OAuth endpoints by path shape, on any host. */
const SMART_PATH =
  /\/\.well-known\/(?:smart-configuration|openid-configuration)\/?$|\/metadata\/?$|\/authorize\/?$|\/token\/?$|\/token\/(?:revoke|introspect)$|\/introspect$|\/revoke$|\/session-api\/|\/jwks?(?:\.json)?\/?$|\/errors\/urn(?::|%3A)/i;

/** FHIR REST shapes: a FHIR base segment or a resource type as a path segment. */
const FHIR_PATH =
  /\/(?:r4|r4b|r5|stu3|dstu2|fhir|baseR4|baseDstu2|baseStu3)(?:\/|$)|\/(?:Patient|Practitioner|PractitionerRole|Encounter|Observation|Condition|MedicationRequest|MedicationStatement|AllergyIntolerance|Procedure|DiagnosticReport|DocumentReference|Immunization|CarePlan|Goal|Device|Location|Organization|RelatedPerson|Person|Appointment|Coverage|ServiceRequest|CapabilityStatement|OperationOutcome)(?:\/|\?|$)/;

const API_TYPES = new Set(['xmlhttprequest', 'fetch', 'other']);

/** Page loads; `other` too: a HAR without resource types (Firefox's) says nothing more. */
const PAGE_TYPES = new Set(['main_frame', 'sub_frame', 'other']);
/** An `iss` parameter whose value is an absolute http(s) URL, plain or percent-encoded. */
const ISS_URL = /&iss=https?(?::|%3A)/i;

export function isOracleHost(host: string): boolean {
  const h = hostname(host);
  return ORACLE_HOST_SUFFIXES.some((s) => h === s || h.endsWith(`.${s}`));
}

/** isOracleHost() of a URL's host; false for no URL or one without a host. */
export function isOracleUrl(url: string | undefined): boolean {
  return url ? isOracleHost(splitUrl(url).host) : false;
}

function paramNames(query: string): Set<string> {
  const names = new Set<string>();
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const name = (eq === -1 ? pair : pair.slice(0, eq)).toLowerCase();
    if (name) names.add(name);
  }
  return names;
}

export interface RelevanceInput {
  url: string;
  method?: string;
  /** Resource type; undefined for navigations and DevTools entries. */
  type?: string;
  form?: Record<string, string[]>;
}

export function isRelevant({ url, type, form }: RelevanceInput): boolean {
  const { scheme, host, path, query, fragment } = splitUrl(url);
  if (scheme !== 'http' && scheme !== 'https') return false;
  if (form && Object.hasOwn(form, 'grant_type')) return true;
  // An authorization response posted to the redirect URI (response_mode=form_post).
  if (form && Object.hasOwn(form, 'state') && (Object.hasOwn(form, 'code') || Object.hasOwn(form, 'error')))
    return true;
  // A sign-in form a page posted (an identity provider's login, on any host the extension watches).
  if (
    form &&
    (type === undefined || PAGE_TYPES.has(type)) &&
    (Object.hasOwn(form, 'password') || Object.hasOwn(form, 'username'))
  )
    return true;
  const names = paramNames(fragment.includes('=') ? `${query}&${fragment}` : query);
  if (names.has('iss') && names.has('launch')) return true;
  // A standalone launch URL names the FHIR server alone: a page loaded with `iss=https://…`.
  // OpenID third-party login (LTI 1.3's initiation) names its issuer with a login_hint: no FHIR server.
  if (
    names.has('iss') &&
    !names.has('login_hint') &&
    (type === undefined || PAGE_TYPES.has(type)) &&
    ISS_URL.test(`&${query}`)
  )
    return true;
  if ((names.has('code') || names.has('error') || names.has('access_token')) && names.has('state'))
    return true;
  // An OAuth authorization request, whatever its path (`/protocol/openid-connect/auth`, `/oauth2/v2.0/…`).
  if (names.has('response_type') && names.has('client_id')) return true;
  if (type && ASSET_TYPES.has(type)) return false;
  // A file of a tool that names no resource types (a proxy's, Firefox's): an asset by its path.
  if ((type === undefined || type === 'other') && ASSET_PATH.test(path)) return false;
  if (SMART_PATH.test(path)) return true;
  if (isOracleHost(host)) return true;
  return FHIR_PATH.test(path) && (type === undefined || API_TYPES.has(type));
}

/**
 * A response that redirected to `target` leads into a launch (a sign-in or consent post sent back to the
 * callback or to authorize): the request belongs to it, though nothing of it did before its answer.
 */
export function leadsIntoLaunch(target: string, type?: string): boolean {
  return isRelevant({ url: target, method: 'GET', type });
}

import type { DecodedUrl, Exchange, Step, StepKind } from '../model';
import { isMasked } from '../redact/mask';
import { getParam, lazyDecodeUrl, nestedUrl } from '../url';
import { formValue } from '../url/query';
import { originOf, splitUrl } from '../url/split';
import { NEEDS_PARAMS, personaOf, tenantOf } from './classify';

/** What one step says about the launch it belongs to; used to correlate steps and fill in the launch. */
export interface StepFacts {
  launchParam?: string;
  state?: string;
  clientId?: string;
  redirectUri?: string;
  /** Keyed fingerprint of the full code (callback, token request), from the exchange's secret facts. */
  codeFingerprint?: string;
  /** PKCE link: the authorize `code_challenge`, or the S256 challenge of the token request's verifier. */
  pkceChallenge?: string;
  iss?: string;
  persona?: string;
  tenant?: string;
  /** Origin of the app's own pages (launch URL, callback). */
  appOrigin?: string;
  /**
   * Keyed fingerprint of the access token the step's token response issued, or its FHIR call sent
   * (SecretFacts.tokenFingerprint: HAR imports).
   */
  tokenFingerprint?: string;
}

const SMART_CONFIG_SUFFIX = /\/\.well-known\/smart-configuration$/;

/** The authorize parameters a step carries: its own query, the `to=` of a session-api hop, or a POST form. */
export function authorizeParams(step: Step): DecodedUrl | undefined {
  return authorizeParamsOf(step.exchange, step.kind, step.decoded);
}

/** authorizeParams() of an exchange of that kind whose URL decodes to `decoded`. */
export function authorizeParamsOf(
  ex: Exchange,
  kind: StepKind,
  decoded: DecodedUrl | undefined,
): DecodedUrl | undefined {
  if (kind === 'session-api') return nestedUrl(decoded, 'to');
  if (kind === 'authorize' || kind === 'loading-page') {
    if (ex.method.toUpperCase() === 'POST' && ex.form) {
      const params = Object.entries(ex.form).flatMap(([name, vs]) => vs.map((value) => ({ name, value })));
      const d = decoded!;
      // Not a spread: that would decode the query's parameters only to drop them.
      return { base: d.base, host: d.host, path: d.path, params, length: d.length };
    }
    return decoded;
  }
  return undefined;
}

/** The parts of the step's URL stepFacts() reads, when the caller has them already (classify.ts). */
export interface UrlFacts {
  base: string;
  origin: string;
}

/** Kinds that say something about their launch; the others all share NO_FACTS. */
const FACT_KINDS: ReadonlySet<StepKind> = new Set<StepKind>([
  'ehr-launch',
  'standalone-launch',
  'discovery',
  'authorize',
  'loading-page',
  'session-api',
  'error-page',
  'callback',
  'token',
  'refresh',
]);

/**
 * Facts with every field present: one shape and one allocation, however many fields a kind fills in
 * (an object literal that grows past four fields gets a separate property store). Facts last as long
 * as their exchange (correlate.ts).
 */
function noFacts(): StepFacts {
  return {
    launchParam: undefined,
    state: undefined,
    clientId: undefined,
    redirectUri: undefined,
    codeFingerprint: undefined,
    pkceChallenge: undefined,
    iss: undefined,
    persona: undefined,
    tenant: undefined,
    appOrigin: undefined,
    tokenFingerprint: undefined,
  };
}

/** The facts of a step of any other kind: shared, read only. */
const NO_FACTS: StepFacts = noFacts();

export function stepFacts(step: Step, url?: UrlFacts): StepFacts {
  const ex = step.exchange;
  // Read lazily: only the kinds below that need parameters decode the URL.
  const d = NEEDS_PARAMS.has(step.kind) ? step.decoded : undefined;
  if (!FACT_KINDS.has(step.kind)) {
    // A FHIR call says which launch it belongs to only through the token it sent, when that was seen.
    const sent = step.kind === 'fhir' ? ex.secretFacts?.tokenFingerprint : undefined;
    if (!sent) return NO_FACTS;
    const f = noFacts();
    f.tokenFingerprint = sent;
    return f;
  }
  const f = noFacts();
  switch (step.kind) {
    case 'ehr-launch':
    case 'standalone-launch': {
      f.launchParam =
        getParam(d, 'launch') ??
        getParam(d, 'context_id') ??
        ex.responseHeaders['smart-launch'] ??
        (ex.location ? getParam(lazyDecodeUrl(ex.location), 'context_id') : undefined);
      f.iss = getParam(d, 'iss');
      if (f.iss) f.appOrigin = (url ? url.origin : originOf(ex.url)) || undefined;
      f.tenant = getParam(d, 'tenant') ?? tenantOf(d?.path ?? '');
      break;
    }
    case 'discovery': {
      // An OpenID configuration names its issuer, an authorization server, not the FHIR base.
      const base = url ? url.base : splitUrl(ex.url).base;
      if (SMART_CONFIG_SUFFIX.test(base)) f.iss = base.replace(SMART_CONFIG_SUFFIX, '');
      break;
    }
    case 'authorize':
    case 'loading-page':
    case 'session-api': {
      const a = authorizeParams(step);
      f.launchParam = getParam(a, 'launch');
      f.state = getParam(a, 'state');
      f.clientId = getParam(a, 'client_id');
      f.redirectUri = getParam(a, 'redirect_uri');
      // A plain challenge is the verifier, masked: its S256 stands for it (secretFacts.plainChallenge).
      f.pkceChallenge = ex.secretFacts?.plainChallenge ?? unmasked(getParam(a, 'code_challenge'));
      f.iss = getParam(a, 'aud');
      f.persona = personaOf(a?.path ?? '');
      f.tenant = tenantOf(a?.path ?? '');
      break;
    }
    case 'error-page':
      f.clientId = getParam(d, 'client');
      f.persona = getParam(d, 'persona');
      f.tenant = getParam(d, 'tenant');
      break;
    case 'callback':
      f.state = getParam(d, 'state');
      f.codeFingerprint = ex.secretFacts?.codeFingerprint;
      f.appOrigin = (url ? url.origin : originOf(ex.url)) || undefined;
      break;
    case 'token':
    case 'refresh':
      f.codeFingerprint = ex.secretFacts?.codeFingerprint;
      f.pkceChallenge = ex.secretFacts?.verifierChallenge;
      f.tokenFingerprint = ex.secretFacts?.tokenFingerprint;
      f.clientId = formValue(ex.form, 'client_id') ?? ex.secretFacts?.assertionClient;
      f.redirectUri = formValue(ex.form, 'redirect_uri');
      f.appOrigin = ex.initiator;
      break;
    default:
      break;
  }
  return f;
}

/** A value unless it is masked: a mask of a secret is no key to pair steps by. */
function unmasked(value: string | undefined): string | undefined {
  return value === undefined || isMasked(value) ? undefined : value;
}

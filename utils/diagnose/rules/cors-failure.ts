import { isOidcConfig } from '../../launch/classify';
import { isOk } from '../../launch/correlate';
import type { Finding, Step } from '../../model';
import { advice } from '../fixes';
import { ev, finding, type Rule, type RuleContext } from '../types';

/**
 * A fetch that fails with no HTTP status (net::ERR_FAILED) from a page is the browser's CORS refusal.
 * Firefox's HAR files give such a request status 0 and no error text (utils/har/import.ts: "no response
 * (status 0)").
 */
const NO_STATUS = /ERR_FAILED|CORS|status 0/i;

/** A request of these kinds that failed with no status, the browser's CORS refusal. */
function blocked(s: Step): boolean {
  return (
    (s.kind === 'token' || s.kind === 'fhir' || s.kind === 'discovery' || s.kind === 'refresh') &&
    s.exchange.status === undefined &&
    NO_STATUS.test(s.exchange.error ?? '')
  );
}

export const corsFailure: Rule = {
  id: 'cors-failure',
  severity: 'error',
  title: 'Blocked by CORS',
  detect(launch, ctx) {
    // The first blocked OpenID configuration read and the first other blocked request, each with its
    // own finding, in the order they happened: a blocked OIDC read the launch went on past (a warning)
    // must not hide a blocked FHIR call after it.
    const steps = launch.steps;
    let oidc = -1;
    let other = -1;
    for (let i = 0; i < steps.length && (oidc < 0 || other < 0); i++) {
      const s = steps[i]!;
      if (!blocked(s)) continue;
      if (isOidcConfig(s)) {
        if (oidc < 0) oidc = i;
      } else if (other < 0) other = i;
    }
    return [oidc, other]
      .filter((i) => i >= 0)
      .sort((a, b) => a - b)
      .map((i) => (i === oidc ? oidcBlocked(steps, i) : requestBlocked(steps[i]!, ctx)));
  },
};

/**
 * The OpenID Connect issuer's document (id_token validation), not SMART discovery: its own advice. The
 * app's launch does not need it: when a token was obtained and a FHIR request after the read succeeded,
 * it is a warning and the launch's status follows its token and FHIR steps (utils/launch/status.ts).
 */
function oidcBlocked(steps: Step[], i: number): Finding {
  const step = steps[i]!;
  const origin = step.exchange.initiator ?? '(unknown)';
  const wentOn = wentOnPast(steps, i);
  return finding(
    corsFailure,
    `The OpenID configuration read (${step.exchange.url}) from ${origin} failed without any HTTP status, which is how browsers report a CORS refusal. It is the OpenID Connect issuer's document, which the app reads to validate its id_token; the SMART endpoints come from .well-known/smart-configuration, not from it.${wentOn ? " The launch went on without it (its token request succeeded, and so did the FHIR requests after this read), but the page cannot verify the id_token's signature: it could not read the issuer's jwks_uri from this document." : ''}`,
    [
      ev('request', step.label, step),
      ev('network error', step.exchange.error, step),
      ev('page origin', origin, step),
    ],
    [
      advice(
        "Validate the id_token without reading the issuer's configuration from the page: give the OIDC library the issuer's metadata (jwks_uri) directly, or read the configuration on the app's server.",
      ),
    ],
    wentOn
      ? { title: 'OpenID configuration blocked by CORS', severity: 'warning' }
      : { title: 'OpenID configuration blocked by CORS' },
  );
}

/**
 * A FHIR request after step `i` succeeded and the launch has a token request that did not fail (its
 * answer may be unrecorded, as status.ts allows): the app went on without the read.
 */
function wentOnPast(steps: Step[], i: number): boolean {
  let fhirAfter = false;
  for (let j = i + 1; j < steps.length && !fhirAfter; j++) {
    const s = steps[j]!;
    fhirAfter = s.kind === 'fhir' && isOk(s.exchange.status);
  }
  return fhirAfter && steps.some((s) => s.kind === 'token' && !s.failed);
}

function requestBlocked(step: Step, ctx: RuleContext): Finding {
  const origin = step.exchange.initiator ?? '(unknown)';
  const isToken = step.kind === 'token' || step.kind === 'refresh';
  const acao = ctx.discovery?.exchange.responseHeaders['access-control-allow-origin'];
  return finding(
    corsFailure,
    isToken
      ? `The token request from ${origin} failed without any HTTP status, which is how browsers report a CORS refusal. Oracle's token endpoint answers Access-Control-Allow-Origin: *, which browsers refuse for requests sent with credentials.`
      : `${step.label} from ${origin} failed without any HTTP status, which is how browsers report a CORS refusal; the server does not allow this origin.`,
    [
      ev('request', step.label, step),
      ev('network error', step.exchange.error, step),
      ev('page origin', origin, step),
      ...(acao ? [ev('Access-Control-Allow-Origin (discovery)', acao, ctx.discovery)] : []),
    ],
    isToken
      ? [
          advice(
            "Send the token request without credentials (fetch credentials: 'omit' or 'same-origin'); register the app's origin.",
          ),
        ]
      : [
          advice(
            "Register the app's origin with the server (v2: token and FHIR are open to registered origins only).",
          ),
        ],
  );
}

import { isOidcConfig } from '../../launch/classify';
import { advice } from '../fixes';
import { ev, finding, type Rule } from '../types';

/**
 * A fetch that fails with no HTTP status (net::ERR_FAILED) from a page is the browser's CORS refusal.
 * Firefox's HAR files give such a request status 0 and no error text (utils/har/import.ts: "no response
 * (status 0)").
 */
const NO_STATUS = /ERR_FAILED|CORS|status 0/i;

export const corsFailure: Rule = {
  id: 'cors-failure',
  severity: 'error',
  title: 'Blocked by CORS',
  detect(launch, ctx) {
    const step = launch.steps.find(
      (s) =>
        (s.kind === 'token' || s.kind === 'fhir' || s.kind === 'discovery' || s.kind === 'refresh') &&
        s.exchange.status === undefined &&
        NO_STATUS.test(s.exchange.error ?? ''),
    );
    if (!step) return [];
    const origin = step.exchange.initiator ?? '(unknown)';
    const isToken = step.kind === 'token' || step.kind === 'refresh';
    // The OpenID Connect issuer's document (id_token validation), not SMART discovery: its own advice.
    if (isOidcConfig(step)) {
      return [
        finding(
          this,
          `The OpenID configuration read (${step.exchange.url}) from ${origin} failed without any HTTP status, which is how browsers report a CORS refusal. It is the OpenID Connect issuer's document, which the app reads to validate its id_token; the SMART endpoints come from .well-known/smart-configuration, not from it.`,
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
          { title: 'OpenID configuration blocked by CORS' },
        ),
      ];
    }
    const acao = ctx.discovery?.exchange.responseHeaders['access-control-allow-origin'];
    return [
      finding(
        this,
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
      ),
    ];
  },
};

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

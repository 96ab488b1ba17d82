import { advice, relaunch } from '../fixes';
import { ev, finding, type Rule } from '../types';

export const discoveryFailure: Rule = {
  id: 'discovery-failure',
  severity: 'error',
  title: 'SMART discovery failed',
  detect(launch, ctx) {
    const step = launch.steps.find((s) => s.kind === 'discovery' && s.failed);
    if (!step) return [];
    const openEndpoint = /^fhir-open\./.test(step.decoded?.host ?? '');
    const status = step.exchange.status;
    return [
      finding(
        this,
        openEndpoint
          ? `The app was launched with an iss on fhir-open, Oracle's open read-only endpoint, which has no SMART configuration (HTTP ${status ?? step.exchange.error}).`
          : `${step.exchange.url} answered ${status ?? step.exchange.error}; without the discovery document the app cannot find the authorize and token endpoints.`,
        [ev('discovery URL', step.exchange.url, step), ev('status', status ?? step.exchange.error, step)],
        [
          advice(
            openEndpoint
              ? 'Use the secure FHIR base (fhir-ehr-code / fhir-myrecord) as iss.'
              : 'Check that iss is the FHIR base URL of a SMART-enabled server.',
          ),
          ...relaunch(ctx),
        ],
        openEndpoint ? { title: 'iss points at the open (non-SMART) endpoint' } : {},
      ),
    ];
  },
};

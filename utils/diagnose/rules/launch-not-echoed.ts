import { getParam } from '../../url';
import { advice } from '../fixes';
import { ev, finding, type Rule } from '../types';

/** EHR launch: the `launch` value from the launch URL must be passed to authorize unchanged. */
export const launchNotEchoed: Rule = {
  id: 'launch-not-echoed',
  severity: 'warning',
  title: 'launch value not passed to authorize',
  detect(launch, ctx) {
    const received = getParam(ctx.launchUrl?.decoded, 'launch');
    if (!received || !ctx.authorize) return [];
    const sent = getParam(ctx.authParams, 'launch');
    if (sent === received) return [];
    if (ctx.findings.some((f) => f.ruleId === 'launch-invalid')) return [];
    return [
      finding(
        this,
        sent === undefined
          ? 'The EHR passed a launch value, but the authorize request did not include it, so the EHR context (patient, encounter) is not bound to this authorization.'
          : `The authorize request sent launch=${sent} instead of launch=${received} received from the EHR.`,
        [ev('launch received', received, ctx.launchUrl), ev('launch sent', sent, ctx.authorize)],
        [
          advice(
            'Pass the launch parameter from the launch URL to authorize unchanged (and request the launch scope).',
          ),
        ],
        // Without a token and with a failed step, the missing context is the likely cause.
        !ctx.tokenSuccess && launch.steps.some((s) => s.failed) ? { severity: 'error' } : {},
      ),
    ];
  },
};

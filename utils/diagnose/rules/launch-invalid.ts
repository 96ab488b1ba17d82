import { getParam } from '../../url';
import { findError, urnEnds } from '../errors';
import { advice, relaunch } from '../fixes';
import { ev, finding, type Rule } from '../types';

export const launchInvalid: Rule = {
  id: 'launch-invalid',
  severity: 'error',
  title: 'launch parameter missing or invalid',
  detect(launch, ctx) {
    // Oracle's published spellings: smart-v1:grant:launch:launch-code-required / :invalid-code.
    const err = findError(launch, ctx, (e) =>
      urnEnds(e, 'launch:launch-code-required', 'launch:invalid-code'),
    );
    if (!err) return [];
    const sent = getParam(ctx.authParams, 'launch');
    const received = getParam(ctx.launchUrl?.decoded, 'launch');
    const missing = urnEnds(err, 'launch-code-required');
    // No EHR launch in the recording (no launch value on a launch URL, no EHR app start): most likely a
    // standalone launch, which has no launch value to send and asks for launch/patient instead.
    const standalone = missing && received === undefined && !ctx.ehrStart;
    const pass = advice(
      `${standalone ? 'If the EHR launched the app: p' : 'P'}ass the launch value from the launch URL to authorize unchanged, once.`,
    );
    const scope = advice(
      'For a standalone launch, request launch/patient (or launch/encounter) instead of the launch scope.',
    );
    return [
      finding(
        this,
        standalone
          ? 'The authorize request asked for the launch scope without a launch value. The launch scope is for EHR launches, which pass a launch value on the launch URL; none was recorded, so this looks like a standalone launch, which asks for launch/patient instead.'
          : missing
            ? 'The server needs the launch value the EHR passed on the launch URL, but the authorize request did not carry it.'
            : `The server does not recognise launch=${sent ?? '(none)'}${received && received !== sent ? ` (the EHR sent launch=${received})` : ''}; it was invented, altered, reused or has expired.`,
        [
          ev('launch sent', sent, ctx.authorize),
          ev('launch received', received, ctx.launchUrl),
          ...(standalone ? [ev('scope', getParam(ctx.authParams, 'scope'), ctx.authorize)] : []),
          ev('server error', err.urn, err.step),
        ],
        [...(standalone ? [scope, pass] : [pass]), ...relaunch(ctx)],
        { title: missing ? 'launch parameter missing' : 'launch parameter invalid' },
      ),
    ];
  },
};

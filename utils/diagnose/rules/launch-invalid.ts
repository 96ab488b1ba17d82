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
    return [
      finding(
        this,
        missing
          ? 'The server needs the launch value the EHR passed on the launch URL, but the authorize request did not carry it.'
          : `The server does not recognise launch=${sent ?? '(none)'}${received && received !== sent ? ` (the EHR sent launch=${received})` : ''}; it was invented, altered, reused or has expired.`,
        [
          ev('launch sent', sent, ctx.authorize),
          ev('launch received', received, ctx.launchUrl),
          ev('server error', err.urn, err.step),
        ],
        [advice('Pass the launch value from the launch URL to authorize unchanged, once.'), ...relaunch(ctx)],
        { title: missing ? 'launch parameter missing' : 'launch parameter invalid' },
      ),
    ];
  },
};

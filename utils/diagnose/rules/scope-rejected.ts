import { findError, saidByServer, urnEnds } from '../errors';
import { advice, relaunch } from '../fixes';
import { cachedScopeDiff } from '../scope-diff';
import { ev, finding, type Rule } from '../types';

export const scopeRejected: Rule = {
  id: 'scope-rejected',
  severity: 'error',
  title: 'Scope invalid or denied',
  detect(launch, ctx) {
    const err = findError(
      launch,
      ctx,
      // denied-by-user is the user's choice, not a scope problem: rule user-cancelled explains it.
      (e) =>
        (e.error === 'invalid_scope' || urnEnds(e, 'denied-by-server', 'empty-scopes')) &&
        !urnEnds(e, 'denied-by-user'),
    );
    if (!err) return [];
    const diff = cachedScopeDiff(ctx.requested, undefined, ctx.supported());
    const problems = [
      ...diff.malformed.map((s) => `${s.raw} (${s.problem})`),
      ...diff.wildcards.filter((s) => !s.problem).map((s) => `${s.raw} (wildcard)`),
      ...diff.unsupported
        .filter((s) => !s.problem && !s.wildcard)
        .map((s) => `${s.raw} (not in scopes_supported)`),
    ];
    // The server's words first: which scope it names is known, which of ours look wrong is a guess.
    const said = saidByServer(err.description);
    const guess = problems.length
      ? ` Requested scopes that look wrong: ${problems.slice(0, 4).join(', ')}.`
      : '';
    const summary = `The server refused the requested scopes.${said}${guess}`;
    return [
      finding(
        this,
        summary,
        [
          ev('error', err.error ?? err.urn, err.step),
          ev('server error', err.urn, err.step),
          ...(err.description ? [ev('error_description', err.description, err.step)] : []),
          ev('problem scopes', problems.join(', ') || '(none identified)', ctx.authorize),
        ],
        [
          advice('Request only well-formed scopes listed in scopes_supported, without wildcards.'),
          ...relaunch(ctx),
        ],
        { title: err.error === 'invalid_scope' ? 'Invalid scope' : 'Scope denied' },
      ),
    ];
  },
};

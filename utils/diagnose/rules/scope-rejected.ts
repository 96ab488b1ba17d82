import { isOracleHost } from '../../capture/relevance';
import { parseScopes } from '../../smart/scopes';
import { getParam } from '../../url';
import { splitUrl } from '../../url/split';
import { attemptAuthorize } from '../context';
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
    // The scopes of the authorization that was refused: an app that authorized again after the refusal
    // (ctx.authorize is then its later attempt) asked with other scopes.
    const attempt = attemptAuthorize(launch.steps, err.step);
    const requested = attempt ? parseScopes(getParam(attempt.params, 'scope')) : ctx.requested;
    const supported = ctx.supported();
    const diff = cachedScopeDiff(requested, undefined, supported);
    // Wildcards are SMART (patient/*.rs); Oracle grants none, another server those it lists.
    const at = attempt?.step ?? ctx.authorize;
    const oracle = at ? isOracleHost(at.decoded?.host ?? splitUrl(at.exchange.url).host) : false;
    const listed = new Set(supported?.map((s) => s.raw));
    const wildcards = diff.wildcards.filter(
      (s) => !s.problem && (oracle || (supported && !listed.has(s.raw))),
    );
    // The requested scopes the server's message names (`Scope "patient/Condition.rs" is not allowed`).
    const words = err.description ?? '';
    const named = words
      ? requested.filter((sc) => {
          const at = words.indexOf(sc.raw);
          const after = words.charAt(at + sc.raw.length);
          return at >= 0 && !/[\w./*-]/.test(words.charAt(at - 1)) && !/[\w/*-]/.test(after);
        })
      : [];
    const guessed = [
      ...diff.malformed.map((s) => `${s.raw} (${s.problem})`),
      ...wildcards.map((s) => `${s.raw} (wildcard${oracle ? '' : ', not in scopes_supported'})`),
      ...diff.unsupported
        .filter((s) => !s.problem && !s.wildcard)
        .map((s) => `${s.raw} (not in scopes_supported)`),
    ];
    const problems = [...named.map((s) => `${s.raw} (named by the server)`), ...guessed];
    // The server's words first: which scope it names is known, which of ours look wrong is a guess.
    const said = saidByServer(err.description);
    const guess = guessed.length
      ? ` Requested scopes that look wrong: ${guessed.slice(0, 4).join(', ')}.`
      : '';
    // The app authorized again and obtained a token: the refusal is over (a warning).
    const token = ctx.tokenSuccess?.step;
    const recovered = !!token && token.exchange.startedAt > err.step.exchange.startedAt;
    // Oracle's denied-by-server: the app is not authorized for the scopes it asked, by its registration or
    // the tenant's policy. Scopes that look right are then no mistake in the request: a relaunch as it is
    // fails again.
    const byServer = urnEnds(err, 'denied-by-server');
    const policy = byServer && guessed.length === 0;
    const summary = `The server refused the requested scopes.${policy ? ' It denied them (denied-by-server): the app is not authorized for them, by its registration or the tenant’s policy; none of them looks malformed or unsupported.' : ''}${said}${guess}${recovered ? ' The app then authorized again and obtained a token.' : ''}`;
    return [
      finding(
        this,
        summary,
        [
          ev('error', err.error ?? err.urn, err.step),
          ...(err.urn ? [ev('server error', err.urn, err.step)] : []),
          ...(err.description ? [ev('error_description', err.description, err.step)] : []),
          ev(
            'problem scopes',
            problems.join(', ') ||
              (policy
                ? `(none looks wrong; requested: ${requested.map((sc) => sc.raw).join(' ')})`
                : '(none identified)'),
            at,
          ),
        ],
        policy
          ? [
              advice(
                'Request only the scopes the app is registered for (in Code Console, in the SMART version, v1 or v2, it is registered with), or have the tenant allow the ones refused. Relaunching as it is fails again.',
              ),
            ]
          : [
              advice(
                oracle
                  ? 'Request only well-formed scopes listed in scopes_supported, without wildcards.'
                  : 'Request only well-formed scopes the server lists in scopes_supported and the app is registered for.',
              ),
              ...relaunch(ctx),
            ],
        {
          title: err.error === 'invalid_scope' ? 'Invalid scope' : 'Scope denied',
          ...(recovered ? { severity: 'warning' as const } : {}),
        },
      ),
    ];
  },
};

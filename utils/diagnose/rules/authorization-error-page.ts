import { explainOracleUrn } from '../../smart/oracle-errors';
import { getParam } from '../../url';
import { stepErrors } from '../errors';
import { advice } from '../fixes';
import { ev, finding, type Rule } from '../types';

/** Bad client_id or redirect_uri: Oracle shows its own error page instead of redirecting to the app. */
export const authorizationErrorPage: Rule = {
  id: 'authorization-error-page',
  severity: 'error',
  title: 'Authorization server refused the app',
  detect(launch, ctx) {
    const e = stepErrors(launch, ctx).find((x) => x.step.kind === 'error-page');
    if (!e) return [];
    const explained = e.urn ? explainOracleUrn(e.urn) : undefined;
    const d = e.step.decoded;
    return [
      finding(
        this,
        `The authorization server showed an error page instead of returning to the app${explained ? `: ${explained.explanation}` : '.'} Servers do this when client_id or redirect_uri cannot be trusted.`,
        [
          ev('error', e.urn ?? e.step.exchange.url, e.step),
          ev('client', getParam(d, 'client') ?? getParam(ctx.authParams, 'client_id'), e.step),
          ev('redirect_uri sent', getParam(ctx.authParams, 'redirect_uri'), ctx.authorize),
          ...(e.step.exchange.responseHeaders['cerner-correlation-id']
            ? [ev('Cerner-Correlation-Id', e.step.exchange.responseHeaders['cerner-correlation-id'], e.step)]
            : []),
        ],
        [advice(explained?.fix ?? 'Check client_id and redirect_uri against the app registration.')],
        explained ? { title: explained.title } : {},
      ),
    ];
  },
};

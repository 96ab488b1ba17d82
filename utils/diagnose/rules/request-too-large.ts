import { advice, clearSession, relaunch } from '../fixes';
import { cookieSummary, REQUEST_SIZE_LIMIT_BYTES, sessionApiRejection } from '../session-api';
import { ev, finding, type Rule } from '../types';

export const requestTooLarge: Rule = {
  id: 'request-too-large',
  severity: 'error',
  title: 'Request too large for the authorization server',
  detect(launch, ctx) {
    for (const step of launch.steps) {
      const f = sessionApiRejection(step);
      if (f?.verdict !== 'too-large') continue;
      const scopes = ctx.requested.length;
      return [
        finding(
          this,
          `The session-api hop was ${f.requestBytes} bytes (URL ${f.urlLength} + cookies ${f.cookieBytes ?? 0}), at or above the ${REQUEST_SIZE_LIMIT_BYTES}-byte limit common in front-end servers, and was answered ${f.status}. ${scopes ? `The ${scopes} requested scopes, encoded inside to=, make up most of it.` : ''}`.trim(),
          [
            ev('status', f.status, step),
            ev('request size', `${f.requestBytes} bytes`, step),
            ev('URL length', `${f.urlLength} characters`, step),
            ev('cookies sent', cookieSummary(f), step),
            ev('scopes requested', scopes),
            ...(step.exchange.body?.text
              ? [ev('response body', step.exchange.body.text.slice(0, 200), step)]
              : []),
          ],
          [
            advice(
              'Request fewer scopes (e.g. only the resource types the app reads), which shortens the URL.',
            ),
            clearSession(),
            ...relaunch(ctx),
          ],
        ),
      ];
    }
    return [];
  },
};

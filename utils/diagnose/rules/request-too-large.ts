import { MAX_SCOPES } from '../../smart/scopes';
import { originOf } from '../../url/split';
import { advice, clearSession, relaunch } from '../fixes';
import {
  cookieSummary,
  oversizedSignIn,
  REQUEST_SIZE_LIMIT_BYTES,
  sessionApiRejection,
} from '../session-api';
import { ev, finding, type Rule } from '../types';

const fewerScopes = advice(
  'Request fewer scopes (e.g. only the resource types the app reads), which shortens the URL.',
);

export const requestTooLarge: Rule = {
  id: 'request-too-large',
  severity: 'error',
  title: 'Request too large for the authorization server',
  detect(launch, ctx) {
    for (const step of launch.steps) {
      const f = sessionApiRejection(step) ?? oversizedSignIn(step);
      if (f?.verdict !== 'too-large') continue;
      const hop = step.kind === 'session-api';
      const scopes = ctx.requested.length;
      // Parsing stops at MAX_SCOPES: a longer list is counted as "more than" that.
      const counted = scopes >= MAX_SCOPES ? `more than ${MAX_SCOPES}` : `${scopes}`;
      const scopeChars = scopeCharsIn(step.exchange.url);
      const cookieBytes = f.cookieBytes ?? 0;
      // Cookies not recorded (Chrome's sanitized export): a short URL leaves them as the likely bulk.
      const cookiesUnknown = f.cookieBytes === undefined;
      const cookiesLikely = cookiesUnknown && f.urlLength * 2 < REQUEST_SIZE_LIMIT_BYTES;
      // Said only when the figures show it.
      const theScopes =
        scopes >= MAX_SCOPES ? `More than ${MAX_SCOPES} requested scopes` : `The ${scopes} requested scopes`;
      const cause =
        scopes && scopeChars * 2 >= f.urlLength
          ? ` ${theScopes}${hop ? ', encoded inside to=,' : ''} make up most of it (${scopeChars} characters).`
          : cookieBytes > f.urlLength
            ? ' The cookies make up most of it.'
            : cookiesLikely
              ? ' The URL is far below the limit, so the cookies, which were not recorded, most likely make up most of it.'
              : scopeChars
                ? ` The requested scopes are ${scopeChars} characters of it: the rest of the URL makes up most of it.`
                : '';
      // Under the common limit, the server's own answer (414, 431, its words) is what says "too large".
      const size =
        f.requestBytes >= REQUEST_SIZE_LIMIT_BYTES
          ? `at or above the ${REQUEST_SIZE_LIMIT_BYTES}-byte limit common in front-end servers`
          : `under the ${REQUEST_SIZE_LIMIT_BYTES}-byte limit common in front-end servers, but over this server's`;
      const what = hop ? 'The session-api hop' : `The ${step.label} request`;
      const server = originOf(step.exchange.url) || undefined;
      return [
        finding(
          this,
          cookiesUnknown
            ? `${what} had a URL of ${f.urlLength} characters and cookies that were not recorded, and was answered ${f.status}.${cause}`
            : `${what} was ${f.requestBytes} bytes (URL ${f.urlLength} + cookies ${cookieBytes}), ${size}, and was answered ${f.status}.${cause}`,
          [
            ev('status', f.status, step),
            ev('request size', `${f.requestBytes} bytes`, step),
            ev('URL length', `${f.urlLength} characters`, step),
            ev('cookies sent', cookieSummary(f), step),
            ev('scopes requested', counted),
            ...(step.exchange.body?.text
              ? [ev('response body', step.exchange.body.text.slice(0, 200), step)]
              : []),
          ],
          // The fix for what makes up most of the request first.
          cookieBytes > f.urlLength || cookiesLikely
            ? [clearSession(server), fewerScopes, ...relaunch(ctx)]
            : [fewerScopes, clearSession(server), ...relaunch(ctx)],
        ),
      ];
    }
    return [];
  },
};

/**
 * Characters of the hop's URL its `scope` parameter takes, as sent: inside `to=` the authorize URL is
 * encoded once more (`scope%3D…%26`), or twice when the value itself was encoded again (`%253D…%2526`).
 * Read from the URL itself: a parsed value is cut at a size limit.
 */
export function scopeCharsIn(url: string): number {
  const m = /(?:[?&]|%(?:25)*3F|%(?:25)*26)scope(=|%(?:25)*3D)/i.exec(url);
  if (!m) return 0;
  const start = m.index + m[0].length;
  const eq = m[1]!;
  // The `&` after the value, encoded as often as the `=` before it.
  const end =
    eq === '='
      ? url.indexOf('&', start)
      : url.toUpperCase().indexOf(`%${'25'.repeat((eq.length - 3) / 2)}26`, start);
  const hash = url.indexOf('#', start);
  const stops = [end, hash].filter((x) => x !== -1);
  return (stops.length ? Math.min(...stops) : url.length) - start;
}

import type { Step } from '../../model';
import { getParam } from '../../url';
import { originOf } from '../../url/split';
import { advice, clearSession, relaunch } from '../fixes';
import { ev, finding, type Rule, type RuleContext } from '../types';
import { abortedAtRedirectLimit } from './unexplained-failure';

/** Visiting the same authorization URL this often within one launch is a loop, not a retry. */
export const REDIRECT_LOOP_MIN_VISITS = 3;
const LOOPING = new Set(['authorize', 'loading-page', 'session-api', 'idp-login', 'other']);

/**
 * A loop is the browser following redirects. A login form the user submitted (a mistyped password sent
 * again) posts to the same URL each time without being one; a POST reached by a redirect (hop > 0, 307/308)
 * still counts. Same fields as the classifier's "IdP login (form)" (utils/launch/classify.ts).
 */
function isLoopVisit(s: Step): boolean {
  if (!LOOPING.has(s.kind)) return false;
  const { method, hop, form } = s.exchange;
  return !(method === 'POST' && hop === 0 && (form?.password || form?.username));
}

/** Sign-in ended: the server sent the browser back to the app with a code, or the app asked for a token. */
function signInEnded(ctx: RuleContext): boolean {
  return ctx.tokens.length > 0 || ctx.callbacks.some((c) => getParam(c.decoded, 'code') !== undefined);
}

export const redirectLoop: Rule = {
  id: 'redirect-loop',
  severity: 'error',
  title: 'Redirect loop during sign-in',
  detect(launch, ctx) {
    if (signInEnded(ctx)) return [];
    // The launch's failing step first: a loop the browser gave up on more than once failed at the first.
    const failing = launch.steps.find((s) => s.exchange.id === launch.failedAt);
    const pick = (test: (s: Step) => boolean) =>
      failing && test(failing) ? failing : launch.steps.find(test);
    const worst = mostVisited(launch.steps);
    // Chromium's error, WebKit's words, Firefox's NS_ERROR_REDIRECT_LOOP; live in Chromium, webRequest
    // reports the hop at the redirect limit as aborted, which ends a loop too (a chain of 20 different
    // URLs is no loop: unexplained-failure says it).
    const tooMany =
      pick((s) =>
        /ERR_TOO_MANY_REDIRECTS|too many (?:HTTP )?redirects|REDIRECT_LOOP/i.test(s.exchange.error ?? ''),
      ) ?? (worst.visits >= REDIRECT_LOOP_MIN_VISITS ? pick(abortedAtRedirectLimit) : undefined);
    if (worst.visits < REDIRECT_LOOP_MIN_VISITS && !tooMany) return [];
    // Safari's HAR keeps one entry for the whole chain: the step it gave up on is all there is.
    const first = worst.visits < 2 && tooMany ? tooMany : (worst.first ?? tooMany!);
    // A browser that names no reason (Firefox: status 0) stopped at a visit of the loop: that step too.
    const last = launch.steps.at(-1);
    const stopped =
      !tooMany && last && last.exchange.status === undefined && last.exchange.error && isLoopVisit(last)
        ? last
        : undefined;
    // In a frame of another site (an EHR page embedding the app): the browser keeps the authorization
    // server's cookies from it (third-party cookies), so each hop comes without the session the last one
    // set. Clearing the session cannot help; the app must sign in in a window of its own.
    const framed = first.exchange.type === 'sub_frame';
    const cause = framed
      ? ' It runs in a frame of another site (an EHR page embedding the app), where the browser does not send the authorization server its cookies (third-party cookies blocked): each hop comes without the session the one before set, so clearing the session will not help.'
      : ' A stale or conflicting session for the authorization server is the usual cause.';
    return [
      finding(
        this,
        worst.visits < 2
          ? // Safari's HAR keeps one entry for the whole chain: the hops are not in the file.
            `The browser gave up on ${first.label} after too many redirects (${tooMany!.exchange.error}); the file does not hold the hops themselves.${cause}`
          : `The browser went through ${first.label} ${worst.visits} times${tooMany ? ' until it gave up (too many redirects)' : ''}.${cause}`,
        [
          ev('repeated step', first.label, first),
          ev('visits', worst.visits, first),
          ...(tooMany ? [ev('network error', tooMany.exchange.error, tooMany)] : []),
          ...(stopped ? [ev('the browser stopped at', stopped.exchange.error, stopped)] : []),
        ],
        // The session to clear is the one of the server the browser went round (Oracle's or another's).
        framed
          ? [
              advice(
                'Open the app (or at least its sign-in) in a window or tab of its own, not in the frame; or allow the authorization server third-party cookies in this browser for testing.',
              ),
              ...relaunch(ctx),
            ]
          : [clearSession(originOf(first.exchange.url) || undefined), ...relaunch(ctx)],
      ),
    ];
  },
};

/** Up to this many sign-in steps, counting visits pairwise is cheaper than building a map. */
const PAIRWISE_MAX = 32;

/** The sign-in URL visited most often (the first one seen among equals) and its first visit. */
function mostVisited(steps: Step[]): { first?: Step; visits: number } {
  const looping: Step[] = [];
  for (const s of steps) if (isLoopVisit(s)) looping.push(s);
  let first: Step | undefined;
  let visits = 0;
  if (looping.length > PAIRWISE_MAX) {
    const byUrl = new Map<string, Step[]>();
    for (const s of looping) {
      const list = byUrl.get(s.exchange.url);
      if (list) list.push(s);
      else byUrl.set(s.exchange.url, [s]);
    }
    for (const list of byUrl.values()) {
      if (list.length > visits) {
        visits = list.length;
        first = list[0];
      }
    }
  } else {
    for (let i = 0; i < looping.length; i++) {
      const url = looping[i]!.exchange.url;
      let seenBefore = false;
      for (let j = 0; j < i && !seenBefore; j++) seenBefore = looping[j]!.exchange.url === url;
      if (seenBefore) continue;
      let count = 1;
      for (let j = i + 1; j < looping.length; j++) if (looping[j]!.exchange.url === url) count++;
      if (count > visits) {
        visits = count;
        first = looping[i];
      }
    }
  }
  return first ? { first, visits } : { visits };
}

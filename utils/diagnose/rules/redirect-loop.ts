import type { Evidence, Step } from '../../model';
import { findParamValueDeep, getParam } from '../../url';
import { originOf, splitUrl } from '../../url/split';
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
    const lost = sessionNotKept(launch.steps);
    if (worst.visits < REDIRECT_LOOP_MIN_VISITS && !tooMany)
      return lost ? [notKeptFinding(this, lost, ctx)] : [];
    // Safari's HAR keeps one entry for the whole chain: the step it gave up on is all there is.
    const first = worst.visits < 2 && tooMany ? tooMany : (worst.first ?? tooMany!);
    // A browser that names no reason (Firefox: status 0) stopped at a visit of the loop: that step too.
    const last = launch.steps.at(-1);
    const stopped =
      !tooMany && last && last.exchange.status === undefined && last.exchange.error && isLoopVisit(last)
        ? last
        : undefined;
    // In a frame: the browser keeps the authorization server's cookies from it (third-party cookies), so
    // each hop comes without the session the last one set. Clearing the session cannot help; the app must
    // sign in in a window of its own. The same when the browser was seen sending none back at all.
    const framed = lost ? lost.framed : first.exchange.type === 'sub_frame';
    const cause = framed
      ? ` ${FRAMED_CAUSE}`
      : lost
        ? ` ${blockedCause(lost)}`
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
          ...(lost ? notKeptEvidence(lost) : []),
        ],
        // The session to clear is the one of the server the browser went round (Oracle's or another's).
        framed
          ? [advice(FRAMED_FIX), ...relaunch(ctx)]
          : lost
            ? [advice(allowCookies(lost)), ...relaunch(ctx)]
            : [clearSession(originOf(first.exchange.url) || undefined), ...relaunch(ctx)],
      ),
    ];
  },
};

const FRAMED_CAUSE =
  'It runs in a frame inside a page of another site (the app or an EHR page embedding it), where the browser does not send the authorization server its cookies (third-party cookies blocked): each hop comes without the session the one before set, so clearing the session will not help.';
const FRAMED_FIX =
  'Open the app (or at least its sign-in) in a window or tab of its own, not in the frame; or allow the authorization server third-party cookies in this browser for testing.';

/**
 * A sign-in that did not stick: the identity provider took it (its login POST answered with a redirect
 * that set cookies), the next request in the same frame to that server came back without them, and the
 * server sent the browser to the same login page again. One round is evidence enough when the request
 * was seen to carry no cookie at all, or when it ran in a frame (third-party cookies); a request that
 * carried cookies is some other trouble. A mistyped password is answered with the form (200), not a
 * redirect, and a consent or second-factor page is another page than the login form.
 */
interface NotKept {
  login: Step;
  back: Step;
  again: Step;
  framed: boolean;
  /** The request back was seen to carry no cookie (recorded live, or a file that keeps cookies). */
  noneSent: boolean;
}

const BACK_KINDS = new Set(['authorize', 'loading-page', 'session-api']);

export function sessionNotKept(steps: readonly Step[]): NotKept | undefined {
  for (let i = 0; i < steps.length; i++) {
    const login = steps[i]!;
    const lx = login.exchange;
    const status = lx.status ?? 0;
    if (login.kind !== 'idp-login' || lx.method !== 'POST' || status < 300 || status > 399) continue;
    if (!lx.setCookieNames?.length) continue;
    const { host, base } = splitUrl(lx.url);
    // The login form: the page shown before the POST (and the POST's own address).
    const forms = new Set([base]);
    for (let j = 0; j < i; j++) {
      const s = steps[j]!;
      if (s.kind === 'idp-login' && s.exchange.method === 'GET' && sameFrame(s, login)) {
        forms.add(splitUrl(s.exchange.url).base);
      }
    }
    let back: Step | undefined;
    for (let j = i + 1; j < steps.length; j++) {
      const s = steps[j]!;
      if (!sameFrame(s, login)) continue;
      if (!back) {
        if (BACK_KINDS.has(s.kind) && splitUrl(s.exchange.url).host === host) back = s;
        else if (s.kind !== 'idp-login' && s.kind !== 'other') break;
        continue;
      }
      if (s.kind === 'idp-login' && s.exchange.method !== 'GET') break;
      if (s.kind !== 'idp-login' && !BACK_KINDS.has(s.kind) && s.kind !== 'other') break;
      if (s.kind !== 'idp-login' || !forms.has(splitUrl(s.exchange.url).base)) continue;
      const cookies = back.exchange.requestCookies;
      const noneSent = cookies?.count === 0;
      const framed = back.exchange.type === 'sub_frame';
      if (cookies && !noneSent) break;
      if (!noneSent && (!framed || forcedAgain(steps, back, s))) break;
      return { login, back, again: s, framed, noneSent };
    }
  }
  return undefined;
}

/** Same tab, and the same frame when both know theirs (a HAR does not). */
function sameFrame(a: Step, b: Step): boolean {
  const x = a.exchange;
  const y = b.exchange;
  return (
    x.tabId === y.tabId && (x.frameId === undefined || y.frameId === undefined || x.frameId === y.frameId)
  );
}

/** forceAuthn asked for the sign-in again on the way (session-api `forceAuthn=true`): not a lost session. */
function forcedAgain(steps: readonly Step[], from: Step, to: Step): boolean {
  for (let i = steps.indexOf(from); i >= 0 && i < steps.length; i++) {
    const s = steps[i]!;
    if (findParamValueDeep(s.decoded, 'forceAuthn') === 'true') return true;
    if (s === to) break;
  }
  return false;
}

function blockedCause(lost: NotKept): string {
  return `The browser sent none of the cookies the sign-in set back to ${splitUrl(lost.back.exchange.url).host}: it blocks cookies for that site (its settings), or the cookies' attributes keep them from this request (Secure over http://, SameSite=Strict after a redirect from another site). Clearing the session will not help.`;
}

function allowCookies(lost: NotKept): string {
  const origin = originOf(lost.back.exchange.url) || splitUrl(lost.back.exchange.url).host;
  return `Allow cookies for ${origin} in this browser (chrome://settings/cookies, or the site's settings in the address bar), then launch again.`;
}

function notKeptEvidence(lost: NotKept): Evidence[] {
  const { login, back, again } = lost;
  return [
    ev('request after sign-in', back.label, back),
    ev('cookies it sent', lost.noneSent ? 0 : 'not recorded', back),
    ev('sign-in accepted', `${login.label} → ${login.exchange.status}`, login),
    ev('cookies the sign-in set', login.exchange.setCookieNames!.join(', '), login),
    ev('sent to sign in again', again.label, again),
  ];
}

function notKeptFinding(rule: Rule, lost: NotKept, ctx: RuleContext) {
  const { login, back, again, framed, noneSent } = lost;
  const n = login.exchange.setCookieNames!.length;
  const accepted = `The sign-in was accepted (${login.label} answered ${login.exchange.status} and set ${n} cookie${n === 1 ? '' : 's'})`;
  const summary = framed
    ? `${accepted}, but ${back.label} right after it came ${noneSent ? 'without any cookie' : 'without the session, it seems'}, and the server asked for sign-in again (${again.label}). ${FRAMED_CAUSE} Signing in again in the frame ends the same way.`
    : `${accepted}, but ${back.label} right after it came without any cookie, and the server asked for sign-in again (${again.label}). ${blockedCause(lost)}`;
  return finding(
    rule,
    summary,
    notKeptEvidence(lost),
    [advice(framed ? FRAMED_FIX : allowCookies(lost)), ...relaunch(ctx)],
    { title: framed ? 'Sign-in does not stick in a frame' : 'Sign-in did not stick: no cookies sent back' },
  );
}

/** Up to this many sign-in steps, counting visits pairwise is cheaper than building a map. */
const PAIRWISE_MAX = 32;

/**
 * What makes two visits the same sign-in URL: the URL without the values a server mints anew on each
 * round. Oracle's Loading page adds a fresh `initialRequestId` to the authorize URL it sends through
 * session-api (in `to=`, encoded once or twice), so in a loop through it no URL repeats as it was.
 */
export function loopKey(url: string): string {
  return /initialrequestid/i.test(url) ? url.replace(MINTED, dropMinted) : url;
}

/** The pair goes with the `&` before it; after a `?` (the first pair) the `&` after it goes instead. */
const dropMinted = (_: string, before: string, after: string | undefined) =>
  /^(?:\?|%3F|%253F)$/i.test(before) ? before : (after ?? '');

const MINTED = /(^|[?&]|%3F|%26|%253F|%2526)initialRequestId(?:=|%3D|%253D)[^&%#]*(&|%26|%2526)?/gi;

/** The sign-in URL visited most often (the first one seen among equals) and its first visit. */
function mostVisited(steps: Step[]): { first?: Step; visits: number } {
  const looping: Step[] = [];
  const keys: string[] = [];
  for (const s of steps) {
    if (!isLoopVisit(s)) continue;
    looping.push(s);
    keys.push(loopKey(s.exchange.url));
  }
  let first: Step | undefined;
  let visits = 0;
  if (looping.length > PAIRWISE_MAX) {
    const byUrl = new Map<string, Step[]>();
    for (let i = 0; i < looping.length; i++) {
      const list = byUrl.get(keys[i]!);
      if (list) list.push(looping[i]!);
      else byUrl.set(keys[i]!, [looping[i]!]);
    }
    for (const list of byUrl.values()) {
      if (list.length > visits) {
        visits = list.length;
        first = list[0];
      }
    }
  } else {
    for (let i = 0; i < looping.length; i++) {
      const url = keys[i]!;
      let seenBefore = false;
      for (let j = 0; j < i && !seenBefore; j++) seenBefore = keys[j] === url;
      if (seenBefore) continue;
      let count = 1;
      for (let j = i + 1; j < looping.length; j++) if (keys[j] === url) count++;
      if (count > visits) {
        visits = count;
        first = looping[i];
      }
    }
  }
  return first ? { first, visits } : { visits };
}

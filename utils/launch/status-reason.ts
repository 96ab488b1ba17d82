import { isOracleUrl } from '../capture/relevance';
/** The one-line reasons behind a launch status (utils/launch/status.ts). */
import { permitted } from '../diagnose/permissions';
import { unwatchedWhenLoaded } from '../diagnose/rules/token-not-visible';
import type { Finding, Step } from '../model';
import { getParam } from '../url';
import { originOf, splitUrl } from '../url/split';
import type { Outcome } from './status';

/** `o` (a new outcome of the caller's) with the reason and the cause added. */
export function withCause(o: Outcome, cause: Finding | undefined, fallback?: string): Outcome {
  const reason = cause ? oneLine(`${cause.title}: ${cause.summary}`) : fallback;
  if (reason) o.statusReason = reason;
  if (cause) o.cause = cause;
  return o;
}

/** One line: finding summaries may wrap. */
export function oneLine(text: string): string {
  return isOneLine(text) ? text : text.replace(/\s+/g, ' ').trim();
}

/** Text with single inner spaces and no other white space (most summaries): oneLine() keeps it as is. */
function isOneLine(text: string): boolean {
  let space = true; // at the start a space is one too many
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) {
      if (space) return false;
      space = true;
    } else if (c < 33 || (c > 126 && isWhiteSpace(c))) return false;
    else space = false;
  }
  return !space || text.length === 0;
}

/** What `\s` matches above ASCII (DEL and U+0085, which it does not, take the slow path too). */
function isWhiteSpace(c: number): boolean {
  return (
    c === 127 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff ||
    c === 0x85
  );
}

export function describeFailure(step: Step): string {
  const ex = step.exchange;
  const how = ex.error ?? (ex.status !== undefined ? `HTTP ${ex.status}` : getParam(step.decoded, 'error'));
  return `${step.label} failed${how ? ` (${how})` : ''}.`;
}

/** Why the token exchange after this callback was not seen: only watched origins and DevTools show it. */
export function invisibleToken(
  callback: Step,
  watchedOrigins: readonly string[] | undefined,
  tokenOrigin?: string,
  cutAt?: number,
): string {
  const origin = originOf(callback.exchange.url) || 'the app';
  const watched = watchedOrigins ? permitted(watchedOrigins, origin) : undefined;
  // A popup hands the code to the page that opened it, which may send the token request from its own tab.
  const devtools =
    callback.exchange.openerTabId !== undefined
      ? 'DevTools was open on neither its tab nor the tab that opened it'
      : 'DevTools was not open on the tab';
  // A request is visible only when both the page that sends it and the server it goes to are watched.
  if (
    watched === true &&
    tokenOrigin &&
    watchedOrigins &&
    !isOracleUrl(tokenOrigin) &&
    !permitted(watchedOrigins, tokenOrigin)
  )
    return `The code reached ${origin}, but its token request to ${tokenOrigin} was not visible: ${tokenOrigin} is not watched.`;
  if (watched === true && unwatchedWhenLoaded(callback))
    return `The code reached ${origin}, but its token request was not visible: ${origin} was not watched when this launch ran and ${devtools}.`;
  if (watched === true && cutAt !== undefined)
    return `The code reached ${origin}, and the browser closed ${closedAfter(callback, cutAt)} it, before a token request was recorded.`;
  if (watched === true)
    return `The code reached ${origin}, but no token request was seen although ${origin} is watched.`;
  return `The code reached ${origin}, but its token request was not visible: ${origin} ${watched === false ? 'is not watched' : 'may not be watched'} and ${devtools}.`;
}

/** The app handed the callback's code to its own backend, which exchanges it out of the browser's sight. */
export function backendToken(callback: Step, handoff: Step): string {
  const origin = originOf(callback.exchange.url) || 'the app';
  return `The code reached ${origin}, and the app sent it to its own backend (POST ${splitUrl(handoff.exchange.url).path}), which exchanges it for a token server-side: that token exchange is not visible in the browser.`;
}

/** Authorized, the callback taken by the app's server (serverSideCallback()). */
export function serverToken(callback: Step): string {
  const origin = originOf(callback.exchange.url) || 'the app';
  const to = splitUrl(callback.exchange.location ?? '').path || '/';
  return `The code reached ${origin}, whose server answered with a redirect to ${to}: a server-side app exchanges the code for a token itself, and that exchange is not visible in the browser.`;
}

/** Abandoned: names the timeout, not the idle time, so the reason stays the same while it lasts. */
export function abandonedReason(last: Step, timeoutMs: number): string {
  const limit =
    timeoutMs >= 60_000 ? `${Math.round(timeoutMs / 60_000)} min` : `${Math.round(timeoutMs / 1000)} s`;
  const unanswered = last.exchange.phase === 'pending' ? ', whose answer was never recorded' : '';
  return `Stopped at ${last.label}${unanswered}: no activity for over ${limit}.`;
}

/**
 * In progress, settled, at a step still without an answer: a request that runs this long is rare, and
 * an answer Chrome dropped while it restarted the extension's worker never reaches the extension.
 */
export function unansweredReason(last: Step): string {
  return `No answer to ${last.label} was recorded: the request may still be running, or its answer did not reach the extension (Chrome drops events while it restarts the extension's worker).`;
}

/**
 * Abandoned because the browser closed (or crashed) while the launch could still move: the recording
 * ends at `end` (the last event recorded before), so what the launch did after its last step is unknown.
 */
export function browserClosedReason(last: Step, end: number): string {
  return `The browser closed ${afterStep(last, end)}, before the launch completed: nothing after it was recorded.`;
}

/**
 * Abandoned because the tab the launch was signing in was closed after its last step (live capture):
 * nothing more can come of it there.
 */
export function tabClosedReason(last: Step, closedAt: number): string {
  return `The tab was closed ${afterStep(last, closedAt)}${notRecorded(last)}${shownPage(last) ? ': the sign-in was left.' : ', before the launch completed.'}`;
}

/**
 * ", whose answer was not recorded (…)" for a last step the extension saw sent but never answered, or
 * answered without its status although its host was watched: the tab's closing does not explain that,
 * an answer Chrome did not deliver does. '' otherwise.
 */
function notRecorded(last: Step): string {
  const ex = last.exchange;
  if (ex.error || ex.source === 'har' || ex.source === 'devtools') return '';
  const what =
    ex.phase === 'pending'
      ? 'answer'
      : ex.status === undefined && !ex.partial && ex.source === 'webRequest'
        ? 'status'
        : undefined;
  return what
    ? `, whose ${what} was not recorded (Chrome drops events while it restarts the extension's worker)`
    : '';
}

/**
 * Abandoned because the tab was closed while a request of the launch waited for its answer (the
 * browser aborts what a closed page has in flight). A token request may have reached the server.
 */
export function closedWaitingReason(step: Step, closedAt: number): string {
  const waited = Math.max(0, closedAt - step.exchange.startedAt);
  const after = waited < 1000 ? '' : ` ${Math.round(waited / 1000)} s after it was sent`;
  const spent =
    step.kind === 'token'
      ? ' The server may still have received it and used up the code: launch again rather than send it again.'
      : '';
  return `The tab was closed while ${step.label} waited for its answer${after}: the browser aborted it (${step.exchange.error}); no server refused it.${spent}`;
}

/** "4 s after IdP login came, with the page still shown (…)" or "right after authorize": when, after what. */
function afterStep(last: Step, at: number): string {
  const after = `${closedAfter(last, at)} ${last.label}`;
  return shownPage(last) ? `${after} came, with the page still shown (nothing was sent from it)` : after;
}

/** In progress, settled, at an answered step: said as a page the user has in front of them when it is one. */
export function waitingReason(last: Step): string {
  return shownPage(last)
    ? `Waiting at ${last.label}: the page came, and nothing was sent from it yet (the user has not signed in).`
    : `Waiting after ${last.label}.`;
}

/** A sign-in page the browser loaded (the IdP's login form): "after" it would read as signed in. */
function shownPage(step: Step): boolean {
  const ex = step.exchange;
  return step.kind === 'idp-login' && ex.method === 'GET' && ex.status === 200;
}

/** "right after" or "N s after": how long after the step the recording ended at `end`. */
function closedAfter(step: Step, end: number): string {
  const after = Math.max(0, end - (step.exchange.completedAt ?? step.exchange.startedAt));
  return after < 1000 ? 'right after' : `${Math.round(after / 1000)} s after`;
}

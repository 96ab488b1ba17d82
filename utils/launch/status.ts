/**
 * The outcome of a launch, decided in one place after the diagnosis rules ran, so the list, the
 * detail, the popup and every export say the same thing (model: LaunchStatus).
 *
 * In order:
 *  1. cancelled  — the user cancelled sign-in or denied access (rules/user-cancelled.ts tells how);
 *     in-progress while a live launch's last step is a discovery read that just failed (awaitingFallback);
 *  2. failed     — an error finding cites a step that failed on the wire after the last successful token
 *                  request (a refused FHIR call, a reused code, a refused refresh), or the token response
 *                  is unreadable;
 *                  else a flow step (authorize … token) failed and no token was obtained afterwards.
 *                  Failures before a successful token request were recovered from and do not count,
 *                  nor does a failed discovery the app went on past (correlate.ts, flowFailure), nor an
 *                  OpenID configuration read blocked by CORS before FHIR requests that succeeded (a
 *                  warning: rules/cors-failure.ts);
 *  3. succeeded  — the app obtained a token that nothing above shows to be unusable (or, when the token
 *                  response was not recorded, FHIR requests after it succeeded; or, when neither the callback
 *                  nor the token request was, FHIR requests after the authorization request);
 *  4. in-progress while the launch may still move (ctx.settled: activity in the last SETTLE_MS);
 *  5. failed     — settled without a token, with an error finding that cites a step (state lost, loop);
 *  6. authorized — the callback carried a code but no token request was seen (not watched, DevTools closed,
 *                  or the app handed the code to its own backend, or its server took the callback and
 *                  redirected into the app: refine.ts, codeHandoff, serverSideCallback);
 *  7. abandoned  — live only (`now` given): the browser closed while the launch could still move (a
 *                  recording end, context.ts cutOff: settled at once), or no activity for
 *                  `abandonAfterMs` before completing;
 *     in-progress otherwise. Recorded or imported data (no `now`) is never abandoned: a HAR that stops
 *     before the launch completed stays in-progress, with a reason saying the recording ends there.
 */
import { cutOff, isSettled, SETTLE_MS } from '../diagnose/context';
import { isOpenEndpoint } from '../diagnose/rules/discovery-failure';
import { tokenOrigin, tokenUsedUnseen } from '../diagnose/rules/token-not-visible';
import { closedWhileWaiting } from '../diagnose/rules/unexplained-failure';
import { cancellationOf } from '../diagnose/rules/user-cancelled';
import type { Finding, Launch, LaunchStatus, Step } from '../model';
import { getParam, hasParam } from '../url';
import { isOidcConfig } from './classify';
import { flowFailure } from './correlate';
import { codeHandoff, serverSideCallback } from './refine';
import {
  abandonedReason,
  backendToken,
  browserClosedReason,
  closedWaitingReason,
  describeFailure,
  invisibleToken,
  serverToken,
  tabClosedReason,
  unansweredReason,
  waitingReason,
  withCause,
} from './status-reason';

/** A live launch that has not moved for this long (and did not complete) is abandoned. */
export const DEFAULT_ABANDON_MS = 5 * 60_000;

/** Rules whose error finding means the token the app got cannot be used, though the request succeeded. */
const UNUSABLE_TOKEN_RULES = new Set(['token-response-shape']);

export interface StatusOptions {
  /** Current time, for live data only; omit for recorded or imported launches (settled). */
  now?: number;
  abandonAfterMs?: number;
  /** Host permission patterns the recorder holds; omit when unknown. */
  watchedOrigins?: readonly string[];
  /** Where the browser closed with the recording (ContextOptions.recordingEnds); live data only. */
  recordingEnds?: readonly number[];
}

export interface Outcome {
  status: LaunchStatus;
  failedAt?: string;
  statusReason?: string;
  /** The finding that explains the status, shown first. */
  cause?: Finding;
}

/** Set status, failedAt and statusReason on a diagnosed launch; the finding behind them goes first. */
export function applyStatus(launch: Launch, opts: StatusOptions = {}): void {
  const o = decideStatus(launch, opts);
  launch.status = o.status;
  if (o.failedAt) launch.failedAt = o.failedAt;
  else delete launch.failedAt;
  if (o.statusReason) launch.statusReason = o.statusReason;
  else delete launch.statusReason;
  if (o.cause && launch.findings[0] !== o.cause) {
    launch.findings = [o.cause, ...launch.findings.filter((f) => f !== o.cause)];
  }
  const review = o.status === 'in-progress' ? reviewAt(launch, opts) : undefined;
  if (review !== undefined) launch.reviewAt = review;
  else delete launch.reviewAt;
}

/**
 * When a live launch in progress may change status with no new event: it settles SETTLE_MS after its
 * last activity (a failure or an authorization shows then), and is given up `abandonAfterMs` after it.
 */
function reviewAt(launch: Launch, opts: StatusOptions): number | undefined {
  if (opts.now === undefined || !Number.isFinite(opts.now)) return undefined;
  const last = launch.endedAt ?? launch.startedAt;
  const settle = last + SETTLE_MS;
  return opts.now < settle ? settle : last + (opts.abandonAfterMs ?? DEFAULT_ABANDON_MS);
}

export function decideStatus(launch: Launch, opts: StatusOptions = {}): Outcome {
  const { steps, findings } = launch;
  const lastToken =
    findLast(steps, isTokenObtained) ??
    tokenUsedUnrecorded(steps) ??
    tokenUsedUnseen(steps) ??
    signInUnrecorded(steps);
  const cancel = steps.find((s) => cancellationOf(s, launch.authHost));
  // A token obtained after the cancellation means the user tried again, in the same launch, and got through.
  if (cancel && !(lastToken && lastToken.exchange.startedAt > cancel.exchange.startedAt)) {
    const cause = explaining(findings, cancel);
    const how = cancellationOf(cancel, launch.authHost);
    const fallback =
      how === 'denied'
        ? 'The user denied access.'
        : how === 'access-denied'
          ? 'Access denied: the user declined, or the server refused.'
          : 'The user cancelled sign-in.';
    return withCause({ status: 'cancelled', failedAt: cancel.exchange.id }, cause, fallback);
  }
  // Live, just after a failed discovery: fhirclient reads /metadata next, which may not be recorded yet.
  if (!lastToken && awaitingFallback(launch, opts.now, opts.recordingEnds)) {
    return { status: 'in-progress', statusReason: `Waiting after ${steps.at(-1)!.label} failed.` };
  }
  for (const f of findings) {
    if (f.severity !== 'error') continue;
    const failed = firstCited(f, steps, lastToken);
    if (failed) return withCause({ status: 'failed', failedAt: failed.exchange.id }, f);
    const token = UNUSABLE_TOKEN_RULES.has(f.ruleId) ? firstCited(f, steps, undefined, true) : undefined;
    if (token) return withCause({ status: 'failed', failedAt: token.exchange.id }, f);
  }
  if (lastToken) {
    if (lastToken.kind === 'fhir') {
      // After a callback with the code (tokenUsedUnseen), or with the end of the sign-in lost too.
      const seen = steps.some((s) => s.kind === 'callback');
      return { status: 'succeeded', statusReason: seen ? UNSEEN_TOKEN_REASON : UNRECORDED_SIGN_IN_REASON };
    }
    return lastToken.exchange.status === undefined
      ? { status: 'succeeded', statusReason: UNRECORDED_TOKEN_REASON }
      : { status: 'succeeded' };
  }
  // A failed discovery the app went on past (it read /metadata instead) does not end the launch.
  const failure = flowFailure(steps);
  // Aborted because its tab was closed while it waited (live): the user left, nothing refused it.
  const closedAt =
    failure && Number.isFinite(opts.now ?? Number.POSITIVE_INFINITY)
      ? closedWhileWaiting(failure, steps)
      : undefined;
  if (failure && closedAt !== undefined) {
    return { status: 'abandoned', statusReason: closedWaitingReason(failure, closedAt) };
  }
  if (failure) {
    return withCause(
      { status: 'failed', failedAt: failure.exchange.id },
      explaining(findings, failure),
      describeFailure(failure),
    );
  }
  const now = opts.now ?? Number.POSITIVE_INFINITY;
  const last = steps.at(-1)!;
  // The browser closed while the launch could still move: it moves no more, and what came next is unknown.
  const cut = Number.isFinite(now) ? cutOff(launch, opts.recordingEnds) : undefined;
  // Its tab was closed during sign-in, after its last step (live): it moves no more either, and is given
  // up at once. Past the callback the app may still go on elsewhere (a popup hands the code to its opener).
  const closed =
    Number.isFinite(now) &&
    cut === undefined &&
    !steps.some((s) => s.kind === 'callback' || s.kind === 'token')
      ? last.exchange.tabClosedAt
      : undefined;
  if (cut === undefined && closed === undefined && !isSettled(launch, now)) return { status: 'in-progress' };
  for (const f of findings) {
    if (f.severity !== 'error') continue;
    // The step the finding cites first: rules name the step they blame first (state-lost: the callback).
    const step = firstInEvidence(f, steps);
    if (step) return withCause({ status: 'failed', failedAt: step.exchange.id }, f);
  }
  const callback = steps.find((s) => s.kind === 'callback' && getParam(s.decoded, 'code') !== undefined);
  if (callback && !steps.some((s) => s.kind === 'token')) {
    const cause = explaining(findings, callback);
    const handoff = codeHandoff(steps, callback);
    return {
      status: 'authorized',
      statusReason: handoff
        ? backendToken(callback, handoff)
        : serverSideCallback(callback, launch.authHost)
          ? serverToken(callback)
          : invisibleToken(callback, opts.watchedOrigins, tokenOrigin(steps), cut),
      ...(cause ? { cause } : {}),
    };
  }
  if (cut !== undefined) return { status: 'abandoned', statusReason: browserClosedReason(last, cut) };
  if (closed !== undefined) return { status: 'abandoned', statusReason: tabClosedReason(last, closed) };
  const idle = now - (launch.endedAt ?? launch.startedAt);
  if (!Number.isFinite(now)) {
    return {
      status: 'in-progress',
      statusReason: `The recording ends at ${last.label}, before the launch completed.`,
    };
  }
  const timeout = opts.abandonAfterMs ?? DEFAULT_ABANDON_MS;
  if (idle >= timeout) {
    return { status: 'abandoned', statusReason: abandonedReason(last, timeout) };
  }
  return {
    status: 'in-progress',
    statusReason: last.exchange.phase === 'pending' ? unansweredReason(last) : waitingReason(last),
  };
}

/**
 * The launch's last step is a SMART discovery read that failed, and the launch has not settled
 * (isSettled(): activity within SETTLE_MS of `now`): the app may still go on without it (fhirclient
 * reads the CapabilityStatement when `.well-known/smart-configuration` answers 404). Never for
 * recorded data (no `now`), nor on Oracle's open endpoint, where no fallback can help.
 */
export function awaitingFallback(
  launch: Launch,
  now: number | undefined,
  recordingEnds?: readonly number[],
): boolean {
  const last = launch.steps.at(-1);
  if (now === undefined || !last || last.kind !== 'discovery' || !last.failed || isOidcConfig(last))
    return false;
  return !isOpenEndpoint(last) && !isSettled(launch, now, recordingEnds);
}

export const UNRECORDED_TOKEN_REASON =
  'The token response was not recorded, but the FHIR requests the app made after it succeeded.';

/**
 * A token request whose answer was not recorded (its completion did not reach the extension, e.g. the
 * worker was stopped as it arrived), followed by a successful FHIR request: the token worked.
 */
function tokenUsedUnrecorded(steps: Step[]): Step | undefined {
  return findLast(
    steps,
    (s) =>
      s.kind === 'token' &&
      s.exchange.status === undefined &&
      s.exchange.phase === 'pending' &&
      steps.some(
        (f) =>
          f.kind === 'fhir' &&
          f.exchange.startedAt > s.exchange.startedAt &&
          f.exchange.status !== undefined &&
          f.exchange.status >= 200 &&
          f.exchange.status < 300,
      ),
  );
}

export const UNSEEN_TOKEN_REASON =
  'The token request was not recorded (a server the extension does not watch, or its events were lost), but the FHIR requests the app made after the callback succeeded.';

export const UNRECORDED_SIGN_IN_REASON =
  'The end of the sign-in, the callback and the token request were not recorded, but the FHIR requests the app made after it asked for authorization succeeded.';

/**
 * Neither a callback nor a token request recorded (their events lost: the worker stopped as they were
 * dispatched, or a file saved without them), while a FHIR request of the launch after its last
 * authorization request succeeded and nothing of the launch failed: the app had its token. The first
 * such request. (A sign-in that failed on the wire got no token: a FHIR read that succeeded after it is
 * another launch's, which a file without tabs cannot tell apart.)
 */
function signInUnrecorded(steps: Step[]): Step | undefined {
  let asked = -1;
  for (let i = 0; i < steps.length; i++) {
    const { kind, failed } = steps[i]!;
    if (kind === 'token' || kind === 'callback' || failed) return undefined;
    if (kind === 'authorize' || kind === 'loading-page' || kind === 'session-api') asked = i;
  }
  if (asked < 0) return undefined;
  const tab = steps[asked]!.exchange.tabId;
  for (let i = asked + 1; i < steps.length; i++) {
    const s = steps[i]!;
    const status = s.exchange.status;
    // Recorded live, in the tab that signed in: a file of another tool has no tabs to tell launches apart.
    if (s.kind !== 'fhir' || s.exchange.source === 'har' || s.exchange.tabId !== tab) continue;
    if (status !== undefined && status >= 200 && status < 300) return s;
  }
  return undefined;
}

/** A token request the server answered with success. */
function isTokenObtained(s: Step): boolean {
  const status = s.exchange.status;
  if (s.kind === 'callback') return !s.failed && implicitToken(s);
  return s.kind === 'token' && !s.failed && status !== undefined && status >= 200 && status < 300;
}

/** A callback of the implicit flow: the access token itself, in the redirect URL (no code, no error). */
function implicitToken(s: Step): boolean {
  return hasParam(s.decoded, 'access_token') && !hasParam(s.decoded, 'code') && !hasParam(s.decoded, 'error');
}

/** The finding cites the step (by a non-empty exchange id in its evidence). */
function cites(f: Finding, step: Step): boolean {
  const id = step.exchange.id;
  for (const e of f.evidence) if (e.exchangeId && e.exchangeId === id) return true;
  return false;
}

/** The step of the finding's first evidence that names one of the launch's steps. */
function firstInEvidence(f: Finding, steps: Step[]): Step | undefined {
  for (const e of f.evidence) {
    const step = e.exchangeId ? steps.find((s) => s.exchange.id === e.exchangeId) : undefined;
    if (step) return step;
  }
  return undefined;
}

/**
 * The first step the finding cites that failed on the wire, other than the last successful token
 * request and not before it; with `token`, the first cited successful token request instead.
 */
function firstCited(f: Finding, steps: Step[], lastToken: Step | undefined, token = false): Step | undefined {
  for (const s of steps) {
    const wanted = token
      ? isTokenObtained(s)
      : s.failed && s !== lastToken && (!lastToken || s.exchange.startedAt >= lastToken.exchange.startedAt);
    if (wanted && cites(f, s)) return s;
  }
  return undefined;
}

/** The most severe finding citing `step` that is an error or a warning (findings are sorted by severity). */
function explaining(findings: Finding[], step: Step): Finding | undefined {
  return findings.find(
    (f) => f.severity !== 'info' && f.evidence.some((e) => e.exchangeId === step.exchange.id),
  );
}

function findLast<T>(list: readonly T[], pred: (x: T) => boolean): T | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (pred(list[i]!)) return list[i];
  return undefined;
}

import { urlLengthOf } from '../capture/bounds';
import type { Step } from '../model';
import { findParamValueDeep, getParam } from '../url';

/**
 * Common front-end limits: nginx `large_client_header_buffers 4 8k`, Tomcat `maxHttpHeaderSize 8192`.
 * A request line plus Cookie header at or above this many bytes is likely to be refused as too large.
 */
export const REQUEST_SIZE_LIMIT_BYTES = 8 * 1024;
/** Bodies with these words come from a server refusing the size of the request, not its content. */
const TOO_LARGE_BODY = /too large|too long|header.*(size|length)|uri.*long/i;

export type SessionApiVerdict = 'too-large' | 'session-present' | 'session-unknown' | 'no-session';

export interface SessionApiFacts {
  step: Step;
  status?: number;
  forceAuthn: boolean;
  /** `isForceAuthn=true` inside the `to=` authorize URL. */
  nestedForceAuthn: boolean;
  urlLength: number;
  cookieCount?: number;
  cookieBytes?: number;
  cookieNames: string[];
  requestBytes: number;
  verdict: SessionApiVerdict;
}

/** A session-api hop answered with 4xx: why, judged from the recorded sizes and cookies. */
export function sessionApiRejection(step: Step): SessionApiFacts | undefined {
  if (step.kind !== 'session-api' || !isClientError(step.exchange.status)) return undefined;
  return rejection(
    step,
    getParam(step.decoded, 'forceAuthn')?.toLowerCase() === 'true',
    findParamValueDeep(step.decoded, 'isForceAuthn')?.toLowerCase() === 'true',
  );
}

/** Sign-in steps of any server that can be refused for their size, besides Oracle's session-api hop. */
const SIGN_IN_KINDS = new Set(['authorize', 'loading-page', 'idp-login']);

/**
 * An authorize (or sign-in) request of any server refused for its size: 414, 431, a 4xx at or above the
 * common limit, or a body that says so. The same facts as sessionApiRejection(), forceAuthn aside.
 */
export function oversizedSignIn(step: Step): SessionApiFacts | undefined {
  if (!SIGN_IN_KINDS.has(step.kind) || !isClientError(step.exchange.status)) return undefined;
  const facts = rejection(step, false, false);
  return facts.verdict === 'too-large' ? facts : undefined;
}

function isClientError(status: number | undefined): status is number {
  return status !== undefined && status >= 400 && status < 500;
}

/** A step answered with 4xx (isClientError()), judged from its recorded sizes and cookies. */
function rejection(step: Step, forceAuthn: boolean, nestedForceAuthn: boolean): SessionApiFacts {
  const ex = step.exchange;
  // As sent: a URL cut to the capture bound says how long it was.
  const urlLength = urlLengthOf(ex.url);
  const cookies = ex.requestCookies;
  const requestBytes = urlLength + (cookies?.bytes ?? 0);
  let verdict: SessionApiVerdict;
  if (
    ex.status === 414 ||
    ex.status === 431 ||
    requestBytes >= REQUEST_SIZE_LIMIT_BYTES ||
    TOO_LARGE_BODY.test(ex.body?.text ?? '')
  ) {
    verdict = 'too-large';
  } else if (!cookies) verdict = 'session-unknown';
  else verdict = cookies.count > 0 ? 'session-present' : 'no-session';
  const facts: SessionApiFacts = {
    step,
    forceAuthn,
    nestedForceAuthn,
    urlLength,
    cookieNames: cookies?.names ?? [],
    requestBytes,
    verdict,
  };
  if (ex.status !== undefined) facts.status = ex.status;
  if (cookies) {
    facts.cookieCount = cookies.count;
    facts.cookieBytes = cookies.bytes;
  }
  return facts;
}

export function cookieSummary(f: SessionApiFacts): string {
  if (f.cookieCount === undefined) return 'not recorded';
  const names = f.cookieNames.length ? `: ${f.cookieNames.join(', ')}` : '';
  return `${f.cookieCount} cookie(s), ${f.cookieBytes} bytes${names}`;
}

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
  const ex = step.exchange;
  if (step.kind !== 'session-api' || ex.status === undefined || ex.status < 400 || ex.status >= 500)
    return undefined;
  const forceAuthn = getParam(step.decoded, 'forceAuthn')?.toLowerCase() === 'true';
  const nestedForceAuthn = findParamValueDeep(step.decoded, 'isForceAuthn')?.toLowerCase() === 'true';
  const urlLength = step.decoded?.length ?? ex.url.length;
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

/** Sign-in steps of any server that can be refused for their size, besides Oracle's session-api hop. */
const SIGN_IN_KINDS = new Set(['authorize', 'loading-page', 'idp-login']);

/**
 * An authorize (or sign-in) request of any server refused for its size: 414, 431, a 4xx at or above the
 * common limit, or a body that says so. The same facts as sessionApiRejection(), forceAuthn aside.
 */
export function oversizedSignIn(step: Step): SessionApiFacts | undefined {
  const ex = step.exchange;
  if (!SIGN_IN_KINDS.has(step.kind) || ex.status === undefined || ex.status < 400 || ex.status >= 500)
    return undefined;
  const urlLength = step.decoded?.length ?? ex.url.length;
  const cookies = ex.requestCookies;
  const requestBytes = urlLength + (cookies?.bytes ?? 0);
  const tooLarge =
    ex.status === 414 ||
    ex.status === 431 ||
    requestBytes >= REQUEST_SIZE_LIMIT_BYTES ||
    TOO_LARGE_BODY.test(ex.body?.text ?? '');
  if (!tooLarge) return undefined;
  const facts: SessionApiFacts = {
    step,
    status: ex.status,
    forceAuthn: false,
    nestedForceAuthn: false,
    urlLength,
    cookieNames: cookies?.names ?? [],
    requestBytes,
    verdict: 'too-large',
  };
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

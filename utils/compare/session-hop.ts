import { urlLengthOf } from '../capture/bounds';
import { REQUEST_SIZE_LIMIT_BYTES } from '../diagnose/session-api';
import type { Launch } from '../model';
import { findParamValueDeep, getParam } from '../url';
import { statusOf } from './steps';

/** The session-api hop (Oracle): what the browser sent the authorization server. */
export interface SessionHopFacts {
  exchangeId: string;
  status?: string;
  forceAuthn: boolean;
  nestedForceAuthn: boolean;
  urlLength: number;
  /** Undefined when the Cookie header was not recorded. */
  cookies?: { count: number; bytes: number; names: string[] };
  requestBytes: number;
  overLimit: boolean;
}

/** The session-api hop that decided the launch: the failing one, else the first. */
export function sessionHop(launch: Launch): SessionHopFacts | undefined {
  const hops = launch.steps.filter((s) => s.kind === 'session-api');
  const step = hops.find((s) => s.failed) ?? hops[0];
  if (!step) return undefined;
  const ex = step.exchange;
  const urlLength = urlLengthOf(ex.url);
  const requestBytes = urlLength + (ex.requestCookies?.bytes ?? 0);
  const facts: SessionHopFacts = {
    exchangeId: ex.id,
    status: statusOf(step),
    forceAuthn: getParam(step.decoded, 'forceAuthn')?.toLowerCase() === 'true',
    nestedForceAuthn: findParamValueDeep(step.decoded, 'isForceAuthn')?.toLowerCase() === 'true',
    urlLength,
    requestBytes,
    overLimit: requestBytes >= REQUEST_SIZE_LIMIT_BYTES,
  };
  if (ex.requestCookies) {
    const c = ex.requestCookies;
    facts.cookies = { count: c.count, bytes: c.bytes, names: [...c.names].sort() };
  } else if (ex.source === 'webRequest' && !ex.partial && ex.status !== undefined) {
    // The recorder reads the request headers of every answered webRequest exchange it fully sees and
    // records a Cookie header only when one was sent: none recorded there means none sent.
    facts.cookies = { count: 0, bytes: 0, names: [] };
  }
  return facts;
}

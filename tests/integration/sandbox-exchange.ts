/**
 * Turns what the test browser saw (sandbox-browser.ts) into the `Exchange` records the extension's
 * recorder keeps (utils/model.ts): selected response headers, cookie summaries, form fields, bodies,
 * secret facts computed before masking, then redaction with the extension's own redactor.
 */
import { createHash, createHmac } from 'node:crypto';
import { SELECTED_RESPONSE_HEADERS } from '../../utils/capture/state';
import type { Exchange } from '../../utils/model';
import { captureBody, cookieSummary, redactExchange, setCookieName } from '../../utils/redact';
import type { Reply } from './sandbox-client';

export function headerOf(r: Reply, name: string): string | undefined {
  const v = r.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** One request as the browser made it, and its answer when the page got one. */
export interface Observed {
  requestId: string;
  hop: number;
  tabId: number;
  type: string;
  initiator: string;
  method: string;
  url: string;
  startedAt: number;
  reply?: Reply;
  /** The Cookie header sent. */
  cookie?: string | undefined;
  form?: Record<string, string> | undefined;
  /** Network error instead of an answer (net::ERR_FAILED, net::ERR_TOO_MANY_REDIRECTS). */
  error?: string;
}

/** What the recorder computes from secrets before masking them; `key` stands for its per-install key. */
export function secretFacts(
  key: Buffer,
  url: string,
  form?: Record<string, string>,
): Exchange['secretFacts'] {
  const code = form?.code ?? new URL(url).searchParams.get('code') ?? undefined;
  const verifier = form?.code_verifier;
  if (!code && !verifier) return undefined;
  return {
    ...(code ? { codeFingerprint: createHmac('sha256', key).update(code).digest('base64url') } : {}),
    ...(verifier ? { verifierChallenge: createHash('sha256').update(verifier).digest('base64url') } : {}),
  };
}

export function toExchange(o: Observed, key: Buffer): Exchange {
  const ex: Exchange = {
    id: `webRequest:${o.requestId}:${o.hop}`,
    source: 'webRequest',
    requestId: o.requestId,
    hop: o.hop,
    tabId: o.tabId,
    frameId: 0,
    type: o.type,
    method: o.method,
    url: o.url,
    initiator: o.initiator,
    startedAt: o.startedAt,
    phase: o.reply ? 'complete' : 'failed',
    responseHeaders: {},
  };
  if (o.cookie) ex.requestCookies = cookieSummary(o.cookie);
  if (o.form) ex.form = Object.fromEntries(Object.entries(o.form).map(([k, v]) => [k, [v]]));
  const facts = secretFacts(key, o.url, o.form);
  if (facts) ex.secretFacts = facts;
  if (o.error) ex.error = o.error;
  const reply = o.reply;
  if (reply) {
    ex.completedAt = o.startedAt + 10;
    ex.status = reply.status;
    for (const name of SELECTED_RESPONSE_HEADERS) {
      const v = headerOf(reply, name);
      if (v !== undefined) ex.responseHeaders[name] = v;
    }
    if (reply.location) ex.location = reply.location;
    const set = reply.headers['set-cookie'];
    if (set) ex.setCookieNames = (Array.isArray(set) ? set : [set]).map(setCookieName);
    const mime = ex.responseHeaders['content-type']?.split(';')[0];
    if (reply.body && !reply.location) ex.body = captureBody(reply.body, mime, false);
  }
  return redactExchange(ex);
}

/** A page of the app: the recorder sees it through webNavigation only. */
export function appNavigation(
  key: Buffer,
  id: string,
  tabId: number,
  url: string,
  startedAt: number,
): Exchange {
  const facts = secretFacts(key, url);
  return redactExchange({
    id,
    source: 'webNavigation',
    hop: 0,
    tabId,
    frameId: 0,
    type: 'main_frame',
    method: 'GET',
    url,
    startedAt,
    phase: 'complete',
    responseHeaders: {},
    ...(facts ? { secretFacts: facts } : {}),
  });
}

/** Drives the sandbox the way a browser would through a Code Console EHR launch. */
import { createHash, randomBytes } from 'node:crypto';
import type { Sandbox } from '../../sandbox';
import { TENANT } from '../../sandbox/config';
import { type CookieJar, form, type Reply, send } from './sandbox-client';

export { TENANT };
export const EHR = `https://fhir-ehr-code.cerner.com/r4/${TENANT}`;
export const MYRECORD = `https://fhir-myrecord.cerner.com/r4/${TENANT}`;
export const PROBE_REDIRECT = 'https://companion.smartdebugger.test/probe/callback';
export const PATIENT = '12742400';
export const ENCOUNTER = '97953477';
export const PRACTITIONER = '4464007';

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Code Console launch: console URL → preauth → the app's launch URL; returns iss + launch. */
export async function consoleLaunch(
  sandbox: Sandbox,
  appId = 'sandbox-probe',
  q: Record<string, string> = { PAT_PersonId: PATIENT, VIS_EncntrId: ENCOUNTER, USR_PersonId: PRACTITIONER },
): Promise<{ iss: string; launch: string; launchUrl: string; hops: Reply[] }> {
  const first = await send(
    sandbox,
    `https://smart.cerner.com/smart/${TENANT}/apps/${appId}?${new URLSearchParams(q)}`,
  );
  const second = await send(sandbox, first.location ?? '');
  const launchUrl = new URL(second.location ?? '');
  return {
    iss: launchUrl.searchParams.get('iss') ?? '',
    launch: launchUrl.searchParams.get('launch') ?? '',
    launchUrl: launchUrl.toString(),
    hops: [first, second],
  };
}

export interface AuthorizeInput {
  clientId?: string;
  redirectUri?: string;
  scope?: string;
  aud?: string;
  launch?: string;
  state?: string;
  challenge?: string;
  persona?: 'provider' | 'patient';
  extra?: Record<string, string>;
}

export function authorizeUrl(i: AuthorizeInput): string {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: i.clientId ?? 'sandbox-probe',
    redirect_uri: i.redirectUri ?? PROBE_REDIRECT,
    scope: i.scope ?? 'launch openid fhirUser online_access patient/Patient.rs patient/Observation.rs',
    state: i.state ?? randomBytes(16).toString('hex'),
    aud: i.aud ?? EHR,
  });
  if (i.launch) params.set('launch', i.launch);
  if (i.challenge) {
    params.set('code_challenge', i.challenge);
    params.set('code_challenge_method', 'S256');
  }
  for (const [k, v] of Object.entries(i.extra ?? {})) params.set(k, v);
  return `https://authorization.cerner.com/tenants/${TENANT}/protocols/oauth2/profiles/smart-v1/personas/${i.persona ?? 'provider'}/authorize?${params}`;
}

export function sessionServiceUri(loadingPage: string): string {
  const m = /<script id="bootstrap" type="application\/json">(.*?)<\/script>/s.exec(loadingPage);
  if (!m) throw new Error('no bootstrap JSON in the Loading page');
  return (JSON.parse(m[1] ?? '{}') as { sessionServiceUri: string }).sessionServiceUri;
}

export interface Walk {
  hops: Reply[];
  /** The last reply (the redirect to the app, an error, or a page that stopped the walk). */
  last: Reply;
  /** Set when the walk ended with a redirect to the app. */
  callback?: URL;
}

/**
 * Follows authorize → Loading page → session-api → login (with `login` credentials) → authorize → app,
 * stopping at the redirect to `redirectUri`, at any 4xx/5xx, or after 12 hops.
 */
export async function walk(
  sandbox: Sandbox,
  jar: CookieJar,
  start: string,
  redirectUri = PROBE_REDIRECT,
  login = { username: 'portal', password: 'portal' },
): Promise<Walk> {
  const hops: Reply[] = [];
  let next: { url: string; opts?: Parameters<typeof send>[2] } | undefined = { url: start };
  while (next && hops.length < 12) {
    const reply = await send(sandbox, next.url, { ...next.opts, jar });
    hops.push(reply);
    next = undefined;
    if (reply.location?.startsWith(redirectUri))
      return { hops, last: reply, callback: new URL(reply.location) };
    if (reply.status >= 300 && reply.status < 400 && reply.location) next = { url: reply.location };
    else if (reply.status === 200 && reply.body.includes('id="bootstrap"'))
      next = { url: sessionServiceUri(reply.body) };
    else if (reply.status === 200 && reply.body.includes('id="signin"')) {
      const to = /name="to" value="([^"]*)"/.exec(reply.body)?.[1]?.replace(/&amp;/g, '&') ?? '';
      const action = new URL(reply.url);
      next = { url: `https://authorization.cerner.com${action.pathname}`, opts: form({ ...login, to }) };
    }
  }
  const last = hops[hops.length - 1];
  if (!last) throw new Error('no request made');
  return { hops, last };
}

export function tokenEndpoint(fhirHost = 'fhir-ehr-code.cerner.com'): string {
  return `https://authorization.cerner.com/tenants/${TENANT}/hosts/${fhirHost}/protocols/oauth2/profiles/smart-v1/token`;
}

export function exchange(
  sandbox: Sandbox,
  params: Record<string, string>,
  headers: Record<string, string> = {},
) {
  const opts = form(params);
  return send(sandbox, tokenEndpoint(), { ...opts, headers: { ...opts.headers, ...headers } });
}

export interface Launched {
  callback: URL;
  verifier: string;
  redirectUri: string;
  clientId: string;
}

/** Console launch + authorize + login for a provider app; returns the callback URL with the code. */
export async function launchToCallback(
  sandbox: Sandbox,
  jar: CookieJar,
  opts: { clientId?: string; scope?: string; redirectUri?: string; console?: Record<string, string> } = {},
): Promise<Launched> {
  const clientId = opts.clientId ?? 'sandbox-probe';
  const redirectUri = opts.redirectUri ?? PROBE_REDIRECT;
  const ctx = await consoleLaunch(sandbox, clientId, opts.console);
  const { verifier, challenge } = pkcePair();
  const start = authorizeUrl({
    clientId,
    redirectUri,
    launch: ctx.launch,
    aud: ctx.iss,
    challenge,
    ...(opts.scope ? { scope: opts.scope } : {}),
  });
  const result = await walk(sandbox, jar, start, redirectUri);
  if (!result.callback)
    throw new Error(`launch did not reach the app: ${result.last.status} ${result.last.url}`);
  return { callback: result.callback, verifier, redirectUri, clientId };
}

/** Redeems a launch's code; returns the token response body. */
export async function redeem(sandbox: Sandbox, l: Launched, extra: Record<string, string> = {}) {
  const reply = await exchange(sandbox, {
    grant_type: 'authorization_code',
    code: l.callback.searchParams.get('code') ?? '',
    redirect_uri: l.redirectUri,
    code_verifier: l.verifier,
    client_id: l.clientId,
    ...extra,
  });
  return reply;
}

/** The URN inside an Oracle error URL (`…/errors/<URL-encoded URN>/instances/<uuid>`), exactly. */
export function urnOf(errorUrl: string | null | undefined): string {
  const m = /^https:\/\/authorization\.cerner\.com\/errors\/([^/]+)\/instances\/[0-9a-f-]{36}(?:\?|$)/.exec(
    errorUrl ?? '',
  );
  if (!m) throw new Error(`not an Oracle error URL: ${errorUrl}`);
  return decodeURIComponent(m[1] ?? '');
}

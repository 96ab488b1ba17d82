/**
 * Launches run the way the probe app and a browser run them (Code Console → app launch URL → discovery →
 * authorize → Loading page → session-api → login → callback → token → FHIR), recorded by a Browser,
 * and the analysis of the recording.
 */
import { expect } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange, Finding, Launch } from '../../utils/model';
import { AUTH, type Browser, bootstrapTarget, type Credentials, type Navigation } from './sandbox-browser';
import {
  type AuthorizeInput,
  authorizeUrl,
  ENCOUNTER,
  PATIENT,
  PRACTITIONER,
  PROBE_REDIRECT,
  pkcePair,
  TENANT,
  tokenEndpoint,
} from './sandbox-flow';

export const PORTAL = { username: 'portal', password: 'portal' };

export interface BrowserLaunch {
  clientId: string;
  iss: string;
  launch: string;
  verifier: string;
  /** The code_challenge sent to authorize (S256 of verifier). */
  challenge: string;
  /** Every navigation from authorize on. */
  navs: Navigation[];
  /** The app page the launch came back to (code or error), when it did. */
  callback?: URL;
}

/** Code Console launch of `appId`; returns the launch URL the app was opened with. */
export async function openFromConsole(
  b: Browser,
  appId = 'sandbox-probe',
  q: Record<string, string> = { PAT_PersonId: PATIENT, VIS_EncntrId: ENCOUNTER, USR_PersonId: PRACTITIONER },
): Promise<URL> {
  const nav = await b.navigate(
    `https://smart.cerner.com/smart/${TENANT}/apps/${appId}?${new URLSearchParams(q)}`,
    {
      initiator: 'https://smart.cerner.com',
    },
  );
  if (!nav.appUrl) throw new Error(`console launch did not reach the app: ${nav.last?.status}`);
  return nav.appUrl;
}

/** Follows the authorization server's pages (Loading page script, login form) until the app or a dead end. */
export async function signIn(b: Browser, start: string, login = PORTAL): Promise<Navigation[]> {
  const navs = [await b.navigate(start)];
  for (let i = 0; i < 6; i++) {
    const { last, appUrl, error } = navs.at(-1)!;
    if (appUrl || error || !last || last.status !== 200) break;
    const target = bootstrapTarget(last.body);
    if (target) {
      navs.push(await b.navigate(target, { initiator: AUTH }));
    } else if (last.body.includes('id="signin"')) {
      const to = /name="to" value="([^"]*)"/.exec(last.body)?.[1]?.replace(/&amp;/g, '&') ?? '';
      const action = `${AUTH}${new URL(last.url).pathname}`;
      navs.push(await b.navigate(action, { initiator: AUTH, form: { ...login, to } }));
    } else break;
  }
  return navs;
}

export interface LaunchOptions {
  appId?: string;
  console?: Record<string, string>;
  /** What the app sends to authorize, over what the probe would send. */
  authorize?: Partial<AuthorizeInput>;
  /** Last change to the authorize URL (e.g. dropping a parameter). */
  mapStart?: (url: string) => string;
  login?: typeof PORTAL;
}

/**
 * A full EHR launch as the probe runs it (client_id and scope from its launch URL when the registration
 * puts them there), up to the callback.
 */
export async function ehrLaunch(b: Browser, o: LaunchOptions = {}): Promise<BrowserLaunch> {
  const launchUrl = await openFromConsole(b, o.appId ?? 'sandbox-probe', o.console);
  const q = launchUrl.searchParams;
  const iss = q.get('iss') ?? '';
  const launch = q.get('launch') ?? '';
  await b.fetch(`${iss}/.well-known/smart-configuration`);
  const { verifier, challenge } = pkcePair();
  const asked: AuthorizeInput = {
    clientId: q.get('client_id') ?? 'sandbox-probe',
    launch,
    aud: iss,
    challenge,
  };
  const scope = q.get('scope');
  if (scope) asked.scope = scope;
  const start = authorizeUrl({ ...asked, ...o.authorize });
  const navs = await signIn(b, o.mapStart ? o.mapStart(start) : start, o.login);
  const callback = navs.at(-1)?.appUrl;
  return {
    clientId: asked.clientId ?? '',
    iss,
    launch,
    verifier,
    challenge,
    navs,
    ...(callback ? { callback } : {}),
  };
}

/** The probe's token request for a launch that came back with a code; `extra` fields given as '' are left out. */
export function redeemIn(
  b: Browser,
  l: BrowserLaunch,
  o: { extra?: Record<string, string>; credentials?: Credentials } = {},
) {
  const form: Record<string, string> = {
    grant_type: 'authorization_code',
    code: l.callback?.searchParams.get('code') ?? '',
    redirect_uri: PROBE_REDIRECT,
    code_verifier: l.verifier,
    client_id: l.clientId,
    ...o.extra,
  };
  for (const [k, v] of Object.entries(form)) if (v === '') delete form[k];
  return b.fetch(tokenEndpoint(), { form, ...(o.credentials ? { credentials: o.credentials } : {}) });
}

/** A FHIR read or search from the app's page with the launch's access token. */
export function fhirGet(b: Browser, url: string, accessToken: string) {
  return b.fetch(url, {
    headers: { authorization: `Bearer ${accessToken}`, accept: 'application/fhir+json' },
  });
}

/** The one launch analyze() makes of a recording, checked to hold `exchange` (the step the failure is about). */
export function launchHolding(exchanges: Exchange[], exchange: Exchange | undefined): Launch {
  expect(exchange, 'the failing exchange was recorded').toBeDefined();
  const all = analyze(exchanges);
  // Every recording here is one launch: correlation must not split it.
  expect(all.map((l) => l.steps.length)).toEqual([exchanges.length]);
  const launch = all.find((l) => l.steps.some((s) => s.exchange.id === exchange?.id));
  expect(launch, 'analyze() put the failing exchange into a launch').toBeDefined();
  return launch!;
}

/** The first finding of the launch holding `exchange`, by rule id (and severity, for the message). */
export function firstFinding(exchanges: Exchange[], exchange: Exchange | undefined): Finding | undefined {
  return launchHolding(exchanges, exchange).findings[0];
}

export const lastExchange = (b: Browser, pred: (e: Exchange) => boolean = () => true) =>
  b.exchanges.filter(pred).at(-1);

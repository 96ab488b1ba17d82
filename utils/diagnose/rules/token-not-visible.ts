import { isOracleUrl } from '../../capture/relevance';
import { isOidcConfig, responseIssuer } from '../../launch/classify';
import { codeHandoff } from '../../launch/refine';
import type { Step } from '../../model';
import { smartConfigOf } from '../../smart/smart-config';
import { getParam } from '../../url';
import { originOf } from '../../url/split';
import { advice, andList, relaunch, watchOrigin } from '../fixes';
import type { RuleContext } from '../types';
import { ev, finding, type Rule } from '../types';

/**
 * The origin of the launch's token endpoint: discovery's `token_endpoint`, else the authorization
 * server's (where the authorize request went), which usually serves both.
 */
export function tokenOrigin(steps: readonly Step[]): string | undefined {
  const discovery = steps.find((s) => s.kind === 'discovery' && !isOidcConfig(s));
  const endpoint = discovery ? smartConfigOf(discovery.exchange.body)?.token_endpoint : undefined;
  if (endpoint) return originOf(endpoint) || undefined;
  const authorize = steps.find((s) => s.kind === 'authorize' || s.kind === 'loading-page');
  if (authorize) return originOf(authorize.exchange.url) || undefined;
  // The authorize request not recorded (its server not watched): the issuer the callback names (RFC 9207).
  for (const s of steps) {
    const iss = s.kind === 'callback' ? responseIssuer(s.decoded) : undefined;
    if (iss) return originOf(iss) || undefined;
  }
  return undefined;
}

/** The origin of the FHIR server: the launch's `iss`, else the authorize request's `aud`. */
function fhirOrigin(ctx: RuleContext): string | undefined {
  const iss = getParam(ctx.launchUrl?.decoded, 'iss') ?? getParam(ctx.authParams, 'aud');
  return iss ? originOf(iss) || undefined : undefined;
}

/**
 * The servers the app's pages send its token request and FHIR calls to that are known not to be
 * watched: a request is visible only when the extension may watch both the page that sends it and the
 * origin it goes to (Oracle's hosts always are).
 */
function unwatchedServers(launch: { steps: readonly Step[] }, ctx: RuleContext, app: string): string[] {
  const out: string[] = [];
  for (const o of [tokenOrigin(launch.steps), fhirOrigin(ctx)])
    if (o && o !== app && !out.includes(o) && notWatched(ctx, o)) out.push(o);
  return out;
}

/**
 * The callback with a code whose token request the recorder cannot have seen: the app's origin, or the
 * token endpoint's, is not known to be watched, and the page was not recorded another way (DevTools
 * open, a HAR file). The launch is then `authorized` (utils/launch/status.ts) and this finding offers to
 * watch the origins.
 */
export function hiddenTokenCallback(ctx: RuleContext, steps: readonly Step[]): Step | undefined {
  if (ctx.tokens.length) return undefined;
  const cb = ctx.callbacks.find((c) => getParam(c.decoded, 'code') !== undefined);
  if (!cb || cb.exchange.source === 'har' || cb.exchange.source === 'devtools') return undefined;
  if (unwatchedWhenLoaded(cb) || tokenUsedUnseen(steps)) return cb;
  if (ctx.hasHostPermission(originOf(cb.exchange.url)) !== true) return cb;
  const token = tokenOrigin(steps);
  return token && notWatched(ctx, token) ? cb : undefined;
}

/**
 * The app had a token although its token request was not seen: after the callback brought the code,
 * a FHIR request of the same tab (or of the tab that opened the callback's popup) succeeded, and no
 * token request is in the launch. The request went where the extension does not watch (an
 * authorization server it was not given), or its events were lost. Live only: a file of another tool
 * has no tabs, so a FHIR read after the callback may be another launch's. The first such request.
 */
export function tokenUsedUnseen(steps: readonly Step[]): Step | undefined {
  let cb: Step | undefined;
  for (const s of steps) {
    if (s.kind === 'token' || s.kind === 'refresh') return undefined;
    if (!cb) {
      if (s.kind === 'callback' && !s.failed && getParam(s.decoded, 'code') !== undefined) cb = s;
      continue;
    }
    const x = s.exchange;
    if (s.kind !== 'fhir' || x.source === 'har' || cb.exchange.source === 'har') continue;
    if (x.tabId !== cb.exchange.tabId && x.tabId !== cb.exchange.openerTabId) continue;
    if (x.status !== undefined && x.status >= 200 && x.status < 300) return s;
  }
  return undefined;
}

/** Known not to be watched. Oracle's hosts always are (the extension's own host permission). */
function notWatched(ctx: RuleContext, origin: string): boolean {
  return !isOracleUrl(origin) && ctx.hasHostPermission(origin) === false;
}

/**
 * The callback page was seen only as a navigation: webRequest sees the pages of a watched origin, so
 * the origin was not watched when this launch ran, whatever the recorder holds now (watching it later
 * does not make the old launch's token request visible).
 */
export function unwatchedWhenLoaded(cb: Step): boolean {
  return cb.exchange.source === 'webNavigation';
}

/** Steps the recorder could not see because the app's origin is not a watched host. */
export const tokenNotVisible: Rule = {
  id: 'token-not-visible',
  severity: 'info',
  title: 'Some requests of the app were not visible',
  detect(launch, ctx) {
    // state-lost already named a definite cause (origin, state or tab changed at the callback).
    let cb = ctx.findings.some((f) => f.ruleId === 'state-lost')
      ? undefined
      : hiddenTokenCallback(ctx, launch.steps);
    // Handed to the app's backend: there was no token request in the browser to see.
    if (cb && codeHandoff(launch.steps, cb)) cb = undefined;
    const partial = cb ? undefined : launch.steps.find((s) => s.exchange.partial);
    if (!partial && !cb) return [];
    const origin = cb
      ? originOf(cb.exchange.url)
      : (partial!.exchange.initiator ?? originOf(partial!.exchange.url));
    const watchedNow = ctx.hasHostPermission(origin) === true;
    const known = ctx.hasHostPermission(origin) === false;
    const servers = unwatchedServers(launch, ctx, origin);
    // The app used a token after the callback, which was seen as a request of a watched page: its token
    // request went to a server the extension does not watch.
    const used = cb && !unwatchedWhenLoaded(cb) ? tokenUsedUnseen(launch.steps) : undefined;
    if (cb && used) {
      return [
        finding(
          this,
          `The code reached ${origin} and the app's FHIR requests after it succeeded (${used.label}), so it had a token, but its token request was not recorded: it went to a server the extension does not watch${servers.length ? ` (${andList(servers)})` : ', most likely the authorization server (the SMART configuration names its token endpoint; its body was not recorded)'}. Watch that server and relaunch to see the token exchange.`,
          [
            ev('callback without visible token request', cb.label, cb),
            ev('FHIR request that succeeded', used.label, used),
          ],
          servers.length
            ? [watchOrigin(servers[0]!, ...servers.slice(1))]
            : [
                advice(
                  "Add the authorization server's host (the token endpoint's) in the options, under Authorization servers, or keep DevTools open on the tab; then relaunch.",
                ),
                ...relaunch(ctx),
              ],
          { severity: 'warning', title: 'Token exchange not visible' },
        ),
      ];
    }
    if (cb && watchedNow && !servers.length) {
      return [
        finding(
          this,
          `The code reached ${origin}, but its token request was not visible: ${origin} was not watched when this launch ran (it is now). Relaunch to see the token exchange and FHIR calls.`,
          [ev('callback without visible token request', cb.label, cb)],
          relaunch(ctx),
          { severity: 'warning', title: 'Token exchange not visible' },
        ),
      ];
    }
    const toWatch = watchedNow && servers.length ? servers : [origin, ...servers];
    const serversNote = servers.length
      ? ` The extension sees a request only when it may watch both the page that sends it and the server it goes to: ${andList(servers)} ${servers.length > 1 ? 'are' : 'is'} not watched either.`
      : '';
    const summary = cb
      ? watchedNow
        ? `The code reached ${origin}, but its token request was not visible: the extension sees a request only when it may watch both the page that sends it and the server it goes to, and ${andList(servers)} ${servers.length > 1 ? 'are' : 'is'} not watched. Watch ${servers.length > 1 ? 'them' : 'it'} and relaunch to see the token exchange and FHIR calls.`
        : `The code reached ${origin}, but its token request was not visible: requests sent by pages of ${origin} are only recorded once that origin is watched (or while DevTools is open on the tab)${known ? '' : ', and it may not be watched'}.${serversNote} Watch ${toWatch.length > 1 ? 'them' : 'it'} and relaunch to see the token exchange and FHIR calls.`
      : `Requests sent by pages of ${origin} (the token request, FHIR calls) are only visible once that origin is watched, so this launch may look less complete than it was.${serversNote}`;
    return [
      finding(
        this,
        summary,
        [
          cb
            ? ev('callback without visible token request', cb.label, cb)
            : ev('partly recorded', partial!.label, partial!),
        ],
        [watchOrigin(toWatch[0]!, ...toWatch.slice(1))],
        cb ? { severity: 'warning', title: 'Token exchange not visible' } : {},
      ),
    ];
  },
};

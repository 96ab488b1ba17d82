import type { Fix } from '../model';
import { decodeUrl, getParam } from '../url';
import type { RuleContext } from './types';

export const ORACLE_AUTH_ORIGIN = 'https://authorization.cerner.com';

export const enableStripRule = (): Fix => ({
  kind: 'enable-strip-rule',
  label: 'Strip forceAuthn from the session-api hop',
});

export const clearSession = (origin = ORACLE_AUTH_ORIGIN): Fix => ({
  kind: 'clear-session',
  label: `Clear the session of ${origin.replace(/^https?:\/\//, '')}`,
  origin,
});

/** Watch one origin, or several in one permission request (`origins`, the first shown as `origin`). */
export const watchOrigin = (origin: string, ...more: string[]): Fix =>
  more.length === 0
    ? { kind: 'watch-origin', label: `Watch ${origin} (needed to see the requests its pages send)`, origin }
    : {
        kind: 'watch-origin',
        label: `Watch ${hostList([origin, ...more])} (needed to see the requests between them)`,
        origin,
        origins: [origin, ...more],
      };

/** Every origin a watch-origin fix asks for, its `origin` first. */
export const watchedBy = (fix: { origin: string; origins?: string[] }): string[] =>
  fix.origins ?? [fix.origin];

/** `a`, `a and b`, `a, b and c`. */
export function andList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** andList() of origins without their scheme, for a button. */
export const hostList = (origins: readonly string[]): string =>
  andList(origins.map((o) => o.replace(/^https?:\/\//, '')));

export const advice = (label: string): Fix => ({ kind: 'advice', label });

/**
 * Where to start again: the EHR page that began the launch (a `launch` value is single-use, so the
 * app's own launch URL would fail), else the app's launch URL, else the authorize URL.
 */
export function relaunch(ctx: RuleContext): Fix[] {
  if (ctx.ehrStart) return [{ kind: 'relaunch', label: 'Copy relaunch URL', url: ctx.ehrStart.exchange.url }];
  // Without the EHR page, an EHR launch's `launch` code (in its launch URL, and in the authorize request
  // that passes it on) cannot be used again: no URL to offer (utils/launch/relaunch.ts says why).
  const step = ctx.launchUrl ?? ctx.authorize;
  if (!step || getParam(step.decoded ?? decodeUrl(step.exchange.url), 'launch') !== undefined) return [];
  return [{ kind: 'relaunch', label: 'Copy relaunch URL', url: step.exchange.url }];
}

import type { Fix } from '../model';
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

export const watchOrigin = (origin: string): Fix => ({
  kind: 'watch-origin',
  label: `Watch ${origin} (needed to see the requests its pages send)`,
  origin,
});

export const advice = (label: string): Fix => ({ kind: 'advice', label });

/**
 * Where to start again: the EHR page that began the launch (a `launch` value is single-use, so the
 * app's own launch URL would fail), else the app's launch URL, else the authorize URL.
 */
export function relaunch(ctx: RuleContext): Fix[] {
  const url = ctx.ehrStart?.exchange.url ?? ctx.launchUrl?.exchange.url ?? ctx.authorize?.exchange.url;
  return url ? [{ kind: 'relaunch', label: 'Copy relaunch URL', url }] : [];
}

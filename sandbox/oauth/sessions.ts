/**
 * Login sessions of authorization.cerner.com. The cookies mimic what a real login leaves behind: a
 * host-only session cookie, `cloud-session-iframe` (seen in public reports), an IdP cookie and one
 * `Domain=cerner.com` cookie, so clearing tools can be tested on parent-domain cookies too.
 */
import { randomUUID } from 'node:crypto';
import { AUTH_ORIGIN, type Persona } from '../config';
import type { SandboxUser } from '../data';
import { remember, type SandboxState, type Session } from '../state';

export const SESSION_COOKIE = 'cerner-authz-session';
export const IFRAME_COOKIE = 'cloud-session-iframe';
export const IDP_COOKIE = 'idp-session';
export const PARENT_DOMAIN_COOKIE = 'cerner-sso';
/** Cookies whose presence means "the browser already has an authorization.cerner.com session". */
export const SESSION_COOKIES = [SESSION_COOKIE, IFRAME_COOKIE];

/** Lenient Cookie header parser: never throws, keeps the first value of a repeated name. */
export function parseCookies(header: string | undefined | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    const name = (at < 0 ? part : part.slice(0, at)).trim();
    if (name && !out.has(name)) out.set(name, at < 0 ? '' : part.slice(at + 1).trim());
  }
  return out;
}

export function hasSessionCookie(cookies: Map<string, string>): boolean {
  return SESSION_COOKIES.some((n) => cookies.has(n));
}

/** The live session for a realm named by the cookies, if any. */
export function sessionFor(
  state: SandboxState,
  cookies: Map<string, string>,
  realm: string,
): Session | undefined {
  const id = cookies.get(SESSION_COOKIE);
  const session = id ? state.sessions.get(id) : undefined;
  return session && session.realm === realm ? session : undefined;
}

export function createSession(
  state: SandboxState,
  realm: string,
  tenant: string,
  persona: Persona,
  user: SandboxUser,
): { session: Session; setCookies: string[] } {
  const session: Session = { id: randomUUID(), realm, tenant, persona, user, createdAt: state.now() };
  remember(state.sessions, session.id, session);
  const attrs = 'Path=/; Secure; SameSite=None';
  const setCookies = [
    `${SESSION_COOKIE}=${session.id}; ${attrs}; HttpOnly`,
    `${IFRAME_COOKIE}=${AUTH_ORIGIN}/session-api/session/${session.id}; ${attrs}`,
    `${IDP_COOKIE}=${randomUUID()}; ${attrs}; HttpOnly`,
    `${PARENT_DOMAIN_COOKIE}=${randomUUID()}; Domain=cerner.com; ${attrs}`,
  ];
  return { session, setCookies };
}

import { buildContext } from '../../utils/diagnose/context';
import type { RuleContext } from '../../utils/diagnose/types';
import type { Launch } from '../../utils/model';

/**
 * What the launch views show about scopes and tokens, read from the facts analysis derives for the rules
 * (utils/diagnose/context.ts `buildContext`), so the detail and the findings never disagree. Pure; no DOM.
 */

/** The analysis facts of one launch object, built once however many views read them. */
const contexts = new WeakMap<Launch, RuleContext>();
function factsOf(launch: Launch): RuleContext {
  let ctx = contexts.get(launch);
  if (!ctx) {
    ctx = buildContext(launch, {});
    contexts.set(launch, ctx);
  }
  return ctx;
}

/** The scope the app asked for: the authorize request (query, POST form, or inside a `to=` URL). */
export function requestedScopes(launch: Launch): string[] {
  return factsOf(launch).requested.map((s) => s.raw);
}

/** The token endpoint's successful answer, when its body was captured (DevTools or HAR import) and readable. */
export function tokenResponse(launch: Launch): Record<string, unknown> | undefined {
  const body = factsOf(launch).tokenSuccess?.body;
  return body?.kind === 'token' ? body.value : undefined;
}

/** Granted scopes, or undefined when no token response body was captured (unknown, not empty). */
export function grantedScopes(launch: Launch): string[] | undefined {
  const facts = factsOf(launch);
  // Read from an access token's scope claim (no token response): not the full grant to list.
  if (facts.grantedBy) return undefined;
  return facts.granted?.map((s) => s.raw);
}

/** `scopes_supported` from the server's smart-configuration, when its body was captured. */
export function supportedScopes(launch: Launch): string[] | undefined {
  return factsOf(launch).smartConfig?.scopes_supported;
}

/** JWTs in the token response worth decoding: the id_token, and the access token when it is a JWT. */
export function tokensOf(launch: Launch): { name: string; token: string }[] {
  const body = tokenResponse(launch);
  if (!body) return [];
  return ['id_token', 'access_token']
    .map((name) => ({ name, token: body[name] }))
    .filter(
      (t): t is { name: string; token: string } =>
        typeof t.token === 'string' && t.token.split('.').length === 3,
    );
}

/** Why "granted" is unknown: the token response was not captured. */
export const GRANTED_UNKNOWN =
  "token response not captured — watch the app's origin or open DevTools on the app's tab";

/** Why "server supports" is unknown, or undefined when the server's list is known. */
export function supportedUnknownReason(launch: Launch): string | undefined {
  const ctx = factsOf(launch);
  if (ctx.smartConfig?.scopes_supported) return undefined;
  if (!ctx.discovery) return 'smart-configuration not captured';
  if (!ctx.smartConfig) return 'smart-configuration body not captured';
  return 'server did not publish scopes_supported';
}

import type { DecodedParam, Launch, Step } from '../../utils/model';

/** Reads what the launch views show out of captured steps (scopes, token response). Pure; no DOM. */

function findParam(params: readonly DecodedParam[], name: string): string | undefined {
  for (const param of params) {
    if (param.name === name) return param.value;
    const nested = param.nested && findParam(param.nested.params, name);
    if (nested !== undefined) return nested;
  }
  return undefined;
}

function jsonBody(step: Step | undefined): Record<string, unknown> | undefined {
  const text = step?.exchange.body?.text;
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const splitScopes = (value: string | undefined) => (value ?? '').split(/\s+/).filter(Boolean);

/** The scope the app asked for: the authorize request (query, POST form, or inside a `to=` URL). */
export function requestedScopes(launch: Launch): string[] {
  for (const step of launch.steps) {
    if (step.kind !== 'authorize' && step.kind !== 'loading-page' && step.kind !== 'session-api') continue;
    const fromQuery = findParam(step.decoded?.params ?? [], 'scope');
    const fromForm = step.exchange.form?.scope?.[0];
    if (fromQuery ?? fromForm) return splitScopes(fromQuery ?? fromForm);
  }
  return [];
}

/** The token endpoint's successful answer, when its body was captured (DevTools or HAR import). */
export function tokenResponse(launch: Launch): Record<string, unknown> | undefined {
  const tokenSteps = launch.steps.filter((s) => (s.kind === 'token' || s.kind === 'refresh') && !s.failed);
  return jsonBody(tokenSteps.at(-1));
}

/** Granted scopes, or undefined when no token response body was captured (unknown, not empty). */
export function grantedScopes(launch: Launch): string[] | undefined {
  const scope = tokenResponse(launch)?.scope;
  return typeof scope === 'string' ? splitScopes(scope) : undefined;
}

/** `scopes_supported` from the server's smart-configuration, when its body was captured. */
export function supportedScopes(launch: Launch): string[] | undefined {
  const discovery = jsonBody(launch.steps.find((s) => s.kind === 'discovery'));
  const scopes = discovery?.scopes_supported;
  return Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === 'string') : undefined;
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
  if (supportedScopes(launch)) return undefined;
  const discovery = launch.steps.find((s) => s.kind === 'discovery');
  if (!discovery) return 'smart-configuration not captured';
  if (!jsonBody(discovery)) return 'smart-configuration body not captured';
  return 'server did not publish scopes_supported';
}

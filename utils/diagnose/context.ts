import { authorizeParams } from '../launch/facts';
import type { Launch, Step } from '../model';
import { parseScopes } from '../smart/scopes';
import { parseSmartConfig } from '../smart/smart-config';
import { type ParsedTokenBody, parseTokenBody } from '../smart/token-response';
import { getParam } from '../url';
import { permitted } from './permissions';
import type { RuleContext } from './types';

/** A launch with no activity for this long is taken as finished: what has not happened will not. */
export const SETTLE_MS = 30_000;

export interface ContextOptions {
  /** Current time; omit for recorded/imported data, which is treated as finished. */
  now?: number;
  /** Host permission match patterns the recorder holds; omit when unknown. */
  watchedOrigins?: readonly string[];
}

export function buildContext(launch: Launch, opts: ContextOptions): RuleContext {
  const steps = launch.steps;
  const now = opts.now ?? Number.POSITIVE_INFINITY;
  const authorize = steps.find((s) => authorizeParams(s)?.params.some((p) => p.name === 'client_id'));
  const authParams = authorize ? authorizeParams(authorize) : undefined;
  const discovery = steps.find((s) => s.kind === 'discovery');
  const smartConfig = discovery ? parseSmartConfig(discovery.exchange.body?.text) : undefined;
  const tokens = steps.filter((s) => s.kind === 'token');
  const tokenBodies = new Map<string, ParsedTokenBody>();
  for (const t of tokens)
    if (t.exchange.body) tokenBodies.set(t.exchange.id, parseTokenBody(t.exchange.body.text));
  const okToken = tokens.find((t) => !t.failed && t.exchange.status !== undefined && t.exchange.status < 300);
  const okBody = okToken ? tokenBodies.get(okToken.exchange.id) : undefined;
  const ctx: RuleContext = {
    now,
    settled: now - (launch.endedAt ?? launch.startedAt) >= SETTLE_MS,
    hasHostPermission: (origin) => (opts.watchedOrigins ? permitted(opts.watchedOrigins, origin) : undefined),
    callbacks: steps.filter((s) => s.kind === 'callback'),
    tokens,
    tokenBodies,
    fhir: steps.filter((s) => s.kind === 'fhir'),
    requested: parseScopes(getParam(authParams, 'scope')),
    findings: [],
    supported: () =>
      smartConfig?.scopes_supported ? parseScopes(smartConfig.scopes_supported.join(' ')) : undefined,
  };
  const launchUrl = steps.find(
    (s) => (s.kind === 'ehr-launch' || s.kind === 'standalone-launch') && getParam(s.decoded, 'iss'),
  );
  if (launchUrl) ctx.launchUrl = launchUrl;
  const ehrStart = steps.find((s) => s.kind === 'ehr-launch' && /\/apps\//.test(s.decoded?.path ?? ''));
  if (ehrStart) ctx.ehrStart = ehrStart;
  if (authorize) ctx.authorize = authorize;
  if (authParams) ctx.authParams = authParams;
  if (discovery) ctx.discovery = discovery;
  if (smartConfig) ctx.smartConfig = smartConfig;
  if (okToken) ctx.tokenSuccess = okBody ? { step: okToken, body: okBody } : { step: okToken };
  if (okBody?.kind === 'token' && okBody.value.scope !== undefined)
    ctx.granted = parseScopes(okBody.value.scope);
  return ctx;
}

/** Steps of a launch whose exchange ids are cited by the findings so far. */
export function citedIds(ctx: RuleContext): Set<string> {
  const ids = new Set<string>();
  for (const f of ctx.findings) for (const e of f.evidence) if (e.exchangeId) ids.add(e.exchangeId);
  return ids;
}

export function stepById(launch: Launch, id: string | undefined): Step | undefined {
  return id ? launch.steps.find((s) => s.exchange.id === id) : undefined;
}

import { isOidcConfig } from '../launch/classify';
import { authorizeParams } from '../launch/facts';
import type { DecodedUrl, Exchange, Finding, Launch, Step } from '../model';
import { parseScopes, type Scope } from '../smart/scopes';
import { type SmartConfig, smartConfigOf } from '../smart/smart-config';
import { type ParsedTokenBody, parseTokenBody } from '../smart/token-response';
import { getParam, hasParam } from '../url';
import { permitted } from './permissions';
import type { RuleContext } from './types';

/** The token bodies of a launch without any: shared, never written to (buildContext makes a map to fill). */
const EMPTY_BODIES: Map<string, ParsedTokenBody> = new Map();

/** A launch with no activity for this long is taken as finished: what has not happened will not. */
export const SETTLE_MS = 30_000;

export interface ContextOptions {
  /** Current time; omit for recorded/imported data, which is treated as finished. */
  now?: number;
  /** Host permission match patterns the recorder holds; omit when unknown. */
  watchedOrigins?: readonly string[];
  /**
   * Where the recording stopped because the browser closed (or crashed): for each browser session
   * that ended while the log held launches, the time of the last event recorded in it (the recorder
   * learns of it when the browser starts again). Live data only.
   */
  recordingEnds?: readonly number[];
}

/**
 * No activity for SETTLE_MS before `now`, or the browser closed while the launch could still move
 * (cutOff()): what has not happened will not (ctx.settled).
 */
export function isSettled(launch: Launch, now: number, recordingEnds?: readonly number[]): boolean {
  return (
    now - (launch.endedAt ?? launch.startedAt) >= SETTLE_MS || cutOff(launch, recordingEnds) !== undefined
  );
}

/**
 * The end of recording (ContextOptions.recordingEnds) that cut the launch off: its last activity was
 * at or before that end, and less than SETTLE_MS before it, so it could still have moved on when the
 * browser closed. Undefined when none did.
 */
export function cutOff(launch: Launch, recordingEnds: readonly number[] | undefined): number | undefined {
  if (!recordingEnds) return undefined;
  const last = launch.endedAt ?? launch.startedAt;
  for (const end of recordingEnds) if (last <= end && end - last < SETTLE_MS) return end;
  return undefined;
}

/**
 * The facts every rule shares. `onNowRead` is told when a rule reads ctx.now itself (rather than
 * ctx.settled): findings that depend on the exact time cannot be reused at another time.
 */
export function buildContext(launch: Launch, opts: ContextOptions, onNowRead?: () => void): RuleContext {
  const now = opts.now ?? Number.POSITIVE_INFINITY;
  // One pass over the steps; each "first" below is the first step of the launch that qualifies.
  let authorize: Step | undefined;
  let authParams: DecodedUrl | undefined;
  let discovery: Step | undefined;
  let launchUrl: Step | undefined;
  let ehrStart: Step | undefined;
  const tokens: Step[] = [];
  const callbacks: Step[] = [];
  const fhir: Step[] = [];
  for (const s of launch.steps) {
    switch (s.kind) {
      case 'authorize':
      case 'loading-page':
      case 'session-api':
        if (!authorize) {
          const params = authorizeParams(s);
          if (hasParam(params, 'client_id')) {
            authorize = s;
            authParams = params;
          }
        }
        break;
      case 'discovery':
        // The SMART configuration, not an OpenID configuration read to validate an id_token.
        if (!discovery || (isOidcConfig(discovery) && !isOidcConfig(s))) discovery = s;
        break;
      case 'token':
        tokens.push(s);
        break;
      case 'callback':
        callbacks.push(s);
        break;
      case 'fhir':
        fhir.push(s);
        break;
      case 'ehr-launch':
      case 'standalone-launch':
        if (!launchUrl && getParam(s.decoded, 'iss')) launchUrl = s;
        if (!ehrStart && s.kind === 'ehr-launch' && /\/apps\//.test(s.decoded?.path ?? '')) ehrStart = s;
        break;
      default:
        break;
    }
  }
  const smartConfig = discovery ? smartConfigOf(discovery.exchange.body) : undefined;
  // Most launches have one token step or none: no map of their own for those without a body.
  let tokenBodies = EMPTY_BODIES;
  for (const t of tokens) {
    if (!t.exchange.body) continue;
    if (tokenBodies === EMPTY_BODIES) tokenBodies = new Map();
    tokenBodies.set(t.exchange.id, tokenBody(t.exchange));
  }
  const okToken = tokens.find((t) => !t.failed && t.exchange.status !== undefined && t.exchange.status < 300);
  // The token request exchanged the code of the last authorization before it, not of the first: an app
  // that authorized again after an error (or a sign-in it abandoned) did so with new scopes and PKCE.
  // The callback that brought the code, when the fingerprints tell (a code that was not the latest).
  const token = okToken ?? tokens[0];
  const code = token?.exchange.secretFacts?.codeFingerprint;
  const ref = (code && callbacks.find((c) => c.exchange.secretFacts?.codeFingerprint === code)) || token;
  const attempt = ref && authorize ? attemptAuthorize(launch.steps, ref) : undefined;
  if (attempt) {
    authorize = attempt.step;
    authParams = attempt.params;
  }
  const okBody = okToken ? tokenBodies.get(okToken.exchange.id) : undefined;
  const cut = cutOff(launch, opts.recordingEnds);
  const settled = cut !== undefined || isSettled(launch, now);
  const ctx = new LaunchContext(now, settled, opts.watchedOrigins, onNowRead, smartConfig);
  if (cut !== undefined) ctx.cutAt = cut;
  ctx.callbacks = callbacks;
  ctx.tokens = tokens;
  ctx.tokenBodies = tokenBodies;
  ctx.fhir = fhir;
  ctx.requested = parseScopes(getParam(authParams, 'scope'));
  if (launchUrl) ctx.launchUrl = launchUrl;
  if (ehrStart) ctx.ehrStart = ehrStart;
  if (authorize) ctx.authorize = authorize;
  if (authParams) ctx.authParams = authParams;
  if (discovery) ctx.discovery = discovery;
  if (smartConfig) ctx.smartConfig = smartConfig;
  if (okToken) ctx.tokenSuccess = okBody ? { step: okToken, body: okBody } : { step: okToken };
  if (okBody?.kind === 'token' && okBody.value.scope !== undefined)
    ctx.granted = parseScopes(okBody.value.scope);
  // RFC 6749 §5.1: a token response without scope granted the scope requested.
  else if (okBody?.kind === 'token') ctx.granted = ctx.requested;
  else if (!okBody) {
    // No token response body (a HAR saved without bodies): the scopes of the JWT the app sent as its
    // bearer token, the launch's own when the fingerprints tell.
    const issued = okToken?.exchange.secretFacts?.tokenFingerprint;
    const sent = fhir.find((f) => {
      const facts = f.exchange.secretFacts;
      return facts?.bearerScope !== undefined && (!issued || facts.tokenFingerprint === issued);
    });
    if (sent) {
      ctx.granted = parseScopes(sent.exchange.secretFacts!.bearerScope);
      ctx.grantedBy = sent;
    }
  }
  return ctx;
}

/**
 * The authorization request of the attempt that led to `ref` (a token request): the first authorize
 * step with a client_id after the last callback before `ref`. A launch authorizes once per attempt
 * (authorize, Loading page, session-api…); a callback ends the attempt, and an app that authorizes
 * after it (a retry after an error) starts another.
 */
export function attemptAuthorize(
  steps: readonly Step[],
  ref: Step,
): { step: Step; params: DecodedUrl } | undefined {
  let found: { step: Step; params: DecodedUrl } | undefined;
  let open = true;
  for (const s of steps) {
    if (s === ref) break;
    if (s.kind === 'callback') open = true;
    else if (open && (s.kind === 'authorize' || s.kind === 'loading-page' || s.kind === 'session-api')) {
      const params = authorizeParams(s);
      if (params && hasParam(params, 'client_id')) {
        found = { step: s, params };
        open = false;
      }
    }
  }
  return found;
}

/** The RuleContext of buildContext(): its methods and `now` live on the prototype, not on every launch. */
class LaunchContext implements RuleContext {
  callbacks: Step[] = [];
  tokens: Step[] = [];
  tokenBodies: Map<string, ParsedTokenBody> = EMPTY_BODIES;
  fhir: Step[] = [];
  requested: Scope[] = [];
  findings: Finding[] = [];
  launchUrl?: Step;
  ehrStart?: Step;
  authorize?: Step;
  authParams?: DecodedUrl;
  discovery?: Step;
  smartConfig?: SmartConfig;
  tokenSuccess?: { step: Step; body?: ParsedTokenBody };
  granted?: Scope[];
  grantedBy?: Step;
  cutAt?: number;

  constructor(
    private readonly time: number,
    readonly settled: boolean,
    private readonly watched: readonly string[] | undefined,
    private readonly onNowRead: (() => void) | undefined,
    private readonly config: SmartConfig | undefined,
  ) {}

  get now(): number {
    this.onNowRead?.();
    return this.time;
  }

  hasHostPermission(origin: string): boolean | undefined {
    return this.watched ? permitted(this.watched, origin) : undefined;
  }

  supported(): Scope[] | undefined {
    return this.config ? supportedScopes(this.config) : undefined;
  }
}

/**
 * Kept for the module's lifetime. A hidden class lives only while some object has it; when every
 * instance of one analysis is garbage it goes, and V8 throws away the optimized code that assumed it
 * (a "weak objects" deopt), so the next analysis would run unoptimized code and optimize again.
 */
export const pinnedContext = new LaunchContext(0, false, undefined, undefined, undefined);

/**
 * Parsed token responses, per exchange object and revision: a launch list re-analyzes the same
 * exchanges on every request. The parsed value is shared and read-only.
 */
const parsedBodies = new WeakMap<Exchange, { revision: number; parsed: ParsedTokenBody }>();

export function tokenBody(ex: Exchange): ParsedTokenBody {
  const revision = ex.revision ?? 0;
  const memo = parsedBodies.get(ex);
  if (memo && memo.revision === revision) return memo.parsed;
  const parsed = parseTokenBody(ex.body?.text);
  parsedBodies.set(ex, { revision, parsed });
  return parsed;
}

/** A server's scopes_supported, parsed once per (cached, read-only) discovery document. */
const supportedMemo = new WeakMap<SmartConfig, Scope[] | undefined>();

function supportedScopes(config: SmartConfig): Scope[] | undefined {
  if (supportedMemo.has(config)) return supportedMemo.get(config);
  const scopes = config.scopes_supported ? parseScopes(config.scopes_supported.join(' ')) : undefined;
  supportedMemo.set(config, scopes);
  return scopes;
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

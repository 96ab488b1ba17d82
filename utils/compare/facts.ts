import { buildContext } from '../diagnose/context';
import { personaOf } from '../launch/classify';
import type { Launch, Step } from '../model';
import { valueLength } from '../smart/pkce';
import type { Scope } from '../smart/scopes';
import type { ParsedTokenBody } from '../smart/token-response';
import { getParam } from '../url';
import { splitUrl } from '../url/split';
import { type SessionHopFacts, sessionHop } from './session-hop';
import { statusOf } from './steps';

/** What a launch's authorize request asked for; never the state or challenge values themselves. */
export interface AuthorizeFacts {
  /** The step that carried the parameters. */
  exchangeId: string;
  clientId?: string;
  redirectUri?: string;
  responseType?: string;
  aud?: string;
  /** The `iss` the app was launched with (launch URL), else the discovery document's base. */
  iss?: string;
  launchPresent: boolean;
  stateLength?: number;
  /** `code_challenge_method`, `(none)` when no challenge was sent. */
  pkceMethod: string;
  persona?: string;
  requested: Scope[];
}

export interface DiscoveryFacts {
  exchangeId: string;
  /** False when the document's body was not captured (no DevTools, or not JSON): its contents are unknown. */
  captured: boolean;
  status?: string;
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  capabilities: string[];
  codeChallengeMethods: string[];
  scopesSupported?: number;
}

export interface TokenFacts {
  status?: string;
  /** Undefined when the token response body was not captured. */
  granted?: Scope[];
  patient?: boolean;
  encounter?: boolean;
  needPatientBanner?: boolean;
  expiresIn?: number;
  refreshToken?: boolean;
  tokenType?: string;
  error?: string;
}

export interface FhirCallFacts {
  exchangeId: string;
  method: string;
  /** Path below the FHIR base, without the query (search values can carry identifiers). */
  path: string;
  status: string;
}

export interface LaunchFacts {
  launch: Launch;
  authorize?: AuthorizeFacts;
  sessionHop?: SessionHopFacts;
  discovery?: DiscoveryFacts;
  token?: TokenFacts;
  fhir: FhirCallFacts[];
}

/** How many FHIR calls from the start of a launch are compared. */
export const FIRST_FHIR_CALLS = 5;

export type { SessionHopFacts } from './session-hop';

/** The comparable facts of one launch, read from the shared analysis context (utils/diagnose/context). */
export function launchFacts(launch: Launch): LaunchFacts {
  const ctx = buildContext(launch, {});
  const facts: LaunchFacts = { launch, fhir: [] };
  if (ctx.authParams && ctx.authorize) {
    const p = ctx.authParams;
    const state = getParam(p, 'state');
    const method = getParam(p, 'code_challenge_method');
    const a: AuthorizeFacts = {
      exchangeId: ctx.authorize.exchange.id,
      launchPresent: getParam(p, 'launch') !== undefined,
      pkceMethod: getParam(p, 'code_challenge') ? (method ?? 'plain (implied)') : '(none)',
      requested: ctx.requested,
    };
    assign(a, 'clientId', getParam(p, 'client_id'));
    assign(a, 'redirectUri', getParam(p, 'redirect_uri'));
    assign(a, 'responseType', getParam(p, 'response_type'));
    assign(a, 'aud', getParam(p, 'aud'));
    assign(a, 'iss', getParam(ctx.launchUrl?.decoded, 'iss') ?? launch.iss);
    assign(a, 'stateLength', state === undefined ? undefined : valueLength(state));
    assign(a, 'persona', personaOf(p.path) ?? launch.persona);
    facts.authorize = a;
  }
  const hop = sessionHop(launch);
  if (hop) facts.sessionHop = hop;
  if (ctx.discovery) {
    const c = ctx.smartConfig;
    const d: DiscoveryFacts = {
      exchangeId: ctx.discovery.exchange.id,
      status: statusOf(ctx.discovery),
      captured: c !== undefined,
      capabilities: [...(c?.capabilities ?? [])].sort(),
      codeChallengeMethods: [...(c?.code_challenge_methods_supported ?? [])].sort(),
    };
    assign(d, 'authorizationEndpoint', c?.authorization_endpoint);
    assign(d, 'tokenEndpoint', c?.token_endpoint);
    assign(d, 'scopesSupported', c?.scopes_supported?.length);
    facts.discovery = d;
  }
  const tokenStep = ctx.tokenSuccess?.step ?? ctx.tokens[0];
  if (tokenStep) facts.token = tokenFacts(tokenStep, ctx.tokenBodies.get(tokenStep.exchange.id), ctx.granted);
  facts.fhir = ctx.fhir.slice(0, FIRST_FHIR_CALLS).map((s) => ({
    exchangeId: s.exchange.id,
    method: s.exchange.method,
    path: fhirPath(s, launch.iss),
    status: statusOf(s),
  }));
  return facts;
}

function tokenFacts(step: Step, body: ParsedTokenBody | undefined, granted: Scope[] | undefined): TokenFacts {
  const t: TokenFacts = { status: statusOf(step) };
  if (body?.kind === 'error') t.error = body.value.error;
  if (body?.kind !== 'token') return t;
  const v = body.value;
  if (granted) t.granted = granted;
  t.patient = v.patient !== undefined;
  t.encounter = v.encounter !== undefined;
  t.refreshToken = v.refresh_token !== undefined;
  t.tokenType = v.token_type;
  assign(t, 'needPatientBanner', v.need_patient_banner);
  assign(t, 'expiresIn', v.expires_in);
  return t;
}

function fhirPath(step: Step, iss: string | undefined): string {
  const { path } = splitUrl(step.exchange.url);
  // Drop the FHIR base (`/r4/<tenant>`): it says where, not what, and differs between servers.
  const base = iss ? splitUrl(iss).path.replace(/\/$/, '') : '';
  return base && path.startsWith(`${base}/`) ? path.slice(base.length) : path;
}

function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined) {
  if (value !== undefined) target[key] = value;
}

import { STATE_MIN_CHARS } from '../diagnose/rules/state-entropy';
import type { AuthorizeFacts, LaunchFacts } from './facts';
import { diffScopeSets, isEmptyScopeDiff, type ScopeSetDiff, scopeVersion, v1ReadScopes } from './scopes';
import { cap, code, plural, possessive } from './text';
import type { RawDifference, SideLabels } from './types';

type Detect = (a: AuthorizeFacts, b: AuthorizeFacts, l: SideLabels, ctx: AuthorizeContext) => RawDifference[];

export interface AuthorizeContext {
  /** One side is a companion launch: different client ids and redirect URIs are expected. */
  differentApps: boolean;
  /** The SMART version each side is registered for, when known. */
  registration: { a?: 'v1' | 'v2'; b?: 'v1' | 'v2' };
  scopes: ScopeSetDiff;
  ids: { a?: string; b?: string };
}

const simple = (
  kind: RawDifference['kind'],
  base: number,
  ruleIds: string[],
  text: string,
  ids: AuthorizeContext['ids'],
  expected = false,
): RawDifference => ({ kind, base, ruleIds, text, exchangeIds: ids, ...(expected ? { expected } : {}) });

const clientId: Detect = (a, b, l, c) =>
  a.clientId === b.clientId
    ? []
    : [
        simple(
          'client-id',
          c.differentApps ? 2 : 50,
          ['authorization-error-page'],
          `Different client ids: ${possessive(l.a)} is ${code(a.clientId ?? '(none)')}, ${possessive(l.b)} is ${code(b.clientId ?? '(none)')}.`,
          c.ids,
          c.differentApps,
        ),
      ];

const redirectUri: Detect = (a, b, l, c) =>
  a.redirectUri === b.redirectUri
    ? []
    : [
        simple(
          'redirect-uri',
          c.differentApps ? 3 : 50,
          ['redirect-uri-mismatch', 'authorization-error-page', 'state-lost'],
          `${cap(possessive(l.a))} redirect_uri is ${code(a.redirectUri ?? '(none)')}; ${possessive(l.b)} is ${code(b.redirectUri ?? '(none)')}.`,
          c.ids,
          c.differentApps,
        ),
      ];

const responseType: Detect = (a, b, l, c) =>
  a.responseType === b.responseType
    ? []
    : [
        simple(
          'response-type',
          60,
          ['authorization-error-page'],
          `${cap(l.a)} asks for response_type ${code(a.responseType ?? '(none)')}; ${l.b} for ${code(b.responseType ?? '(none)')}.`,
          c.ids,
        ),
      ];

/** The scope sets, v1 `.read` and v2 `.rs` taken as the same scope. */
const scopes: Detect = (a, b, l, c) => {
  const d = c.scopes;
  if (isEmptyScopeDiff(d)) return [];
  const parts: string[] = [];
  const totals = `${a.requested.length} vs ${b.requested.length} in all`;
  if (d.onlyA.length) {
    let part = `${l.a} requests ${plural(d.onlyA.length, 'scope')} ${l.b} does not (${totals})`;
    const v1 = v1ReadScopes(d.onlyA).length;
    if (v1 && c.registration.a === 'v2')
      part += `; ${v1} of them are ${code('.read')} scopes on a v2 registration`;
    else if (v1 && scopeVersion(b.requested) === 'v2')
      part += `; ${v1} of them use the v1 ${code('.read')} spelling where ${l.b} asks in v2 (${code('.rs')})`;
    parts.push(part);
  }
  if (d.onlyB.length)
    parts.push(
      `${l.b} requests ${plural(d.onlyB.length, 'scope')} ${l.a} does not${d.onlyA.length ? '' : ` (${totals})`}`,
    );
  if (d.respelt.length) {
    const e = d.respelt[0]!;
    parts.push(
      `${l.a} spells ${plural(d.respelt.length, 'scope')} differently from ${l.b}, with the same meaning (${code(e.a.raw)} ≈ ${code(e.b.raw)})`,
    );
  }
  return [
    simple(
      'scopes',
      60,
      ['scope-rejected', 'scopes-trimmed', 'request-too-large', 'missing-patient-context'],
      `${cap(parts.join('; '))}.`,
      c.ids,
    ),
  ];
};

const sameAddress = (x?: string, y?: string) =>
  x !== undefined && y !== undefined && x.replace(/\/+$/, '') === y.replace(/\/+$/, '');

const aud: Detect = (a, b, l, c) => {
  const describe = (f: AuthorizeFacts, label: string) =>
    f.aud === undefined
      ? `${label} sends no aud`
      : f.iss === undefined
        ? `${possessive(label)} aud is ${code(f.aud)}`
        : sameAddress(f.aud, f.iss)
          ? `${possessive(label)} aud matches its iss`
          : `${possessive(label)} aud ${code(f.aud)} is not the iss it was launched with (${code(f.iss)})`;
  const okA = a.aud !== undefined && (a.iss === undefined || sameAddress(a.aud, a.iss));
  const okB = b.aud !== undefined && (b.iss === undefined || sameAddress(b.aud, b.iss));
  if (okA === okB) return [];
  return [simple('aud', 70, ['aud-mismatch'], `${cap(describe(a, l.a))}; ${describe(b, l.b)}.`, c.ids)];
};

const launchParam: Detect = (a, b, l, c) => {
  if (a.launchPresent === b.launchPresent) return [];
  const [has, lacks] = a.launchPresent ? [l.a, l.b] : [l.b, l.a];
  return [
    simple(
      'launch',
      60,
      ['launch-invalid', 'launch-not-echoed', 'missing-patient-context'],
      `${cap(has)} sends a ${code('launch')} parameter; ${lacks} does not.`,
      c.ids,
    ),
  ];
};

const state: Detect = (a, b, l, c) => {
  const weak = (n?: number) => n === undefined || n < STATE_MIN_CHARS;
  if (weak(a.stateLength) === weak(b.stateLength)) return [];
  const say = (n: number | undefined, label: string) =>
    n === undefined ? `${label} sends no state` : `${possessive(label)} state is ${plural(n, 'character')}`;
  return [
    simple(
      'state',
      20,
      ['state-entropy', 'state-lost'],
      `${cap(say(a.stateLength, l.a))}; ${say(b.stateLength, l.b)} (at least ${STATE_MIN_CHARS} expected).`,
      c.ids,
    ),
  ];
};

const pkce: Detect = (a, b, l, c) =>
  a.pkceMethod === b.pkceMethod
    ? []
    : [
        simple(
          'pkce',
          50,
          ['pkce'],
          `${cap(l.a)} uses PKCE method ${code(a.pkceMethod)}; ${l.b} uses ${code(b.pkceMethod)}.`,
          c.ids,
        ),
      ];

const persona: Detect = (a, b, l, c) =>
  a.persona === b.persona
    ? []
    : [
        simple(
          'persona',
          55,
          ['persona-mismatch'],
          `${cap(l.a)} authorizes on the ${code(a.persona ?? '(none)')} persona path; ${l.b} on ${code(b.persona ?? '(none)')}.`,
          c.ids,
        ),
      ];

const DETECTORS: readonly Detect[] = [
  clientId,
  redirectUri,
  responseType,
  scopes,
  aud,
  launchParam,
  state,
  pkce,
  persona,
];

/** Differences between the two authorize requests; none when either launch never sent one. */
export function authorizeDifferences(
  fa: LaunchFacts,
  fb: LaunchFacts,
  labels: SideLabels,
  ctx: Omit<AuthorizeContext, 'scopes' | 'ids'>,
): RawDifference[] {
  if (!fa.authorize || !fb.authorize) return [];
  const scopes = diffScopeSets(fa.authorize.requested, fb.authorize.requested);
  const ids = { a: fa.authorize.exchangeId, b: fb.authorize.exchangeId };
  const full = { ...ctx, scopes, ids };
  return DETECTORS.flatMap((d) => d(fa.authorize!, fb.authorize!, labels, full));
}

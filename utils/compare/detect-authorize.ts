import { STATE_MIN_CHARS } from '../diagnose/rules/state-entropy';
import { detectScopes } from './detect-scopes';
import { type AuthorizeContext, type Detect, simple } from './detect-shared';
import type { AuthorizeFacts, LaunchFacts } from './facts';
import { cap, code, plural, possessive } from './text';
import type { RawDifference, SideLabels } from './types';

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
          ['authorization-error-page', 'oauth-request-shape'],
          `${cap(l.a)} asks for response_type ${code(a.responseType ?? '(none)')}; ${l.b} for ${code(b.responseType ?? '(none)')}.`,
          c.ids,
        ),
      ];

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
  detectScopes,
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
  ctx: Omit<AuthorizeContext, 'ids'>,
): RawDifference[] {
  if (!fa.authorize || !fb.authorize) return [];
  const full = { ...ctx, ids: { a: fa.authorize.exchangeId, b: fb.authorize.exchangeId } };
  return DETECTORS.flatMap((d) => d(fa.authorize!, fb.authorize!, labels, full));
}

import { cachedScopeDiff } from '../diagnose/scope-diff';
import type { DiscoveryFacts, FhirCallFacts, LaunchFacts, TokenFacts } from './facts';
import { cap, code, orDash, possessive, yesNo } from './text';
import type { RawDifference, SideLabels } from './types';

const list = (xs: readonly string[]) => (xs.length ? xs.join(', ') : '(none)');

function setDiff(a: readonly string[], b: readonly string[]) {
  return { onlyA: a.filter((x) => !b.includes(x)), onlyB: b.filter((x) => !a.includes(x)) };
}

function documentParts(a: DiscoveryFacts, b: DiscoveryFacts, l: SideLabels): string[] {
  const parts: string[] = [];
  if (a.authorizationEndpoint !== b.authorizationEndpoint)
    parts.push(
      `authorization_endpoint ${code(orDash(a.authorizationEndpoint))} vs ${code(orDash(b.authorizationEndpoint))}`,
    );
  if (a.tokenEndpoint !== b.tokenEndpoint)
    parts.push(`token_endpoint ${code(orDash(a.tokenEndpoint))} vs ${code(orDash(b.tokenEndpoint))}`);
  const caps = setDiff(a.capabilities, b.capabilities);
  if (caps.onlyA.length)
    parts.push(`capabilities only ${possessive(l.a)} server lists: ${caps.onlyA.join(', ')}`);
  if (caps.onlyB.length)
    parts.push(`capabilities only ${possessive(l.b)} server lists: ${caps.onlyB.join(', ')}`);
  if (list(a.codeChallengeMethods) !== list(b.codeChallengeMethods))
    parts.push(
      `code_challenge_methods_supported ${list(a.codeChallengeMethods)} vs ${list(b.codeChallengeMethods)}`,
    );
  return parts;
}

/** The two servers' discovery documents: endpoints, capabilities and PKCE methods. */
export function discoveryDifference(
  a: DiscoveryFacts | undefined,
  b: DiscoveryFacts | undefined,
  l: SideLabels,
): RawDifference[] {
  if (!a || !b) return [];
  const parts: string[] = [];
  if (a.status !== b.status) parts.push(`status ${a.status} vs ${b.status}`);
  // What a document says can only be compared when both bodies were captured.
  if (a.captured && b.captured) parts.push(...documentParts(a, b, l));
  if (!parts.length) return [];
  return [
    {
      kind: 'discovery',
      base: 30,
      ruleIds: ['discovery-failure', 'pkce'],
      text: `The discovery documents differ (${l.a} vs ${l.b}): ${parts.join('; ')}.`,
      exchangeIds: { a: a.exchangeId, b: b.exchangeId },
    },
  ];
}

function dropped(f: LaunchFacts): number | undefined {
  const granted = f.token?.granted;
  return granted && f.authorize ? cachedScopeDiff(f.authorize.requested, granted).missing.length : undefined;
}

/** Requested scopes the token did not grant, on one side and not the other. */
export function grantedDifference(fa: LaunchFacts, fb: LaunchFacts, l: SideLabels): RawDifference[] {
  const da = dropped(fa);
  const db = dropped(fb);
  if (da === undefined || db === undefined || (da === 0) === (db === 0)) return [];
  const say = (f: LaunchFacts, d: number, label: string) =>
    d
      ? `${label} was granted ${f.token!.granted!.length} scopes for ${f.authorize!.requested.length} requested (${d} dropped)`
      : `${label} got every scope it requested`;
  return [
    {
      kind: 'granted-scopes',
      base: 65,
      ruleIds: ['scopes-trimmed'],
      text: `${cap(say(fa, da, l.a))}; ${say(fb, db, l.b)}.`,
    },
  ];
}

const TOKEN_FIELDS: { label: string; read: (t: TokenFacts) => string }[] = [
  { label: 'patient in context', read: (t) => yesNo(t.patient) },
  { label: 'encounter in context', read: (t) => yesNo(t.encounter) },
  { label: 'need_patient_banner', read: (t) => yesNo(t.needPatientBanner) },
  { label: 'expires_in', read: (t) => orDash(t.expiresIn) },
  { label: 'refresh token', read: (t) => yesNo(t.refreshToken) },
  { label: 'token_type', read: (t) => orDash(t.tokenType) },
];

/** Token responses that both succeeded but carry different context. */
export function tokenDifference(
  a: TokenFacts | undefined,
  b: TokenFacts | undefined,
  l: SideLabels,
): RawDifference[] {
  if (!a?.tokenType || !b?.tokenType) return [];
  const parts = TOKEN_FIELDS.filter((f) => f.read(a) !== f.read(b)).map(
    (f) => `${f.label} ${f.read(a)} vs ${f.read(b)}`,
  );
  if (!parts.length) return [];
  return [
    {
      kind: 'token',
      base: 35,
      ruleIds: ['missing-patient-context', 'token-response-shape', 'need-patient-banner', 'token-expired'],
      text: `The token responses differ (${l.a} vs ${l.b}): ${parts.join('; ')}.`,
    },
  ];
}

const ok = (c: FhirCallFacts) => /^2\d\d$/.test(c.status);

/** The first FHIR call whose outcome (2xx or not) differs between the launches. */
export function fhirDifference(a: FhirCallFacts[], b: FhirCallFacts[], l: SideLabels): RawDifference[] {
  if (!a.length || !b.length) return [];
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a[i]!;
    const cb = b[i]!;
    if (ok(ca) === ok(cb)) continue;
    const nth = i === 0 ? 'first FHIR call' : `FHIR call #${i + 1}`;
    return [
      {
        kind: 'fhir',
        base: 55,
        ruleIds: ['scopes-trimmed', 'token-expired', 'fhir-refused', 'cors-failure'],
        text: `${cap(possessive(l.a))} ${nth} ${code(`${ca.method} ${ca.path}`)} got ${ca.status}; ${possessive(l.b)} ${code(`${cb.method} ${cb.path}`)} got ${cb.status}.`,
        exchangeIds: { a: ca.exchangeId, b: cb.exchangeId },
      },
    ];
  }
  return [];
}

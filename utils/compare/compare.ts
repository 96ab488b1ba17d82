import type { Launch } from '../model';
import { companionRegistration, isCompanionLaunch } from './companion';
import { authorizeDifferences } from './detect-authorize';
import { requestSizeDifference, sessionHopDifference, stepsDifference } from './detect-flow';
import { discoveryDifference, fhirDifference, grantedDifference, tokenDifference } from './detect-response';
import { type LaunchFacts, launchFacts } from './facts';
import { rankDifferences } from './rank';
import { factSections } from './rows';
import { diffScopeSets, scopeVersion } from './scopes';
import { alignSteps } from './steps';
import { cap, launchOf, STATUS_WORD } from './text';
import type { Comparison, RawDifference, SideLabels } from './types';

export interface CompareOptions {
  /** Client ids to treat as the companion beyond the shipped registrations. */
  companionIds?: readonly string[];
  labels?: SideLabels;
}

/** "your app" / "the companion" when exactly one side is the companion, else "launch A" / "launch B". */
export function sideLabels(a: Launch, b: Launch, companionIds: readonly string[] = []): SideLabels {
  const ca = isCompanionLaunch(a, companionIds);
  const cb = isCompanionLaunch(b, companionIds);
  if (cb && !ca) return { a: 'your app', b: 'the companion' };
  if (ca && !cb) return { a: 'the companion', b: 'your app' };
  return { a: 'launch A', b: 'launch B' };
}

/** A side's registration version: the companion's is known; otherwise read from what the token granted. */
function registrationVersion(f: LaunchFacts): 'v1' | 'v2' | undefined {
  const known = companionRegistration(f.launch.clientId);
  if (known) return known.smartVersion;
  const v = f.token?.granted ? scopeVersion(f.token.granted) : undefined;
  return v === 'mixed' ? undefined : v;
}

function headline(f: LaunchFacts, label: string, first: boolean): string {
  const l = f.launch;
  const at = l.steps.find((s) => s.exchange.id === l.failedAt);
  const where = at && (l.status === 'failed' || l.status === 'cancelled') ? ` at ${at.kind}` : '';
  const http = where && at?.exchange.status !== undefined ? ` (HTTP ${at.exchange.status})` : '';
  return `${first ? cap(launchOf(label)) : launchOf(label)} ${STATUS_WORD[l.status]}${where}${http}`;
}

/**
 * Two launches side by side: steps aligned by kind, the facts analysis read from each, and the
 * differences between them ranked so that those explaining a failure come first, each with the fixes
 * of the finding behind it. Works on launches as analyze() returns them; pure.
 */
export function compareLaunches(a: Launch, b: Launch, opts: CompareOptions = {}): Comparison {
  const ids = opts.companionIds ?? [];
  const labels = opts.labels ?? sideLabels(a, b, ids);
  const fa = launchFacts(a);
  const fb = launchFacts(b);
  const steps = alignSteps(a, b);
  const differentApps = isCompanionLaunch(a, ids) !== isCompanionLaunch(b, ids);
  const registration: { a?: 'v1' | 'v2'; b?: 'v1' | 'v2' } = {};
  const ra = registrationVersion(fa);
  const rb = registrationVersion(fb);
  if (ra) registration.a = ra;
  if (rb) registration.b = rb;
  const scopes = diffScopeSets(fa.authorize?.requested ?? [], fb.authorize?.requested ?? []);
  const raw = [
    ...stepsDifference(steps, labels),
    ...sessionHopDifference(fa.sessionHop, fb.sessionHop, labels),
    ...requestSizeDifference(fa.sessionHop, fb.sessionHop, labels),
    // Narrow detectors before broad ones: a finding goes to the first difference it explains.
    ...grantedDifference(fa, fb, labels),
    ...fhirDifference(fa.fhir, fb.fhir, labels),
    ...tokenDifference(fa.token, fb.token, labels),
    ...discoveryDifference(fa.discovery, fb.discovery, labels),
    ...authorizeDifferences(fa, fb, labels, { differentApps, registration, scopes }),
  ];
  return {
    labels,
    a: fa,
    b: fb,
    headline: `${headline(fa, labels.a, true)}; ${headline(fb, labels.b, false)}.`,
    steps,
    scopes,
    sections: factSections(fa, fb),
    differences: rankDifferences(withoutRepeats(raw), a, b, labels),
  };
}

/** The step divergence is not named again when another difference already points at the same steps. */
function withoutRepeats(raw: RawDifference[]): RawDifference[] {
  const cited = new Set<string>();
  for (const d of raw) {
    if (d.kind === 'steps') continue;
    if (d.exchangeIds?.a) cited.add(d.exchangeIds.a);
    if (d.exchangeIds?.b) cited.add(d.exchangeIds.b);
  }
  return raw.filter(
    (d) => d.kind !== 'steps' || !Object.values(d.exchangeIds ?? {}).some((id) => cited.has(id)),
  );
}

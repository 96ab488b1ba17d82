import type { Fix, Severity } from '../model';
import type { LaunchFacts } from './facts';
import type { ScopeSetDiff } from './scopes';
import type { StepRow } from './steps';

/** What a difference is about; each kind is named at most once per comparison. */
export type DifferenceKind =
  | 'steps'
  | 'session-hop'
  | 'request-size'
  | 'scopes'
  | 'granted-scopes'
  | 'client-id'
  | 'redirect-uri'
  | 'response-type'
  | 'aud'
  | 'launch'
  | 'state'
  | 'pkce'
  | 'persona'
  | 'discovery'
  | 'token'
  | 'fhir'
  | 'finding';

/** How the two sides are called in sentences: "your app" / "the companion", or "launch A" / "launch B". */
export interface SideLabels {
  a: string;
  b: string;
}

/** A finding of one side that the other side does not have, behind a difference. */
export interface LinkedFinding {
  side: 'a' | 'b';
  ruleId: string;
  title: string;
  severity: Severity;
}

export interface Difference {
  kind: DifferenceKind;
  /** One plain sentence, already naming the sides. */
  text: string;
  /** Higher first; differences behind an error of the failing launch lead. */
  weight: number;
  /** Expected between two different apps (client id, redirect URI): listed, not a cause. */
  expected?: boolean;
  finding?: LinkedFinding;
  /** The linked finding's fixes, as the finding offers them. */
  fixes: Fix[];
  /** Steps to show, per side. */
  exchangeIds?: { a?: string; b?: string };
}

/** A difference before ranking: which diagnosis rules would explain it. */
export interface RawDifference extends Omit<Difference, 'weight' | 'fixes' | 'finding'> {
  base: number;
  ruleIds: readonly string[];
}

/** One line of the side-by-side facts table. */
export interface FactRow {
  label: string;
  a: string;
  b: string;
  differs: boolean;
}

export interface FactSection {
  title: string;
  rows: FactRow[];
}

export interface Comparison {
  labels: SideLabels;
  a: LaunchFacts;
  b: LaunchFacts;
  /** One line: how each launch ended. */
  headline: string;
  steps: StepRow[];
  scopes: ScopeSetDiff;
  sections: FactSection[];
  /** Ranked, most explanatory first; empty when the launches do not differ. */
  differences: Difference[];
}

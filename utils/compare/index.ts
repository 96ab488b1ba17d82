/** Two launches side by side: "the companion works, mine fails — what is different?" Pure. */
export {
  COMPANION_CLIENT_IDS,
  COMPANION_REGISTRATIONS,
  isCompanionLaunch,
  isTroubledLaunch,
  lastCompanionLaunch,
} from './companion';
export { type CompareOptions, compareLaunches, sideLabels } from './compare';
export { comparisonMarkdown } from './markdown';
export { type ScopeSetDiff, withEquivalent } from './scopes';
export { rowDiverges, STEP_ORDER, type StepCell, type StepRow } from './steps';
export type * from './types';

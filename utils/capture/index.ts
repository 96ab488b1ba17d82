export {
  abandonAfterMs,
  boundEvent,
  boundForm,
  boundUrl,
  DEFAULT_ABANDON_MINUTES,
  DEFAULT_SETTINGS,
  MAX_FORM_CHARS,
  MAX_FORM_FIELDS,
  MAX_URL_CHARS,
  pruneState,
  type RecorderSettings,
  retainedIds,
  SETTINGS_LIMITS,
} from './bounds';
export {
  bodyWanted,
  type ContentSource,
  decodeDevtoolsBody,
  devtoolsPayload,
  type FinishedRequest,
  readContent,
} from './devtools';
export type {
  BodyEvent,
  CaptureEvent,
  HeaderLine,
  NavigationEvent,
  RequestEvent,
  TabOpenedEvent,
} from './events';
export { authScheme, isReadHeader } from './headers';
export { redactEvent } from './redact-event';
export { applyEvent, type ReduceContext } from './reducer';
export { isOracleHost, isRelevant } from './relevance';
export { isStripRewrite } from './rewrite';
export {
  codeFingerprint,
  formSecretFacts,
  newSecretKey,
  SECRET_KEY_STORAGE,
  secretKeyBytes,
  urlSecretFacts,
  verifierChallenge,
  withSecretFacts,
} from './secret-facts';
export { type CaptureState, type Change, emptyState, isEmptyChange, mergeChange, newChange } from './state';
export { watchPatternFor } from './watch';

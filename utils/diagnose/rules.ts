import { audMismatch } from './rules/aud-mismatch';
import { authorizationErrorPage } from './rules/authorization-error-page';
import { codeReuse } from './rules/code-reuse';
import { corsFailure } from './rules/cors-failure';
import { discoveryFailure } from './rules/discovery-failure';
import { eventsLost } from './rules/events-lost';
import { fhirRefused } from './rules/fhir-refused';
import { forceAuthnSession } from './rules/force-authn-session';
import { launchInvalid } from './rules/launch-invalid';
import { launchNotEchoed } from './rules/launch-not-echoed';
import { missingPatientContext } from './rules/missing-patient-context';
import { needPatientBanner } from './rules/need-patient-banner';
import { oauthRequestShape } from './rules/oauth-request-shape';
import { personaMismatch } from './rules/persona-mismatch';
import { pkce } from './rules/pkce';
import { redirectLoop } from './rules/redirect-loop';
import { redirectUriMismatch } from './rules/redirect-uri-mismatch';
import { refreshRefused } from './rules/refresh-refused';
import { requestTooLarge } from './rules/request-too-large';
import { scopeRejected } from './rules/scope-rejected';
import { scopesTrimmed } from './rules/scopes-trimmed';
import { stateEntropy } from './rules/state-entropy';
import { stateLost } from './rules/state-lost';
import { tokenCacheControl } from './rules/token-cache-control';
import { tokenExpired } from './rules/token-expired';
import { tokenNotVisible } from './rules/token-not-visible';
import { tokenResponseShape } from './rules/token-response-shape';
import { unexplainedFailure } from './rules/unexplained-failure';
import { userCancelled } from './rules/user-cancelled';
import type { Rule } from './types';

/**
 * Every diagnosis rule, in the order they run: failures first (their findings are read by the lint
 * rules after them), then lint of any launch; `unexplained-failure` last because it only speaks when
 * nothing before it explained the failing step.
 */
export const RULES: readonly Rule[] = [
  forceAuthnSession,
  requestTooLarge,
  redirectLoop,
  authorizationErrorPage,
  discoveryFailure,
  audMismatch,
  launchInvalid,
  personaMismatch,
  missingPatientContext,
  userCancelled,
  scopeRejected,
  scopesTrimmed,
  stateLost,
  tokenNotVisible,
  // A token request blocked by CORS comes before the code reuse of the app's resend: it is the cause.
  corsFailure,
  codeReuse,
  pkce,
  refreshRefused,
  tokenExpired,
  fhirRefused,
  stateEntropy,
  oauthRequestShape,
  launchNotEchoed,
  redirectUriMismatch,
  needPatientBanner,
  tokenCacheControl,
  tokenResponseShape,
  eventsLost,
  unexplainedFailure,
];

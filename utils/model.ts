/**
 * The shared data model: what the recorder captures (exchanges), what analysis derives from them
 * (steps, launches, findings). Capture, analysis, storage, UI, HAR import/export and the web app all
 * speak these types, so a launch recorded live and one imported from a HAR look the same.
 *
 * Every string in these records has already been through redaction (utils/redact) unless the user
 * opted in to keeping secrets for the current browser session.
 */

/** Where an exchange was observed. */
export type ExchangeSource = 'webRequest' | 'webNavigation' | 'devtools' | 'har';

/** Lifecycle of one exchange; events may arrive late, twice or never, so this is explicit. */
export type ExchangePhase = 'pending' | 'complete' | 'failed';

/** Cookies the browser sent with a request: counts and names only, never values. */
export interface CookieSummary {
  count: number;
  /** Size of the Cookie header in bytes. */
  bytes: number;
  names: string[];
}

/** A response body kept for analysis (token responses, FHIR errors, error pages), redacted and size-bounded. */
export interface CapturedBody {
  text: string;
  mimeType?: string;
  /** True when the body was cut to the size bound. */
  truncated: boolean;
}

/**
 * One HTTP request/response pair, or one navigation seen only through webNavigation.
 * A server redirect chain is several exchanges that share `requestId` with increasing `hop`.
 */
export interface Exchange {
  /** Unique and stable: `${source}:${requestId}:${hop}` for webRequest, generated otherwise. */
  id: string;
  source: ExchangeSource;
  requestId?: string;
  hop: number;
  tabId: number;
  /** The tab that opened this one (popup or new-tab launches), from tabs.onCreated / webNavigation. */
  openerTabId?: number;
  frameId?: number;
  parentFrameId?: number;
  /** Chrome resource type: main_frame, sub_frame, xmlhttprequest, fetch, script, other… */
  type: string;
  method: string;
  /** URL actually requested (after a rewrite by our own rule), redacted. */
  url: string;
  /** Set when our declarativeNetRequest rule rewrote this request: the URL before the rewrite, redacted. */
  rewrittenFrom?: string;
  /** Origin of the document that started the request, when the browser reports it. */
  initiator?: string;
  startedAt: number;
  completedAt?: number;
  /**
   * The exchange was answered but its file gave no duration (a HAR entry's `time` of -1 or none, as
   * Playwright's minimal HARs write it): completedAt is then startedAt, and no duration is shown.
   */
  durationUnknown?: boolean;
  phase: ExchangePhase;
  status?: number;
  statusText?: string;
  /** Redirect target for 3xx answers (absolute, redacted). */
  location?: string;
  /** Selected response headers, lower-case names (location, cerner-correlation-id, www-authenticate,
   *  cache-control, content-type, access-control-allow-origin, smart-launch). */
  responseHeaders: Record<string, string>;
  requestCookies?: CookieSummary;
  /**
   * The scheme of the request's Authorization header (`Basic`, `Bearer`…; never its credentials), ''
   * when it had none. Recorded live on authorization servers (whose request headers are read); unset
   * where the request headers were not seen.
   */
  requestAuth?: string;
  /** Names of cookies the response set; never values. */
  setCookieNames?: string[];
  /** Form fields of a urlencoded POST body (token requests, authorize POST, login forms), redacted. */
  form?: Record<string, string[]>;
  /**
   * Set when the POST body was a JSON object (`form` holds its top-level fields;
   * utils/capture/json-form.ts) or, in an imported file, `multipart/form-data`, not a urlencoded form:
   * OAuth's token endpoint takes urlencoded forms only (RFC 6749 §4.1.3).
   */
  formFormat?: 'json' | 'multipart';
  body?: CapturedBody;
  /** Network error such as net::ERR_FAILED (CORS) or net::ERR_CONNECTION_REFUSED. */
  error?: string;
  /** True when the exchange's initiator lacked host permission, so parts of it may be missing. */
  partial?: boolean;
  /** When its tab was closed, on the tab's last exchange (live capture): nothing more came from that tab. */
  tabClosedAt?: number;
  /**
   * True while the hop is known only from the previous hop's redirect (its URL is the Location): the
   * browser's own events for it were not delivered (e.g. the worker was stopped as they were sent).
   */
  inferred?: boolean;
  /** Facts computed from secrets at capture, before redaction; they reveal nothing about the secrets. */
  secretFacts?: SecretFacts;
  /**
   * Bumped by whoever changes the exchange in place (the capture reducer, once per event that touched
   * it); absent means 0 (HAR import, fixtures). Analysis reuses what it derived from an exchange object
   * while its revision is unchanged, so an edit that does not bump it is not seen.
   */
  revision?: number;
}

/**
 * What analysis needs to know about secrets that redaction removes: computed when the event is captured
 * (or a HAR imported), then the secrets themselves are masked.
 */
export interface SecretFacts {
  /** Keyed fingerprint (HMAC-SHA-256 with a per-install random key, base64url) of the full
   *  authorization `code` carried by this URL (callback) or form (token request). */
  codeFingerprint?: string;
  /** BASE64URL(SHA-256(code_verifier)) of a token request's verifier: equals the authorize
   *  `code_challenge` when the pair is right (S256), and reveals nothing about the verifier. */
  verifierChallenge?: string;
  /**
   * The characters of a token request's verifier that RFC 7636 §4.1 does not allow (it allows letters,
   * digits, `-`, `.`, `_`, `~`), each once, in order: `+/=` is standard Base64's. Absent when none.
   */
  verifierBadCharacters?: string;
  /**
   * The verifier's S256 challenge with its spaces read as `+`: a `+` sent unencoded in a form body reads
   * as a space, so the server hashes another verifier. Set only for a verifier with a space.
   */
  verifierPlusChallenge?: string;
  /**
   * BASE64URL(SHA-256(code_challenge)) of an authorize URL whose PKCE method is `plain` (or absent): its
   * challenge is the verifier itself and is masked; a token request's verifierChallenge equals this when
   * the pair is right.
   */
  plainChallenge?: string;
  /** Keyed fingerprint (as codeFingerprint) of an access token: the one a token response issued, or
   *  the one a request sent as `Authorization: Bearer` (a FHIR call). Ties the call to its launch. */
  tokenFingerprint?: string;
  /** Keyed fingerprint (as codeFingerprint) of the id_token a token response issued. */
  idTokenFingerprint?: string;
  /**
   * What a request sent as `Authorization: Bearer` when it was no token at all: `undefined`, `null`,
   * `[object Object]`, or `(empty)`. An app's bug, not a secret.
   */
  bearerOddity?: string;
  /**
   * `iat` and `exp` (seconds) of the JWT a request sent as `Authorization: Bearer`: when it was issued and
   * until when it is valid, which a file without the token response still shows. Times, not secrets.
   */
  bearerIat?: number;
  bearerExp?: number;
  /** The scopes that JWT carries (its `scope` or `scp` claim): what the server granted. Not a secret. */
  bearerScope?: string;
  /** The client a token request's `client_assertion` (a signed JWT) names in its `iss`: its client_id. */
  assertionClient?: string;
  /** That assertion's `exp` (seconds): a token request sent after it is refused (RFC 7523 §3). */
  assertionExp?: number;
}

export type StepKind =
  | 'ehr-launch'
  | 'standalone-launch'
  | 'discovery'
  | 'metadata'
  | 'authorize'
  | 'loading-page'
  | 'session-api'
  | 'idp-login'
  | 'error-page'
  | 'callback'
  | 'token'
  | 'refresh'
  | 'fhir'
  | 'jwks'
  | 'other';

/** A query or form parameter, decoded; URL-valued parameters (`to=`, `redirect_uri`) are expanded. */
export interface DecodedParam {
  name: string;
  /** Decoded value; when the raw value had invalid percent-encoding this is the raw value. */
  value: string;
  /** Problems met while decoding (invalid percent-encoding, depth limit reached…). */
  warnings?: string[];
  /** When the value is itself a URL: its decoded parameters, recursively (depth-bounded). */
  nested?: DecodedUrl;
  /** Sent as the name alone (`flag`), without `=`: no value at all, where `flag=` sends an empty one. */
  bare?: true;
}

export interface DecodedUrl {
  /** The URL without query or fragment. */
  base: string;
  host: string;
  path: string;
  params: DecodedParam[];
  /** Length of the full URL in characters. */
  length: number;
}

/** A classified exchange inside a launch. */
export interface Step {
  exchange: Exchange;
  kind: StepKind;
  /** Short label for the timeline, e.g. "authorize (provider)" or "session-api realm ec24…". */
  label: string;
  decoded?: DecodedUrl;
  /** Milliseconds from the launch start. */
  offsetMs: number;
  durationMs?: number;
  /** The step failed on the wire (status ≥ 400, network error, OAuth error on a callback). */
  failed: boolean;
}

/**
 * Outcome of a launch, the same in the list, the detail, the popup and exports:
 * - failed: a step failed (the flow, the token exchange, or the app's FHIR calls with its token);
 * - succeeded: the app obtained a usable token;
 * - authorized: the code reached the app, but the token exchange was not visible;
 * - cancelled: the user cancelled sign-in or denied access;
 * - abandoned: stopped moving before completing, for longer than the abandon timeout;
 * - in-progress: still moving.
 */
export type LaunchStatus = 'in-progress' | 'authorized' | 'succeeded' | 'cancelled' | 'abandoned' | 'failed';

export type Severity = 'error' | 'warning' | 'info';

/** A piece of evidence behind a finding; `exchangeId` links into the timeline. */
export interface Evidence {
  label: string;
  value: string;
  exchangeId?: string;
}

/** An action the UI can offer next to a finding. */
export type Fix =
  | { kind: 'enable-strip-rule'; label: string }
  | { kind: 'clear-session'; label: string; origin: string }
  | { kind: 'relaunch'; label: string; url: string }
  /**
   * Watch `origin`, and with it every origin in `origins` (`origin` first): a request is visible only
   * when the extension may watch both its own origin and the page that sent it.
   */
  | { kind: 'watch-origin'; label: string; origin: string; origins?: string[] }
  | { kind: 'advice'; label: string };

export interface Finding {
  ruleId: string;
  severity: Severity;
  title: string;
  /** One or two plain-language sentences: what went wrong and why. */
  summary: string;
  evidence: Evidence[];
  fixes: Fix[];
}

export interface Launch {
  /** Stable across re-analysis: derived from the first exchange of the launch. */
  id: string;
  status: LaunchStatus;
  /** Exchange id of the step where the launch failed (or was cancelled). */
  failedAt?: string;
  /** One plain line on why the launch has its status: the cause of a failure, why a token exchange is
   *  not visible (authorized), where it stopped (abandoned). */
  statusReason?: string;
  startedAt: number;
  endedAt?: number;
  /**
   * Live and in progress: when its status may change with time alone (settled SETTLE_MS after its last
   * activity, abandoned after the abandon delay). A page showing it reads again then.
   */
  reviewAt?: number;
  iss?: string;
  clientId?: string;
  persona?: string;
  tenant?: string;
  redirectUri?: string;
  /** The `launch` parameter (EHR launch context id). */
  launchParam?: string;
  state?: string;
  /** Host of the authorization server. */
  authHost?: string;
  steps: Step[];
  findings: Finding[];
  /** Set for launches imported from a HAR file. */
  imported?: { fileName: string; importedAt: number };
}

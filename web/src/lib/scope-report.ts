import { alternateSpelling, diffScopes, parseScopes, type Scope } from '../../../utils/smart/scopes';

export type ScopeStatus = 'granted' | 'trimmed' | 'extra';

export interface ScopeRow {
  scope: string;
  status: ScopeStatus;
  /** Why Oracle (or the server) probably dropped it. */
  reason?: string;
  /** The other SMART version's spelling (`.read` ↔ `.rs`) when one exists. */
  alternate?: string;
}

export interface ScopeReport {
  rows: ScopeRow[];
  trimmed: number;
  /** The token response had no `scope`; OAuth then means "as requested", but it cannot be checked. */
  grantedUnknown: boolean;
  /** One explanation per pattern seen among the trimmed scopes. */
  explanations: string[];
}

export const TRIM_REASONS = {
  wildcard:
    'Oracle never grants wildcard scopes (patient/*.read, user/Observation.*): list each resource type and permission.',
  v1OnV2:
    'The app looks registered as SMART v2: Oracle silently drops v1 scopes (.read/.write) for v2 apps. Request .rs / .cruds instead.',
  v2OnV1:
    'The app looks registered as SMART v1: v2 permission scopes (.rs, .cruds) are not granted. Request .read / .write instead.',
  refresh: 'No refresh token for this registration: offline_access/online_access is not enabled for the app.',
  refreshNotEchoed:
    'A refresh token was issued, but the granted scope does not name this scope: fhirclient refreshes only when it does, so it will not use the refresh token.',
  other:
    "Not granted: the scope is not in the app's registration with the server, the server does not support it, or the user (on a consent screen) or the server's policy left it out (RFC 6749 §3.3 lets a server grant less than asked).",
} as const;

/** The same reasons for a server that is not Oracle's: what Oracle is known to do is not said of it. */
export const OTHER_SERVER_TRIM_REASONS: Record<keyof typeof TRIM_REASONS, string> = {
  ...TRIM_REASONS,
  wildcard:
    'Wildcard scopes (patient/*.read, user/Observation.*) were not granted: list each resource type and permission the app needs.',
  v1OnV2:
    'The server granted v2 scopes (.rs, .cruds) but not these v1 ones (.read, .write): request the version the app is registered for.',
  v2OnV1:
    'The server granted v1 scopes (.read, .write) but not these v2 ones (.rs, .cruds): request the version the app is registered for.',
  refresh:
    'No refresh token: the server did not grant offline_access/online_access to this app (its registration, or its policy).',
};

/**
 * Why a requested scope was not granted. A version mismatch (v1 scopes on a v2 registration, or the
 * other way round) drops every scope of that version; when another scope of the same version was
 * granted (in either spelling), the version is not why this one was left out.
 */
function reasonFor(
  s: Scope,
  granted: Scope[],
  versionGranted: ReadonlySet<string>,
  refreshTokenIssued: boolean,
): keyof typeof TRIM_REASONS {
  if (s.wildcard) return 'wildcard';
  if (s.kind === 'refresh') return refreshTokenIssued ? 'refreshNotEchoed' : 'refresh';
  if (s.kind === 'resource' && s.version && !versionGranted.has(s.version)) {
    const grantedVersions = new Set(granted.filter((g) => g.kind === 'resource').map((g) => g.version));
    if (s.version === 'v1' && !grantedVersions.has('v1')) return 'v1OnV2';
    if (s.version === 'v2' && !grantedVersions.has('v2') && grantedVersions.has('v1')) return 'v2OnV1';
  }
  return 'other';
}

/**
 * `refreshTokenIssued`: the token response carried a refresh token (a left-out offline_access then means
 * another thing). `oracle`: the server is Oracle's, whose known ways of trimming scopes are named.
 */
export function buildScopeReport(
  requested: string,
  granted: string | undefined,
  refreshTokenIssued = false,
  oracle = true,
): ScopeReport {
  const why = oracle ? TRIM_REASONS : OTHER_SERVER_TRIM_REASONS;
  const req = parseScopes(requested);
  if (granted === undefined)
    return {
      rows: req.map((s) => ({ scope: s.raw, status: 'granted' })),
      trimmed: 0,
      grantedUnknown: true,
      explanations: [],
    };
  const got = parseScopes(granted);
  const diff = diffScopes(req, got);
  const missing = new Set(diff.missing.map((s) => s.raw));
  const reasons = new Set<keyof typeof TRIM_REASONS>();
  // The SMART versions of the requested resource scopes the token covers.
  const versionGranted = new Set<string>();
  for (const s of req)
    if (s.kind === 'resource' && s.version && !missing.has(s.raw)) versionGranted.add(s.version);
  const rows: ScopeRow[] = req.map((s) => {
    const alternate = alternateSpelling(s);
    const base = alternate ? { scope: s.raw, alternate } : { scope: s.raw };
    if (!missing.has(s.raw)) return { ...base, status: 'granted' };
    const reason = reasonFor(s, got, versionGranted, refreshTokenIssued);
    reasons.add(reason);
    return { ...base, status: 'trimmed', reason: why[reason] };
  });
  for (const s of diff.extra) rows.push({ scope: s.raw, status: 'extra' });
  return {
    rows,
    trimmed: missing.size,
    grantedUnknown: false,
    explanations: [...reasons].map((r) => why[r]),
  };
}

import { isOperationOutcome, outcomeIssues } from '../../../utils/smart/operation-outcome';
import { explainError, findOracleUrn } from '../../../utils/smart/oracle-errors';
import { explainFhir401, parseBearerChallenge } from './explain-fhir-auth';
import type { SmokeRead } from './smoke-plan';

export type SmokeStatus = 'ok' | 'denied' | 'expected-denial' | 'error' | 'skipped';

export interface SmokeResult {
  status: SmokeStatus;
  httpStatus?: number;
  /** Resources returned: Bundle.total, else the number of entries, 1 for a read. */
  count?: number;
  /** OperationOutcome text (or the error message). */
  outcome?: string;
  /** Oracle's URN or the OAuth error found in the body, explained. */
  explanation?: string;
}

export interface FhirFetchDeps {
  baseUrl: string;
  accessToken: string;
  fetch: typeof fetch;
  /** Access-token expiry (seconds since the epoch), to name an expired token behind a 401. */
  expiresAt?: number;
}

export function outcomeText(body: unknown): string | undefined {
  if (!isOperationOutcome(body)) return undefined;
  return outcomeIssues(body) ?? 'OperationOutcome without issue text';
}

function countOf(body: unknown): number | undefined {
  const b = body as { resourceType?: string; total?: number; entry?: unknown[] } | undefined;
  if (!b?.resourceType) return undefined;
  if (b.resourceType !== 'Bundle') return 1;
  return typeof b.total === 'number' ? b.total : (b.entry?.length ?? 0);
}

/** Classify one FHIR answer. Exported for tests: the network part is a thin wrapper. */
export function classifyFhirResponse(
  read: SmokeRead,
  status: number,
  text: string,
  wwwAuthenticate?: string,
  token: { expiresAt?: number; now?: number; url?: string } = {},
): SmokeResult {
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const ok = status >= 200 && status < 300;
  // A 2xx whose body is no FHIR JSON: asked for application/fhir+json, the server must answer it or 406
  // (FHIR R4 RESTful API, content types); an app that reads JSON cannot use it.
  if (ok && text.trim() && (body === undefined || typeof body !== 'object' || body === null)) {
    const xml = /^\s*</.test(text);
    return {
      status: 'error',
      httpStatus: status,
      outcome: xml
        ? 'The server answered XML although the app asked for JSON (Accept: application/fhir+json).'
        : 'The server answered something that is not JSON although the app asked for JSON (Accept: application/fhir+json).',
      explanation:
        'A FHIR server honours Accept or answers 406 Not Acceptable (FHIR R4 RESTful API, content types); an app that reads JSON cannot use this answer.',
    };
  }
  if (ok) {
    const count = countOf(body);
    return count === undefined
      ? { status: 'ok', httpStatus: status }
      : { status: 'ok', httpStatus: status, count };
  }
  const oauthCode =
    /\b(insufficient_scope|invalid_token)\b/.exec(`${text} ${wwwAuthenticate ?? ''}`)?.[1] ?? undefined;
  const urn = findOracleUrn(text);
  const e = explainError(oauthCode, urn);
  const outcome = outcomeText(body) ?? (text.slice(0, 300) || `HTTP ${status}`);
  const result: SmokeResult = {
    status: status === 403 ? (read.granted ? 'denied' : 'expected-denial') : 'error',
    httpStatus: status,
    outcome,
  };
  if (status === 401)
    result.explanation = explainFhir401({
      body: text,
      ...(wwwAuthenticate ? { wwwAuthenticate } : {}),
      ...token,
    });
  else if (status === 403 && read.granted && oauthCode === 'insufficient_scope')
    result.explanation = read.grantAssumed
      ? 'Refused for lack of scope. The token response named no scope, so this page took every requested scope as granted (RFC 6749 §5.1); the server did not grant this one after all. SMART requires the granted scope in every token response.'
      : `Refused for lack of scope, although the scope the server granted allows this ${read.interaction}: the server checks another scope than the one it granted${scopeAsked(wwwAuthenticate)}. Server side: enforce the scopes as granted (RFC 6750 §3.1).`;
  else if (e) result.explanation = `${e.title}: ${e.explanation}`;
  return result;
}

export async function runSmokeRead(read: SmokeRead, deps: FhirFetchDeps): Promise<SmokeResult> {
  if (!read.path) return { status: 'skipped', outcome: read.skipReason ?? 'skipped' };
  const url = `${deps.baseUrl.replace(/\/+$/, '')}/${read.path}`;
  try {
    const res = await deps.fetch(url, {
      headers: { accept: 'application/fhir+json', authorization: `Bearer ${deps.accessToken}` },
    });
    const text = await res.text();
    return classifyFhirResponse(read, res.status, text, res.headers.get('www-authenticate') ?? undefined, {
      ...(deps.expiresAt !== undefined ? { expiresAt: deps.expiresAt } : {}),
      now: Date.now() / 1000,
      url,
    });
  } catch (e) {
    return {
      status: 'error',
      outcome: `${(e as Error).message} — no answer readable by the app (CORS or network).`,
    };
  }
}

/** ` (it asks for …)`: the scope a Bearer challenge names, or '' when it names none. */
function scopeAsked(wwwAuthenticate: string | undefined): string {
  const scope = parseBearerChallenge(wwwAuthenticate)?.scope;
  return scope ? ` (it asks for ${scope})` : '';
}

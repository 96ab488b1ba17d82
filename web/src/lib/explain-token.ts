import { isOracleUrl } from '../../../utils/capture/relevance';
import {
  explainOAuthError,
  explainOracleUrn,
  findOracleUrn,
  ORACLE_URN_PREFIX,
} from '../../../utils/smart/oracle-errors';
import type { ErrorContext, LaunchProblem } from './explain';

/** fhirclient's HttpError message: `400 Bad Request\nURL: …\ninvalid_grant: <error_description>`. */
export interface HttpFailure {
  status: number;
  url?: string;
  code?: string;
  description?: string;
}

export function parseHttpError(message: string): HttpFailure | undefined {
  const m = /^(\d{3})\b[^\n]*\nURL: ([^\n]*)(?:\n+([\s\S]*))?$/.exec(message);
  if (!m) return undefined;
  const rest = (m[3] ?? '').trim();
  const oauth = /^([a-z_]+)(?::\s*([\s\S]*))?$/.exec(rest);
  const out: HttpFailure = { status: Number(m[1]) };
  if (m[2]) out.url = m[2];
  if (oauth?.[1]) out.code = oauth[1];
  if (oauth?.[2]?.trim()) out.description = oauth[2].trim();
  return out;
}

const CODE_EXCHANGE_CAUSES = [
  'The code was already exchanged (reload of the callback page, double submit) or is older than its lifetime.',
  'The code_verifier does not match the code_challenge (PKCE state from another launch).',
  'The redirect_uri differs from the one sent to authorize.',
];

/** Oracle's published refresh-token URNs, explained by the shared catalogue. */
const REFRESH_URNS = ['token-invalid', 'session-invalid', 'tenant-terminated'].map(
  (t) => `${ORACLE_URN_PREFIX}oauth2:token:refresh-token:${t}`,
);

/** Why a refresh may be refused; Oracle's own refresh-token URNs only for Oracle's token endpoint. */
function refreshCauses(code: string | undefined, tokenUrl: string | undefined): string[] {
  const causes = [
    'The refresh token has expired or was revoked (the user signed out or withdrew access, or the app registration changed).',
    "It was issued for online_access and the user's sign-in session has ended: such a refresh token only works while that session lasts.",
    ...(isOracleUrl(tokenUrl)
      ? REFRESH_URNS.map((urn) => `Oracle ${urn.split(':').pop()}: ${explainOracleUrn(urn).explanation}`)
      : []),
  ];
  if (code === 'invalid_client')
    causes.unshift(
      'The refresh request carried no client_id (or an unknown one); a public client must send it.',
    );
  return causes;
}

/** The token endpoint answered an error to the code exchange or to a refresh. */
export function tokenProblem(
  http: HttpFailure,
  message: string,
  ctx: ErrorContext,
  raw: LaunchProblem['details'],
): LaunchProblem {
  const refresh = ctx.phase === 'refresh';
  const urn = findOracleUrn(message);
  const e = urn ? explainOracleUrn(urn) : http.code ? explainOAuthError(http.code) : undefined;
  const details = [{ label: 'HTTP status', value: String(http.status) }, ...raw];
  if (urn) details.unshift({ label: 'Oracle URN', value: urn });
  if (http.url) details.unshift({ label: 'token endpoint', value: http.url });
  const what = refresh ? 'refresh' : 'exchange';
  const problem: LaunchProblem = {
    kind: 'token',
    title: `Token ${what} failed${http.code ? `: ${http.code}` : ''}`,
    // The generic invalid_grant wording is about codes and PKCE; a refresh is only explained by its URN.
    summary: refresh
      ? `The token endpoint refused the refresh token (HTTP ${http.status})${urn ? `: ${e?.explanation}` : '.'}`
      : (e?.explanation ??
        (http.code
          ? `The token endpoint answered HTTP ${http.status}.`
          : `The token endpoint answered HTTP ${http.status} without an OAuth error: RFC 6749 §5.2 requires a JSON body naming the error, so an app cannot tell why it was refused.`)),
    causes: refresh
      ? refreshCauses(http.code, http.url)
      : http.code === 'invalid_grant'
        ? CODE_EXCHANGE_CAUSES
        : [],
    fixes: refresh
      ? [
          'Relaunch the app to get new tokens.',
          'Request offline_access if the app must refresh after the user’s session ends.',
        ]
      : [e?.fix ?? "Relaunch; inspect the token response in the extension's launch log."],
    details,
  };
  if (http.description) problem.serverMessage = http.description;
  return problem;
}

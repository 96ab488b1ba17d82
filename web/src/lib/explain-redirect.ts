import { personaOf } from '../../../utils/launch/classify';
import { redactText } from '../../../utils/redact/text';
import { explainOAuthError, explainOracleUrn, findOracleUrn } from '../../../utils/smart/oracle-errors';
import { likelyPersonaMismatch } from '../../../utils/smart/oracle-personas';
import type { LaunchProblem } from './explain';

/** What the page knows about the launch that led to the redirect (from the launch record). */
export interface RedirectContext {
  clientId?: string;
  /** The authorize URL the app sent the browser to (fhirclient's state), to name Oracle's persona. */
  authorizeUri?: string;
  /** The state the authorize request carried (the tab's launch in progress), when known. */
  sentState?: string;
}

/** The persona of an Oracle authorize URL (`…/personas/{provider|patient}/authorize`), if it is one. */
function personaOfUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return personaOf(new URL(url).pathname);
  } catch {
    return undefined;
  }
}

/**
 * `invalid_client` on the authorize redirect: the companion is a public client (it has no secret), so
 * nothing was authenticated; the server does not know the client_id.
 */
function unknownClient(ctx: RedirectContext): Pick<LaunchProblem, 'title' | 'causes' | 'fixes'> {
  const id = ctx.clientId ? ` "${ctx.clientId}"` : '';
  return {
    title: 'Unknown client id',
    causes: [
      `The authorization server does not know the client id${id}: it is not registered there, is mistyped, belongs to another server or tenant, or its registration is not active yet.`,
      'This app is a public client (no secret), so invalid_client here cannot mean a wrong secret.',
    ],
    fixes: [
      'Compare the client id with the app registration (Code Console for Oracle) and with the server the launch went to; fix it in config/servers.json or the launcher.',
    ],
  };
}

/** An OAuth error the authorization server put on the redirect (`error`, `error_uri`, `error_description`). */
export function explainOAuthRedirect(
  params: URLSearchParams,
  ctx: RedirectContext = {},
): LaunchProblem | undefined {
  const error = params.get('error');
  if (!error) return undefined;
  const uri = params.get('error_uri') ?? undefined;
  const description = redactText(params.get('error_description') ?? '') || undefined;
  const urn = findOracleUrn(uri) ?? findOracleUrn(description);
  const specific = urn ? explainOracleUrn(urn) : explainOAuthError(error);
  const generic = explainOAuthError(error);
  const details = [{ label: 'error', value: error }];
  if (description) details.push({ label: 'error_description', value: description });
  if (uri) details.push({ label: 'error_uri', value: uri });
  if (urn) details.push({ label: 'Oracle URN', value: urn });
  const summary = `The authorization server sent the browser back with error=${error}${urn ? ` (${urn})` : ''}.`;
  const base = {
    kind: 'oauth' as const,
    summary,
    details,
    ...(description ? { serverMessage: description } : {}),
  };
  if (error === 'invalid_client' && !urn) return { ...base, ...unknownClient(ctx) };
  const likely =
    error === 'unauthorized_client' && !urn
      ? likelyPersonaMismatch(personaOfUrl(ctx.authorizeUri))
      : undefined;
  if (likely)
    return {
      ...base,
      title: 'Likely persona mismatch',
      causes: [
        likely.explanation,
        'unauthorized_client: the client may not use this grant or response type (RFC 6749 §4.1.2.1).',
      ],
      fixes: [likely.fix],
    };
  const causes = [specific?.explanation ?? `The authorization server answered "${error}".`];
  if (generic && specific && generic.explanation !== specific.explanation)
    causes.push(`${error}: ${generic.explanation}`);
  if (!uri && !description) causes.push('The server sent no error_uri or description, only the code.');
  if (ctx.sentState && !params.get('state'))
    causes.push(
      'The error came back without the state the authorize request carried, which RFC 6749 §4.1.2.1 requires: an app that checks the state, as SMART requires, cannot tell this answer from a forged one and discards it.',
    );
  const fixes = [specific?.fix ?? 'Check the authorize request and the app registration, then relaunch.'];
  if (error === 'invalid_request' && sentNoChallenge(ctx.authorizeUri)) {
    causes.push(
      'The authorize request carried no code_challenge, and a server that requires PKCE refuses it. fhirclient sends one when pkceMode is "unsafeV1" (always), or "ifSupported" (the default) or "required" and the server\'s .well-known/smart-configuration lists S256 in code_challenge_methods_supported; "required" without S256 listed stops before the authorize request.',
    );
    fixes.push(
      'Server side: list "S256" in code_challenge_methods_supported. Until then, pkceMode "unsafeV1" in config/servers.json makes fhirclient send an S256 challenge anyway.',
    );
  }
  return {
    ...base,
    title: specific?.title ?? `Authorization failed: ${error}`,
    causes,
    fixes,
  };
}

/** True when the authorize URL the app sent is known and has no code_challenge parameter. */
function sentNoChallenge(authorizeUri: string | undefined): boolean {
  if (!authorizeUri) return false;
  try {
    return !new URL(authorizeUri).searchParams.has('code_challenge');
  } catch {
    return false;
  }
}

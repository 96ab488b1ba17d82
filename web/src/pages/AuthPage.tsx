import type Client from 'fhirclient/lib/Client';
import { useEffect, useState } from 'react';
import { forbidsStoring } from '../../../utils/smart/cache-control';
import { DebugSwitch } from '../components/DebugSwitch';
import { ErrorExplainer } from '../components/ErrorExplainer';
import { explainLaunchError, explainOAuthRedirect, type LaunchProblem } from '../lib/explain';
import { explainNoAuthorization } from '../lib/explain-discovery';
import { authorizeUriOf, launchInProgressState, readLaunchRecord, tokenUriOf } from '../lib/launch-record';
import { type SessionView, sessionFromState } from '../lib/session-view';
import { rememberedDiscoveryFailure, type SeenTokenResponse } from '../lib/token-watch';
import { RelaunchButton, type RelaunchDeps } from './RelaunchButton';
import { ResultsView } from './ResultsView';

export interface AuthPageDeps extends RelaunchDeps {
  ready: () => Promise<Client>;
  url: URL;
  session: Storage;
  local: Storage;
  fetch: typeof fetch;
  /** The last token response the page received (lib/token-watch.ts), to explain one fhirclient refused. */
  tokenSeen?: () => Promise<SeenTokenResponse | undefined>;
}

/** fhirclient got its endpoints from the CapabilityStatement because smart-configuration failed. */
export function discoveryFallback(serverUrl: string, failure: string): string {
  return `SMART discovery (${serverUrl.replace(/\/+$/, '')}/.well-known/smart-configuration) ${failure}; fhirclient took the endpoints from the CapabilityStatement (/metadata) instead, the SMART App Launch 1.0 fallback. SMART App Launch 2.0 requires .well-known/smart-configuration, readable from any origin (CORS): an app that relies on it fails on this server.`;
}

/**
 * The code was exchanged without PKCE: fhirclient sent no code_challenge, because smart-configuration
 * did not list S256 or could not be read (pkceMode "ifSupported"), and the server issued a token anyway.
 */
export function ranWithoutPkce(pkceMode: string, discoveryFailed: boolean): string {
  const why = discoveryFailed
    ? 'without smart-configuration fhirclient could not tell that the server supports PKCE'
    : 'the server’s smart-configuration does not list S256 in code_challenge_methods_supported';
  return `This launch ran without PKCE: ${why}, so fhirclient (pkceMode "${pkceMode}") sent no code_challenge, and the server issued a token for the code all the same. SMART App Launch 2.0 requires PKCE (S256) of every app, and a server that supports it should refuse a code exchanged without its verifier. Server side: list S256 in code_challenge_methods_supported${discoveryFailed ? ' of a readable smart-configuration' : ''}; until then, pkceMode "unsafeV1" sends a challenge anyway.`;
}

type View =
  | { kind: 'loading' }
  | { kind: 'problem'; problem: LaunchProblem }
  | { kind: 'results'; client: Client; session: SessionView; callbackProblems: string[] };

/**
 * A code sent back without the state the authorize request carried: RFC 6749 §4.1.2 requires it back
 * exactly; fhirclient then takes the tab's last launch and goes on, which hides the server's fault.
 */
export const STATE_NOT_RETURNED =
  'The server sent the code back without the state it was sent. RFC 6749 §4.1.2 requires the state returned exactly; fhirclient then takes this tab’s last launch and goes on, but an app that checks the state, as SMART requires, refuses this callback (RFC 6749 §10.12: without it, a forged callback cannot be told from this one). Server side: return state unchanged.';

/**
 * A token response that a cache may keep: RFC 6749 §5.1 requires `Cache-Control: no-store` on any
 * response carrying tokens (utils/diagnose/rules/token-cache-control.ts says the same in the launch log, with the same reading: forbidsStoring()).
 * Undefined when the response had it, or carried no token.
 */
export function cacheableTokenResponse(seen: SeenTokenResponse): string | undefined {
  if (seen.status < 200 || seen.status > 299 || seen.fields.access_token === undefined) return undefined;
  if (forbidsStoring(seen.cacheControl)) return undefined;
  const sent = seen.cacheControl ? `Cache-Control: ${seen.cacheControl}` : 'no Cache-Control header';
  return `The token response was sent with ${sent}. RFC 6749 §5.1 requires Cache-Control: no-store on every response that carries tokens, so that no browser or proxy cache keeps them. Server side: answer the token endpoint with Cache-Control: no-store (and Pragma: no-cache for HTTP/1.0 caches).`;
}

/** `/launch/auth`: the redirect_uri. Explains an OAuth error, or completes the launch and shows the results. */
export function AuthPage(deps: AuthPageDeps) {
  const [view, setView] = useState<View>({ kind: 'loading' });
  const record = readLaunchRecord(deps.session);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the callback is processed once per page load.
  useEffect(() => {
    // fhirclient turns an error redirect into a bare Error(error); read error_uri (Oracle's URN) first.
    const authorizeUri = authorizeUriOf(deps.session, deps.url.searchParams);
    // The token endpoint, to name it if the token request cannot reach it.
    const tokenUri = tokenUriOf(deps.session, deps.url.searchParams);
    // Read before ready(): the launch this tab started, to tell a state the server changed from a lost one.
    const sentState = launchInProgressState(deps.session);
    const returnedState = deps.url.searchParams.get('state') || undefined;
    // An error some servers send in the fragment (`#error=…&state=…`), where fhirclient does not look.
    const fragment = new URLSearchParams(deps.url.hash.replace(/^#/, ''));
    const redirect =
      !deps.url.searchParams.has('error') && fragment.has('error') ? fragment : deps.url.searchParams;
    const oauth = explainOAuthRedirect(redirect, {
      ...(record ? { clientId: record.clientId } : {}),
      ...(authorizeUri ? { authorizeUri } : {}),
      ...(sentState ? { sentState } : {}),
    });
    if (oauth) return setView({ kind: 'problem', problem: oauth });
    deps.ready().then(
      (client) => {
        if (!client.state.tokenResponse?.access_token) {
          // fhirclient skipped OAuth without saying why: read discovery again to tell.
          return void explainNoAuthorization(client.state.serverUrl, deps.url.origin, deps.fetch).then(
            (problem) => setView({ kind: 'problem', problem }),
          );
        }
        const callbackProblems =
          sentState && !returnedState && deps.url.searchParams.has('code') ? [STATE_NOT_RETURNED] : [];
        const discovery = rememberedDiscoveryFailure(deps.session, client.state.serverUrl);
        if (discovery) callbackProblems.push(discoveryFallback(client.state.serverUrl, discovery));
        // fhirclient keeps the verifier in its state when it sent a challenge.
        if (!client.state.codeVerifier && record && record.pkceMode !== 'disabled')
          callbackProblems.push(ranWithoutPkce(record.pkceMode, !!discovery));
        const show = () =>
          setView({ kind: 'results', client, session: sessionFromState(client.state), callbackProblems });
        if (!deps.tokenSeen) return show();
        void deps
          .tokenSeen()
          .catch(() => undefined)
          .then((seen) => {
            const cacheable = seen && cacheableTokenResponse(seen);
            if (cacheable) callbackProblems.push(cacheable);
            show();
          });
      },
      async (e: unknown) => {
        const tokenResponse = await deps.tokenSeen?.().catch(() => undefined);
        setView({
          kind: 'problem',
          problem: explainLaunchError(e, {
            phase: 'callback',
            origin: deps.url.origin,
            ...(tokenUri ? { tokenUri } : {}),
            ...(tokenResponse ? { tokenResponse } : {}),
            ...(sentState ? { sentState } : {}),
            ...(returnedState ? { returnedState } : {}),
          }),
        });
      },
    );
  }, []);

  const relaunch = <RelaunchButton record={record} {...deps} />;
  return (
    <main>
      <div className="toolbar">
        <h1>SMART companion{record ? ` — ${record.serverLabel}` : ''}</h1>
        <div className="row">
          {relaunch}
          <DebugSwitch storage={deps.local} />
        </div>
      </div>
      {view.kind === 'loading' && <p aria-busy="true">Completing the launch (token exchange)…</p>}
      {view.kind === 'problem' && <ErrorExplainer problem={view.problem} actions={relaunch} />}
      {view.kind === 'results' && (
        <ResultsView
          client={view.client}
          session={view.session}
          fetch={deps.fetch}
          callbackProblems={view.callbackProblems}
          onSession={(session) => setView({ ...view, session })}
        />
      )}
    </main>
  );
}

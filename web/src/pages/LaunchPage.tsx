import type { fhirclient } from 'fhirclient/lib/types';
import { useEffect, useRef, useState } from 'react';
import { ConfigErrorView } from '../components/ConfigErrorView';
import { DebugSwitch } from '../components/DebugSwitch';
import { ErrorExplainer } from '../components/ErrorExplainer';
import { Launcher, type StandaloneLaunch } from '../components/Launcher';
import { authorizeOptions } from '../lib/authorize-options';
import type { ConfigResult } from '../lib/config';
import type { ServerEntry } from '../lib/config-schema';
import { explainLaunchError, type LaunchProblem } from '../lib/explain';
import { explainNoAuthorization } from '../lib/explain-discovery';
import { findServerForIss, serversForOrigin } from '../lib/iss-match';
import { type LaunchRecord, saveLaunchRecord } from '../lib/launch-record';
import { noMatchingServer } from '../lib/no-matching-server';

export interface LaunchPageDeps {
  loadConfig: () => Promise<ConfigResult>;
  /** Where the config came from, named in error messages. */
  configSource: string;
  authorize: (opts: fhirclient.AuthorizeParams) => Promise<unknown>;
  url: URL;
  /** sessionStorage: the launch record lives as long as fhirclient's own state. */
  session: Storage;
  /** localStorage: the debug switch. */
  local: Storage;
  /** The page's fetch: a failed discovery is read again with it, to say which read failed and how. */
  fetch?: typeof fetch;
}

type View =
  | { kind: 'loading' }
  | { kind: 'config-error'; config: Extract<ConfigResult, { ok: false }> }
  | { kind: 'launcher'; servers: ServerEntry[]; initialIss?: string }
  | { kind: 'redirecting'; server: ServerEntry; iss: string }
  | { kind: 'problem'; problem: LaunchProblem };

/** `/launch/`: an EHR launch when the URL has iss + launch, otherwise the standalone launcher. */
export function LaunchPage(deps: LaunchPageDeps) {
  const [view, setView] = useState<View>({ kind: 'loading' });
  // An EHR launch must authorize once, even when React runs effects twice (StrictMode in dev).
  const started = useRef(false);

  const go = (server: ServerEntry, record: LaunchRecord, opts: fhirclient.AuthorizeParams) => {
    setView({ kind: 'redirecting', server, iss: record.iss });
    saveLaunchRecord(deps.session, record);
    deps.authorize(opts).catch(async (e: unknown) => {
      const problem = explainLaunchError(e, { phase: 'authorize', origin: deps.url.origin });
      // fhirclient says only that discovery failed: read it again to say which read failed and how.
      if (problem.kind === 'discovery' && deps.fetch) {
        const reads = await explainNoAuthorization(record.iss, deps.url.origin, deps.fetch);
        return setView({
          kind: 'problem',
          problem: {
            ...reads,
            title: problem.title,
            summary: `The app could not find the authorization endpoint of ${record.iss}: neither its .well-known/smart-configuration nor its CapabilityStatement (/metadata) gave one when fhirclient read them.`,
            details: [...problem.details, ...reads.details],
          },
        });
      }
      setView({ kind: 'problem', problem });
    });
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per page load, like the launch itself.
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void deps.loadConfig().then((config) => {
      if (!config.ok) return setView({ kind: 'config-error', config });
      const servers = serversForOrigin(config.config.servers, deps.url.origin);
      const iss = deps.url.searchParams.get('iss');
      const launch = deps.url.searchParams.get('launch');
      if (!launch) return setView({ kind: 'launcher', servers, ...(iss ? { initialIss: iss } : {}) });
      if (!iss) return setView({ kind: 'launcher', servers });
      const server = findServerForIss(config.config.servers, iss, deps.url.origin);
      if (!server)
        return setView({
          kind: 'problem',
          problem: noMatchingServer(iss, deps.url.origin, config.config.servers),
        });
      const opts = authorizeOptions(server, {}, deps.url.href);
      go(server, record('ehr', server, iss, opts, deps.url.href), opts);
    });
  }, []);

  const standalone = (l: StandaloneLaunch) => {
    const opts = authorizeOptions(
      l.server,
      { iss: l.iss, clientId: l.clientId, scope: l.scope },
      deps.url.href,
    );
    go(l.server, record('standalone', l.server, l.iss, opts), opts);
  };

  return (
    <main>
      <h1>SMART companion</h1>
      {view.kind === 'loading' && <p aria-busy="true">Loading the server configuration…</p>}
      {view.kind === 'config-error' && (
        <ConfigErrorView issues={view.config.issues} source={deps.configSource} />
      )}
      {view.kind === 'launcher' && (
        <Launcher
          servers={view.servers}
          onLaunch={standalone}
          {...(view.initialIss ? { initialIss: view.initialIss } : {})}
        />
      )}
      {view.kind === 'redirecting' && (
        <p role="status">
          Launching with <strong>{view.server.label}</strong> (<code>{view.iss}</code>): redirecting to the
          authorization server…
        </p>
      )}
      {view.kind === 'problem' && (
        <ErrorExplainer
          problem={view.problem}
          actions={
            <a href={deps.url.pathname} className="button">
              Open the launcher
            </a>
          }
        />
      )}
      <DebugSwitch storage={deps.local} />
    </main>
  );
}

function record(
  kind: LaunchRecord['kind'],
  server: ServerEntry,
  iss: string,
  opts: fhirclient.AuthorizeParams,
  launchUrl?: string,
): LaunchRecord {
  const r: LaunchRecord = {
    kind,
    serverId: server.id,
    serverLabel: server.label,
    iss,
    clientId: opts.clientId ?? server.clientId,
    scope: opts.scope ?? server.scope,
    redirectUri: opts.redirectUri ?? server.redirectUri,
    pkceMode: server.pkceMode,
  };
  if (launchUrl) r.launchUrl = launchUrl;
  return r;
}

import type Client from 'fhirclient/lib/Client';
import { useMemo, useState } from 'react';
import { isOracleUrl } from '../../../utils/capture/relevance';
import { ContextPanel } from '../components/ContextPanel';
import { ErrorExplainer } from '../components/ErrorExplainer';
import { IdTokenClaims } from '../components/IdTokenClaims';
import { PatientBanner } from '../components/PatientBanner';
import { ScopeDiff } from '../components/ScopeDiff';
import { SmokeReads } from '../components/SmokeReads';
import { TokenPanel } from '../components/TokenPanel';
import { explainLaunchError, type LaunchProblem } from '../lib/explain';
import { buildScopeReport } from '../lib/scope-report';
import { type SessionView, sessionFromState } from '../lib/session-view';
import { planSmokeReads } from '../lib/smoke-plan';
import type { FhirFetchDeps } from '../lib/smoke-run';

/** Everything the server granted and returned, after a successful ready(). */
export function ResultsView(props: {
  client: Client;
  session: SessionView;
  fetch: typeof fetch;
  onSession: (s: SessionView) => void;
  /** What the server got wrong although the launch went on (a state not sent back, discovery that failed). */
  callbackProblems?: readonly string[];
}) {
  const { session } = props;
  const [refreshing, setRefreshing] = useState(false);
  const [refreshProblem, setRefreshProblem] = useState<LaunchProblem>();
  const fhir = useMemo<FhirFetchDeps>(
    () => ({
      baseUrl: session.serverUrl,
      accessToken: session.accessToken ?? '',
      fetch: props.fetch,
      ...(session.expiresAt !== undefined ? { expiresAt: session.expiresAt } : {}),
    }),
    [session.serverUrl, session.accessToken, session.expiresAt, props.fetch],
  );
  const report = useMemo(
    () =>
      buildScopeReport(
        session.requestedScope,
        session.grantedScope,
        !!session.refreshToken,
        isOracleUrl(session.serverUrl),
      ),
    [session.requestedScope, session.grantedScope, session.refreshToken, session.serverUrl],
  );
  const plan = useMemo(
    () =>
      planSmokeReads({
        requested: session.requestedScope,
        granted: session.grantedScope,
        ...(session.patientId ? { patientId: session.patientId } : {}),
        ...(session.encounterId ? { encounterId: session.encounterId } : {}),
        ...(session.fhirUser ? { fhirUser: session.fhirUser } : {}),
      }),
    [session.requestedScope, session.grantedScope, session.patientId, session.encounterId, session.fhirUser],
  );
  const refresh = () => {
    setRefreshing(true);
    setRefreshProblem(undefined);
    // fhirclient throws at once, before any request, when it will not refresh (Client.refresh's checks);
    // after a refused refresh it forgets the refresh token: the page shows its state either way.
    new Promise<unknown>((resolve) => resolve(props.client.refresh()))
      .then(
        () => props.onSession(sessionFromState(props.client.state)),
        (e: unknown) => {
          const tokenUri = props.client.state.tokenUri;
          setRefreshProblem(explainLaunchError(e, { phase: 'refresh', ...(tokenUri ? { tokenUri } : {}) }));
          props.onSession(sessionFromState(props.client.state));
        },
      )
      .finally(() => setRefreshing(false));
  };
  return (
    <>
      <p role="status" className="ok">
        Launch complete: token received from <code>{session.serverUrl}</code>.
      </p>
      {props.callbackProblems?.length ? (
        <ul className="bad" aria-label="What the server gets wrong">
          {props.callbackProblems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      {session.patientId ? (
        <PatientBanner
          fhir={fhir}
          patientId={session.patientId}
          needBanner={session.needPatientBanner}
          needBannerInvalid={session.needPatientBannerInvalid}
        />
      ) : (
        <NoPatient session={session} />
      )}
      <ContextPanel session={session} fhir={fhir} />
      <ScopeDiff report={report} granted={session.grantedScope} />
      <SmokeReads plan={plan} fhir={fhir} />
      {refreshProblem ? <ErrorExplainer problem={refreshProblem} /> : null}
      <TokenPanel
        session={session}
        onRefresh={refresh}
        refreshing={refreshing}
        refreshRefused={refreshProblem !== undefined}
      />
      <IdTokenClaims session={session} fetch={props.fetch} />
    </>
  );
}

/**
 * No `patient` in the token response. With launch/patient granted (or asked for, when the response
 * names no scope) that is the server's omission: SMART returns the patient id with that scope.
 */
function NoPatient(props: { session: SessionView }) {
  const { grantedScope, requestedScope } = props.session;
  const scope = grantedScope ?? requestedScope;
  if (!/(?:^|\s)launch\/patient(?:\s|$)/.test(scope)) return <p className="hint">No patient in context.</p>;
  return (
    <p className="bad" role="note">
      No patient in context, although launch/patient was{' '}
      {grantedScope === undefined ? 'requested' : 'granted'}: the token response has no <code>patient</code>,
      so the app has no patient to read. A server that grants launch/patient returns the patient’s id with the
      token.
    </p>
  );
}

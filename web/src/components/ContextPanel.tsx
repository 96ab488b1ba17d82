import { useFhirResource } from '../hooks/useFhirResource';
import { formatName, type HumanName } from '../lib/fhir-format';
import type { SessionView } from '../lib/session-view';
import { fhirUserRef } from '../lib/smoke-plan';
import type { FhirFetchDeps } from '../lib/smoke-run';

function UserName({ fhir, fhirUser }: { fhir: FhirFetchDeps; fhirUser: string }) {
  const ref = fhirUserRef(fhirUser);
  // Always relative to the launch's FHIR base: the bearer token must not go to a host the claim names.
  const path = ref ? `${ref.type}/${encodeURIComponent(ref.id)}` : undefined;
  const r = useFhirResource<{ name?: HumanName[] }>(fhir, path);
  if (!ref) return <span>(not a FHIR reference)</span>;
  if (!r) return <span aria-busy="true">resolving…</span>;
  return r.ok ? (
    <span>{formatName(r.resource.name) ?? '(no name)'}</span>
  ) : (
    <span className="bad">{r.message}</span>
  );
}

/** Launch context: server, tenant, encounter, the signed-in user. */
export function ContextPanel({ session, fhir }: { session: SessionView; fhir: FhirFetchDeps }) {
  return (
    <section className="card" aria-labelledby="context-title">
      <h2 id="context-title">Launch context</h2>
      <dl className="facts">
        <dt>FHIR server</dt>
        <dd>
          <code>{session.serverUrl}</code>
        </dd>
        <dt>Client id</dt>
        <dd>
          <code>{session.clientId ?? '—'}</code>
        </dd>
        {/* Oracle's: other servers send none. */}
        {session.tenant ? (
          <>
            <dt>Tenant</dt>
            <dd>{session.tenant}</dd>
          </>
        ) : null}
        <dt>Encounter</dt>
        <dd>{session.encounterId ? <code>Encounter/{session.encounterId}</code> : 'none in context'}</dd>
        <dt>User (fhirUser)</dt>
        <dd>
          {session.fhirUser ? (
            <>
              <code>{session.fhirUser}</code> — <UserName fhir={fhir} fhirUser={session.fhirUser} />
            </>
          ) : (
            'no fhirUser claim (request openid fhirUser)'
          )}
        </dd>
        {session.username || session.oracleUser ? (
          <>
            <dt>Oracle user</dt>
            <dd>
              {session.username ?? ''} {session.oracleUser ? <code>{session.oracleUser}</code> : null}
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

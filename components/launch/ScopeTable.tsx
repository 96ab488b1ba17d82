import {
  alternateSpelling,
  covers,
  diffScopes,
  equivalent,
  parseScopes,
  type Scope,
} from '../../utils/smart/scopes';

interface Props {
  requested: readonly string[];
  /** undefined = the token response was not captured, so "granted" is unknown. */
  granted?: readonly string[];
  /** undefined = the server's smart-configuration was not captured. */
  supported?: readonly string[];
  /** Why granted / supported are unknown, said once under the table and linked from every "unknown". */
  grantedUnknown?: string;
  supportedUnknown?: string;
}

const GRANTED_NOTE = 'sld-scopes-granted-unknown';
const SUPPORTED_NOTE = 'sld-scopes-supported-unknown';

function Mark({ value, why, note }: { value: boolean | undefined; why?: string; note?: string }) {
  if (value === undefined) {
    return (
      <span className="sld-muted" title={why} aria-describedby={why ? note : undefined}>
        unknown
      </span>
    );
  }
  return value ? <span className="sld-yes">yes</span> : <span className="sld-no">no</span>;
}

function formOf(scope: Scope): string {
  if (scope.problem) return `invalid: ${scope.problem}`;
  return scope.version ?? scope.kind;
}

/** Requested vs granted vs server-supported scopes; v1 and v2 spellings of one permission count as the same. */
export function ScopeTable({ requested, granted, supported, grantedUnknown, supportedUnknown }: Props) {
  const req = parseScopes(requested.join(' '));
  const got = granted ? parseScopes(granted.join(' ')) : undefined;
  const sup = supported ? parseScopes(supported.join(' ')) : undefined;
  const diff = diffScopes(req, got, sup);
  const rows = [...req, ...diff.extra];
  if (rows.length === 0) return <p className="sld-empty">No scopes were captured for this launch.</p>;

  const isSupported = (s: Scope) =>
    sup ? sup.some((x) => x.raw === s.raw || (s.kind === 'resource' && equivalent(x, s))) : undefined;
  return (
    <>
      {diff.missing.length > 0 && (
        <p className="sld-warning" role="note">
          Requested but not granted: {diff.missing.map((s) => s.raw).join(' ')}
        </p>
      )}
      <table className="sld-scopes">
        <caption>Scopes</caption>
        <colgroup>
          <col className="sld-scopes-name" />
          <col className="sld-scopes-form" />
          <col className="sld-scopes-mark" />
          <col className="sld-scopes-mark" />
          <col className="sld-scopes-mark" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Scope</th>
            <th scope="col">Form</th>
            <th scope="col">Requested</th>
            <th scope="col">Granted</th>
            <th scope="col">Server supports</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((scope) => {
            const alt = alternateSpelling(scope);
            const wasRequested = req.includes(scope);
            const isGranted = got ? got.some((g) => covers(g, scope)) : undefined;
            return (
              <tr key={scope.raw} data-missing={diff.missing.includes(scope) || undefined}>
                <th scope="row">
                  <code>{scope.raw}</code>
                  {alt && <span className="sld-muted"> = {alt}</span>}
                </th>
                <td>{formOf(scope)}</td>
                <td>
                  <Mark value={wasRequested} />
                </td>
                <td>
                  <Mark value={isGranted} why={grantedUnknown} note={GRANTED_NOTE} />
                </td>
                <td>
                  <Mark value={isSupported(scope)} why={supportedUnknown} note={SUPPORTED_NOTE} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {!got && grantedUnknown && (
        <p id={GRANTED_NOTE} className="sld-muted sld-scopes-note">
          Granted unknown: {grantedUnknown}.
        </p>
      )}
      {!sup && supportedUnknown && (
        <p id={SUPPORTED_NOTE} className="sld-muted sld-scopes-note">
          Server supports unknown: {supportedUnknown}.
        </p>
      )}
    </>
  );
}

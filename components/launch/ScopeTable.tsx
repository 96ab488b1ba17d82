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
}

function Mark({ value }: { value: boolean | undefined }) {
  if (value === undefined) return <span className="sld-muted">unknown</span>;
  return value ? <span className="sld-yes">yes</span> : <span className="sld-no">no</span>;
}

function formOf(scope: Scope): string {
  if (scope.problem) return `invalid: ${scope.problem}`;
  return scope.version ?? scope.kind;
}

/** Requested vs granted vs server-supported scopes; v1 and v2 spellings of one permission count as the same. */
export function ScopeTable({ requested, granted, supported }: Props) {
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
                  <Mark value={isGranted} />
                </td>
                <td>
                  <Mark value={isSupported(scope)} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

import type { ScopeReport } from '../lib/scope-report';

const LABEL = { granted: 'granted', trimmed: 'not granted', extra: 'granted, not requested' } as const;
const CLASS = { granted: 'ok', trimmed: 'warn', extra: 'muted' } as const;

/** Requested vs granted scopes; trimmed ones highlighted, with Oracle's reasons. */
export function ScopeDiff({ report, granted }: { report: ScopeReport; granted: string | undefined }) {
  return (
    <section className="card" aria-labelledby="scopes-title">
      <h2 id="scopes-title">Scopes: requested vs granted</h2>
      {report.grantedUnknown ? (
        <p className="warn">
          The token response has no scope field, which SMART App Launch requires in every token response;
          OAuth alone (RFC 6749 §5.1) reads that as "granted as requested", so the table assumes so.
        </p>
      ) : report.trimmed > 0 ? (
        <p className="warn" role="status">
          {report.trimmed} requested scope{report.trimmed === 1 ? ' was' : 's were'} not granted.
        </p>
      ) : (
        <p className="ok">Every requested scope was granted.</p>
      )}
      {report.explanations.length > 0 && (
        <ul aria-label="Why scopes were trimmed">
          {report.explanations.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
      <table>
        <caption className="visually-hidden">Requested and granted scopes</caption>
        <thead>
          <tr>
            <th scope="col">Scope</th>
            <th scope="col">Status</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {report.rows.map((r) => (
            <tr key={`${r.status}:${r.scope}`} className={r.status === 'trimmed' ? 'trimmed' : undefined}>
              <td>
                <code>{r.scope}</code>
              </td>
              <td>
                <span className={`badge ${CLASS[r.status]}`}>{LABEL[r.status]}</span>
              </td>
              <td className="hint">
                {r.reason ?? ''}
                {r.alternate ? (
                  <>
                    {r.reason ? ' ' : ''}
                    Other spelling: <code>{r.alternate}</code>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">
        Granted scope string: <code data-testid="granted-scope">{granted ?? '(none returned)'}</code>
      </p>
    </section>
  );
}

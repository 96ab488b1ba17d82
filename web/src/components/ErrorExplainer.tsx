import type { ReactNode } from 'react';
import type { LaunchProblem } from '../lib/explain';

/** Details whose value is a page the server points to (an error description page). */
const LINKED = new Set(['error_uri']);

/** A launch failure in plain language, with the raw facts underneath. */
export function ErrorExplainer({ problem, actions }: { problem: LaunchProblem; actions?: ReactNode }) {
  return (
    <section
      className="card problem"
      role="alert"
      aria-labelledby="problem-title"
      data-problem={problem.kind}
    >
      <h2 id="problem-title">{problem.title}</h2>
      {problem.serverMessage ? (
        <figure className="server-message">
          <figcaption>The server said</figcaption>
          <blockquote>{problem.serverMessage}</blockquote>
        </figure>
      ) : null}
      <p>{problem.summary}</p>
      {problem.causes.length > 0 && (
        <>
          <h3>Likely causes</h3>
          <ul>
            {problem.causes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </>
      )}
      {problem.fixes.length > 0 && (
        <>
          <h3>What to do</h3>
          <ul>
            {problem.fixes.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
        </>
      )}
      {problem.details.length > 0 && (
        <details>
          <summary>Details</summary>
          <dl className="facts">
            {problem.details.map((d) => (
              <div key={`${d.label}:${d.value}`} style={{ display: 'contents' }}>
                <dt>{d.label}</dt>
                <dd>
                  {LINKED.has(d.label) && /^https?:\/\//i.test(d.value) ? (
                    <a href={d.value} target="_blank" rel="noreferrer noopener">
                      <code style={{ whiteSpace: 'pre-wrap' }}>{d.value}</code>
                    </a>
                  ) : (
                    <code style={{ whiteSpace: 'pre-wrap' }}>{d.value}</code>
                  )}
                </dd>
              </div>
            ))}
          </dl>
        </details>
      )}
      {actions ? <div className="row">{actions}</div> : null}
    </section>
  );
}

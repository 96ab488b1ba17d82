import type { ConfigIssue } from '../lib/config';

/** The configuration is broken: say exactly where and why, instead of rendering nothing. */
export function ConfigErrorView({ issues, source }: { issues: ConfigIssue[]; source: string }) {
  return (
    <section className="card problem" role="alert" aria-labelledby="config-error-title">
      <h2 id="config-error-title">The server configuration is invalid</h2>
      <p>
        <code>{source}</code> has {issues.length === 1 ? 'a problem' : `${issues.length} problems`}. Fix the
        file and reload this page.
      </p>
      <ul>
        {issues.map((i) => (
          <li key={`${i.path}:${i.message}`}>
            <code>{i.path}</code>
            {i.entry ? (
              <>
                {' '}
                (entry <code>{i.entry}</code>)
              </>
            ) : null}
            : {i.message}
          </li>
        ))}
      </ul>
    </section>
  );
}

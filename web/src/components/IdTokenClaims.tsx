import type { SessionView } from '../lib/session-view';

const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time']);

function show(key: string, v: unknown): string {
  if (TIME_CLAIMS.has(key) && typeof v === 'number') return `${v} (${new Date(v * 1000).toISOString()})`;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The id_token's claims, decoded without verification (the signature stays hidden with the token). */
export function IdTokenClaims({ session }: { session: SessionView }) {
  if (!session.idToken) return null;
  return (
    <section className="card" aria-labelledby="idtoken-title">
      <h2 id="idtoken-title">id_token claims</h2>
      {session.idTokenError ? (
        <p className="bad">The id_token could not be decoded: {session.idTokenError}</p>
      ) : (
        <dl className="facts">
          {Object.entries(session.idTokenClaims ?? {}).map(([k, v]) => (
            <div key={k} style={{ display: 'contents' }}>
              <dt>{k}</dt>
              <dd>
                <code>{show(k, v)}</code>
              </dd>
            </div>
          ))}
        </dl>
      )}
      {session.idTokenProblems ? (
        <ul className="bad">
          {session.idTokenProblems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      <p className="hint">Decoded, not verified.</p>
    </section>
  );
}

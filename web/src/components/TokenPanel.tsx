import { useEffect, useState } from 'react';
import { formatCountdown } from '../lib/fhir-format';
import type { SessionView } from '../lib/session-view';
import { Secret } from './Secret';

function useNowSeconds(): number {
  const [now, setNow] = useState(() => Date.now() / 1000);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now() / 1000), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}

/** Expiry countdown, Refresh, the token response without its secrets, and the secrets masked. */
export function TokenPanel(props: {
  session: SessionView;
  onRefresh?: () => void;
  refreshing: boolean;
  /** A refresh failed: fhirclient then forgets the refresh token. */
  refreshRefused?: boolean;
}) {
  const { session } = props;
  const now = useNowSeconds();
  const left = session.expiresAt !== undefined ? session.expiresAt - now : undefined;
  return (
    <section className="card" aria-labelledby="token-title">
      <h2 id="token-title">Token</h2>
      {session.expiredAsSent && left !== undefined && left <= 0 ? (
        <p>
          Access token <strong className="bad">expired as issued</strong>, as fhirclient reads an expires_in
          below zero (below). Whether the server still takes the token, the reads below show.
        </p>
      ) : (
        <p>
          Access token expires in{' '}
          <strong className={left !== undefined && left <= 0 ? 'bad' : undefined}>
            {left === undefined ? 'unknown' : formatCountdown(left)}
          </strong>
          {left !== undefined && left <= 0 ? ' — the session has expired; refresh or relaunch.' : null}
        </p>
      )}
      {session.tokenResponseProblems.length ? (
        <ul className="bad" aria-label="What the token response gets wrong">
          {session.tokenResponseProblems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      <div className="row">
        {session.refreshToken && session.refreshBlocked ? (
          <span className="hint">Refresh is not possible: {session.refreshBlocked}</span>
        ) : session.refreshToken && props.onRefresh ? (
          <button type="button" onClick={props.onRefresh} disabled={props.refreshing}>
            {props.refreshing ? 'Refreshing…' : 'Refresh'}
          </button>
        ) : props.refreshRefused ? (
          <span className="hint">
            The refresh was refused, and fhirclient discarded the refresh token: relaunch to get a new one.
          </span>
        ) : (
          <span className="hint">
            {/(?:^|\s)(?:online|offline)_access(?:\s|$)/.test(session.grantedScope ?? '')
              ? 'No refresh token was issued, although the granted scope names online_access or offline_access: the server chose not to (a refresh token is optional, RFC 6749 §5.1).'
              : 'No refresh token was issued (request online_access or offline_access).'}
          </span>
        )}
      </div>
      <h3>Secrets</h3>
      {session.accessToken ? (
        <Secret label="access token" value={session.accessToken} />
      ) : (
        <p>No access token.</p>
      )}
      {session.refreshToken ? <Secret label="refresh token" value={session.refreshToken} /> : null}
      {session.idToken ? <Secret label="id token" value={session.idToken} /> : null}
      <h3>Token response</h3>
      <dl className="facts">
        {session.tokenFields.map(([k, v]) => (
          <div key={k} style={{ display: 'contents' }}>
            <dt>{k}</dt>
            <dd>
              <code>{v}</code>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

import { useEffect, useState } from 'react';
import { checkIdTokenSignature, type SignatureCheck } from '../lib/id-token-signature';
import type { SessionView } from '../lib/session-view';
import { rememberedIssuer, rememberedJwksUri } from '../lib/token-watch';

const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time']);

function show(key: string, v: unknown): string {
  if (TIME_CLAIMS.has(key) && typeof v === 'number') return `${v} (${new Date(v * 1000).toISOString()})`;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * The id_token's claims, and whether its signature holds against the key the server publishes (the
 * token itself stays hidden with the other tokens). The check reads discovery and the JWKS after the
 * page is shown, so nothing else on it waits for those reads.
 */
export function IdTokenClaims({ session, fetch }: { session: SessionView; fetch: typeof globalThis.fetch }) {
  const [check, setCheck] = useState<SignatureCheck>();
  const { idToken, idTokenError, serverUrl, clientId } = session;
  useEffect(() => {
    setCheck(undefined);
    if (!idToken || idTokenError) return;
    // A refresh may bring another id_token: an answer for the one before must not overwrite it.
    let current = true;
    // The jwks_uri the launch page saw in discovery, so that the check reads only the JWKS.
    const stored = typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
    const jwksUri = stored && rememberedJwksUri(stored, serverUrl);
    const issuer = stored && rememberedIssuer(stored, serverUrl);
    void checkIdTokenSignature(idToken, {
      serverUrl,
      fetch,
      ...(clientId ? { clientId } : {}),
      ...(jwksUri ? { jwksUri } : {}),
      ...(issuer ? { issuer } : {}),
    }).then((c) => {
      if (current) setCheck(c);
    });
    return () => {
      current = false;
    };
  }, [idToken, idTokenError, serverUrl, clientId, fetch]);

  if (!idToken) return null;
  return (
    <section className="card" aria-labelledby="idtoken-title">
      <h2 id="idtoken-title">id_token claims</h2>
      {idTokenError ? (
        <p className="bad">The id_token could not be decoded: {idTokenError}</p>
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
      {idTokenError ? null : <SignatureOutcome check={check} />}
    </section>
  );
}

/** The outcome in words (the colour only repeats it), announced when the check ends. */
function SignatureOutcome({ check }: { check: SignatureCheck | undefined }) {
  const [className, text] = ((): [string, string] => {
    switch (check?.outcome) {
      case undefined:
        return ['hint', 'Checking the signature against the key the server publishes…'];
      case 'verified':
        return [
          'ok',
          `Signature verified with ${check.kid ? `key "${check.kid}"` : 'a key'} from ${check.jwksUri} (${check.issuer ? `issuer ${check.issuer} and audience checked too` : 'audience checked too; the server’s discovery names no issuer to compare iss with'}).`,
        ];
      case 'failed':
        return [
          'bad',
          check.signedWith
            ? `id_token refused: ${check.reason} Its signature holds (${check.signedWith.kid ? `key "${check.signedWith.kid}"` : 'a key'} from ${check.signedWith.jwksUri}); the claims do not, and an app that verifies its id_token refuses this sign-in.`
            : `Signature check failed: ${check.reason} An app that verifies its id_token refuses this sign-in.`,
        ];
      case 'unchecked':
        return [
          'warn',
          `Signature not checked: ${check.reason} An app that verifies its id_token in the browser needs these reads to work too.`,
        ];
    }
  })();
  return (
    <p
      className={className}
      data-signature={check?.outcome ?? 'checking'}
      aria-live="polite"
      aria-busy={check ? undefined : true}
    >
      {text}
    </p>
  );
}

import { decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';
import { formatClock } from './format';

const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time']);

type Decoded = { ok: true; header: Record<string, unknown>; claims: JWTPayload } | { ok: false };

function decode(token: string): Decoded {
  try {
    return {
      ok: true,
      header: decodeProtectedHeader(token) as Record<string, unknown>,
      claims: decodeJwt(token),
    };
  } catch {
    return { ok: false };
  }
}

function claimText(name: string, value: unknown): string {
  if (TIME_CLAIMS.has(name) && typeof value === 'number') return `${formatClock(value * 1000)} (${value})`;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Decoded JWT claims (not verified: this is for reading), times in local time, expiry called out. */
export function JwtClaims({ name, token, now }: { name: string; token: string; now: number }) {
  const decoded = decode(token);
  if (!decoded.ok) {
    return <p className="sld-muted">{name}: not a readable JWT (it may have been redacted or truncated).</p>;
  }
  const exp = decoded.claims.exp;
  return (
    <table className="sld-claims">
      <caption>
        {name} <span className="sld-muted">alg {String(decoded.header.alg ?? '?')}</span>
        {typeof exp === 'number' && (
          <span className={exp * 1000 < now ? 'sld-no' : 'sld-yes'}>
            {exp * 1000 < now ? ` expired ${formatClock(exp * 1000)}` : ` expires ${formatClock(exp * 1000)}`}
          </span>
        )}
      </caption>
      <tbody>
        {Object.entries(decoded.claims).map(([claim, value]) => (
          <tr key={claim}>
            <th scope="row">{claim}</th>
            <td>
              <code>{claimText(claim, value)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Single-use, expiring authorization codes. A replayed code also revokes the tokens it produced. */
import { randomBytes } from 'node:crypto';
import { CODE_TTL_SECONDS } from '../config';
import { type AuthCode, type Grant, remember, type SandboxState } from '../state';

export function issueCode(
  state: SandboxState,
  grant: Grant,
  redirectUri: string,
  codeChallenge: string | undefined,
): string {
  const code = randomBytes(32).toString('base64url');
  const entry: AuthCode = {
    ...grant,
    code,
    redirectUri,
    expiresAt: state.now() + CODE_TTL_SECONDS * 1000,
    used: false,
    accessTokens: [],
  };
  if (codeChallenge) entry.codeChallenge = codeChallenge;
  remember(state.codes, code, entry);
  return code;
}

export type Redeemed = { ok: true; code: AuthCode } | { ok: false; reason: 'unknown' | 'used' | 'expired' };

/** Looks a code up and marks it used; a second attempt fails and revokes what the first one issued. */
export function redeemCode(state: SandboxState, code: string): Redeemed {
  const entry = state.codes.get(code);
  if (!entry) return { ok: false, reason: 'unknown' };
  if (entry.used) {
    for (const t of entry.accessTokens) {
      const token = state.accessTokens.get(t);
      if (token) token.revoked = true;
    }
    return { ok: false, reason: 'used' };
  }
  entry.used = true;
  if (state.now() > entry.expiresAt) return { ok: false, reason: 'expired' };
  return { ok: true, code: entry };
}

import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import type { Step } from '../../model';
import { findOracleUrn } from '../../smart/oracle-errors';
import { isMasked, type PkceProblem, pkceProblems } from '../../smart/pkce';
import { getParam } from '../../url';
import { formValue } from '../../url/query';
import { advice } from '../fixes';
import { ev, finding, type Rule, type RuleContext } from '../types';
import { PROMPT_MS } from './code-reuse';

const FIX =
  'Send code_challenge with code_challenge_method=S256 and the matching code_verifier in the token request (fhirclient: pkceMode "required").';
/** fhirclient's "required" refuses a server whose discovery does not list S256; "unsafeV1" sends it anyway. */
const FIX_UNADVERTISED =
  'Send code_challenge with code_challenge_method=S256 and the matching code_verifier in the token request (fhirclient: pkceMode "unsafeV1", as the server does not list S256); server side, list S256 in code_challenge_methods_supported.';

/**
 * PKCE (RFC 7636) as the app used it. The verifier is redacted at capture; what is kept is its S256
 * hash (secretFacts.verifierChallenge), which equals the authorize `code_challenge` when the pair is
 * right — for `plain`, the hash of the challenge (which is the verifier itself) is compared instead.
 */
export const pkce: Rule = {
  id: 'pkce',
  severity: 'warning',
  title: 'PKCE missing or weak',
  detect(_launch, ctx) {
    if (!ctx.authorize) return [];
    // PKCE protects a code: a flow that asks for no code (implicit) is oauth-request-shape's to name.
    const responseType = getParam(ctx.authParams, 'response_type');
    if (responseType !== undefined && !/(?:^|\s)code(?:\s|$)/.test(responseType)) return [];
    // The exchange of a code: a token request of another grant (password…) carries no verifier.
    const token = ctx.tokens.find((t) => {
      const grant = formValue(t.exchange.form, 'grant_type');
      return grant === undefined || grant === 'authorization_code';
    });
    const challenge = getParam(ctx.authParams, 'code_challenge');
    const method = getParam(ctx.authParams, 'code_challenge_method');
    const verifier = token ? formValue(token.exchange.form, 'code_verifier') : undefined;
    // No form at all: the request's body was not recorded (its start event lost as the extension's
    // worker stopped), so whether it sent a verifier is unknown, not "no".
    const bodyUnknown = !!token && token.exchange.form === undefined;
    const problems: (PkceProblem | 'mismatch')[] = pkceProblems({
      tokenSeen: !!token,
      ...(challenge ? { challenge } : {}),
      ...(method ? { method } : {}),
      ...(verifier ? { verifier } : {}),
    });
    if (token && challenge && verifier && mismatched(ctx, token, challenge, method))
      problems.unshift('mismatch');
    const badCharacters = token?.exchange.secretFacts?.verifierBadCharacters;
    // The app's verifier had a "+" it sent raw in the form: the server read a space and hashed another.
    const plusSentRaw =
      problems[0] === 'mismatch' &&
      (method ?? 'plain') === 'S256' &&
      token?.exchange.secretFacts?.verifierPlusChallenge === challenge;
    const advertised = ctx.smartConfig?.code_challenge_methods_supported;
    const s256 = advertised?.includes('S256') ?? false;
    const answer = token?.failed ? ctx.tokenBodies.get(token.exchange.id) : undefined;
    // A server that checks PKCE refuses the grant (invalid_grant) or the request (invalid_request); an
    // invalid_client is about the client's authentication, a cause of its own (unexplained-failure).
    const refused =
      answer?.kind === 'error' &&
      (answer.value.error === 'invalid_grant' || answer.value.error === 'invalid_request');
    // The authorize request itself refused as invalid: a server that requires PKCE answers so to a
    // request without a challenge, whether or not its discovery says S256.
    // Not when Oracle's URN names another cause (a missing aud, a launch code): rules of their own.
    const authorizeRefused =
      !token &&
      ctx.callbacks.some(
        (c) =>
          getParam(c.decoded, 'error') === 'invalid_request' &&
          !findOracleUrn(getParam(c.decoded, 'error_uri')),
      );
    const relevant = problems.filter(
      (p) =>
        (p !== 'challenge-missing' || s256 || refused || authorizeRefused) &&
        !(p === 'verifier-missing' && bodyUnknown),
    );
    if (!relevant.length && !badCharacters) return [];
    const broken = relevant.find(
      (p) => p === 'mismatch' || p === 'verifier-missing' || p === 'verifier-unexpected',
    );
    const text: Record<PkceProblem | 'mismatch', string> = {
      mismatch: plusSentRaw
        ? 'The code_verifier reached the token endpoint with a space where the verifier behind the code_challenge has a "+": the app sent its "+" unencoded in the form body, where it reads as a space, so the server hashed another verifier.'
        : `The code_verifier sent to the token endpoint does not match the code_challenge sent to authorize (${method ?? 'plain'}): the app sent the verifier of another authorization.`,
      'challenge-missing': `The authorize request has no code_challenge${s256 ? ' although the server advertises S256 (code_challenge_methods_supported)' : ''}.`,
      'method-plain':
        'PKCE uses the plain method, which gives no protection if the authorize URL leaks; use S256.',
      'method-unknown': `Unknown code_challenge_method ${method}.`,
      'verifier-missing': 'The token request has no code_verifier although authorize sent a code_challenge.',
      'verifier-unexpected':
        'The token request sends a code_verifier although authorize sent no code_challenge.',
      'verifier-length': 'The code_verifier is not 43–128 characters long.',
    };
    // A server that advertises S256 and refuses the exchange of a code got without a challenge requires PKCE,
    // unless the code was exchanged a minute or more after the callback: then it may simply have expired
    // (code-reuse says so), and PKCE is no more than likely.
    const callback = ctx.callbacks.find((c) => getParam(c.decoded, 'code') !== undefined);
    const late = !!token && !!callback && token.exchange.startedAt - callback.exchange.startedAt >= PROMPT_MS;
    const required = !broken && refused && s256 && relevant.includes('challenge-missing') && !late;
    // Plain PKCE sent to a server whose discovery lists only other methods, and the exchange refused.
    const plainRefused =
      !broken && refused && !late && plainUnsupported(ctx) && relevant.includes('method-plain');
    const atAuthorize = !broken && authorizeRefused && relevant.includes('challenge-missing');
    const verdict = required
      ? ' The server refused the token request, most likely because it requires PKCE.'
      : plainRefused
        ? ` The server lists only ${advertised?.join(', ')} in code_challenge_methods_supported and refused the token request: most likely because of the plain method (the code was exchanged at once, so it had not expired).`
        : atAuthorize
          ? ` The server refused the authorize request (invalid_request), which a server that requires PKCE does for a request without a challenge${s256 ? '' : ". It does not list S256 in code_challenge_methods_supported, so an app that sends PKCE only when it is advertised (fhirclient's default) sends none"}.`
          : !broken
            ? ''
            : refused
              ? ' The server refused the token request for it.'
              : token && !token.failed
                ? ' The server accepted it anyway; a server that checks PKCE will refuse it.'
                : '';
    const characters = badCharacters
      ? ` The code_verifier has characters RFC 7636 §4.1 does not allow (${[...(plusSentRaw ? `+${badCharacters.replace(' ', '')}` : badCharacters)].map((c) => (c === ' ' ? 'space' : `"${c}"`)).join(', ')}): only letters, digits, "-", ".", "_" and "~"${/[+/=]/.test(badCharacters) || plusSentRaw ? ', as Base64url without padding gives them, not standard Base64' : ''}.`
      : '';
    return [
      finding(
        this,
        (relevant.map((p) => text[p]).join(' ') + characters + verdict).trim(),
        [
          ev('code_challenge_method', method ?? (challenge ? 'plain (default)' : '(none)'), ctx.authorize),
          ev(
            'server supports',
            advertised?.join(', ') ??
              (ctx.discovery && !ctx.discovery.exchange.body
                ? '(unknown: its discovery document was fetched, its body not recorded)'
                : '(unknown)'),
            ctx.discovery,
          ),
          // The token step is cited only when this is why it failed or is wrong: a warning about the
          // authorize request alone leaves a refusal for another cause to the rule that names it.
          ...(token
            ? [
                ev(
                  'code_verifier sent',
                  verifier !== undefined,
                  broken || required || plainRefused ? token : undefined,
                ),
              ]
            : []),
          ...(relevant.includes('mismatch') ? [ev('verifier matches challenge', false, token)] : []),
        ],
        [
          advice(
            plusSentRaw
              ? 'Percent-encode the token request’s form (URLSearchParams does), and make the code_verifier of unreserved characters only: Base64url without padding.'
              : fixFor(broken, ctx.smartConfig !== undefined && !s256),
          ),
        ],
        !relevant.length
          ? { title: 'code_verifier of characters PKCE does not allow' }
          : required
            ? { severity: 'error', title: 'PKCE missing: token request refused' }
            : plainRefused
              ? { severity: 'error', title: 'PKCE plain method not supported: token request refused' }
              : atAuthorize
                ? { title: 'PKCE missing: authorize request refused' }
                : severityOf(broken, refused),
      ),
    ];
  },
};

/** The fix of what is wrong: the verifier of this authorization for a broken pair, else PKCE itself. */
function fixFor(broken: string | undefined, unadvertised: boolean): string {
  if (broken === 'mismatch')
    return 'Send the code_verifier created with this authorization’s code_challenge: keep it with its state and start one authorization at a time per tab (fhirclient keeps it in sessionStorage under the state; a second launch in the same tab replaces it).';
  if (broken === 'verifier-missing')
    return 'Send the code_verifier created with this authorization’s code_challenge in the token request.';
  if (broken === 'verifier-unexpected')
    return 'Send a code_challenge (S256) to authorize with every code_verifier sent to the token endpoint, or neither.';
  return unadvertised ? FIX_UNADVERTISED : FIX;
}

function severityOf(broken: string | undefined, refused: boolean) {
  if (broken === 'mismatch')
    return {
      severity: 'error' as const,
      title: refused ? 'PKCE mismatch: token request refused' : 'PKCE mismatch',
    };
  if (broken && refused)
    return { severity: 'error' as const, title: 'PKCE incomplete: token request refused' };
  return {};
}

/**
 * The token request's PKCE half does not fit the authorize request's: no verifier for a challenge, a
 * verifier without a challenge, or one whose hash shows it belongs to another challenge. A server may
 * then answer with its invalid-code URN (rules/code-reuse.ts leaves that answer to this rule).
 */
export function pkceBroken(ctx: RuleContext, token: Step): boolean {
  const challenge = getParam(ctx.authParams, 'code_challenge');
  const verifier = formValue(token.exchange.form, 'code_verifier');
  if (!challenge) return verifier !== undefined;
  const method = getParam(ctx.authParams, 'code_challenge_method');
  return (
    verifier === undefined ||
    mismatched(ctx, token, challenge, method) ||
    ((method ?? 'plain') === 'plain' && plainUnsupported(ctx))
  );
}

/** Discovery lists its PKCE methods, and plain is not one of them. */
function plainUnsupported(ctx: RuleContext): boolean {
  const advertised = ctx.smartConfig?.code_challenge_methods_supported;
  return !!advertised?.length && !advertised.includes('plain');
}

/** True when the verifier's recorded hash shows it does not belong to this challenge. */
function mismatched(ctx: RuleContext, token: Step, challenge: string, method: string | undefined): boolean {
  const plainFact = ctx.authorize?.exchange.secretFacts?.plainChallenge;
  const hashed = token.exchange.secretFacts?.verifierChallenge;
  const m = method ?? 'plain';
  if (!hashed || (m !== 'plain' && m !== 'S256')) return false;
  // A plain challenge is the verifier, masked when recorded: its S256 was kept (secretFacts.plainChallenge).
  if (m === 'plain') return hashed !== (plainFact ?? (isMasked(challenge) ? hashed : s256(challenge)));
  return !isMasked(challenge) && hashed !== challenge;
}

/** BASE64URL(SHA-256(text)), as RFC 7636 builds an S256 challenge. */
function s256(text: string): string {
  let bin = '';
  for (const b of sha256(utf8ToBytes(text))) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange, Launch } from '../../utils/model';
import { mask } from '../../utils/redact/mask';
import { makeExchange } from '../fixtures/exchange';
import {
  authorize,
  callback,
  discovery,
  launchPage,
  otherServerFlow,
  smartConfiguration,
} from '../fixtures/other-server';

/**
 * An app whose first authorization was refused authorizes again, with other scopes and a new PKCE
 * challenge, and obtains its token: the token request exchanged the second authorization's code.
 */
const flow = otherServerFlow();
const FIRST = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const SECOND = 'qjrzSW9gMiUgpUvqgEPE4_-8swvyCtfOVvg55o5S_es';
/** A verifier as the recorder keeps it: masked, its length told. */
const VERIFIER_MASKED = mask('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
const pkceOf = (challenge: string) => `&code_challenge=${challenge}&code_challenge_method=S256`;

/**
 * The app's token request exchanging `code` (its verifier masked, as the recorder keeps it), answered
 * with a Bearer token and `extra` fields.
 */
function tokenExchange(
  sent: { code: string; codeFingerprint?: string; verifierChallenge: string },
  extra: Record<string, unknown>,
): Exchange {
  const { code, ...secretFacts } = sent;
  return makeExchange({
    id: 'token',
    url: `${flow.auth}/token`,
    method: 'POST',
    type: 'xmlhttprequest',
    initiator: flow.app,
    status: 200,
    startedAt: 2_400,
    form: {
      grant_type: ['authorization_code'],
      code: [code],
      client_id: ['app'],
      code_verifier: [VERIFIER_MASKED],
    },
    secretFacts,
    body: {
      text: JSON.stringify({ access_token: '[masked]', token_type: 'Bearer', expires_in: 3600, ...extra }),
      mimeType: 'application/json',
      truncated: false,
    },
  });
}

function retried(verifierChallenge: string): Exchange[] {
  const config = smartConfiguration(flow, {
    scopes_supported: ['launch', 'openid', 'fhirUser', 'patient/*.rs', 'patient/Patient.rs'],
    code_challenge_methods_supported: ['S256'],
  });
  const refusedAt = `${flow.redirect}?error=invalid_scope&error_description=user%2F*.cruds%20is%20not%20allowed&state=${flow.state}`;
  const second = otherServerFlow({ state: 'st-second-attempt' });
  const back = `code=c2&state=${second.state}`;
  return [
    launchPage(flow),
    discovery(flow, config),
    authorize(flow, 'launch openid patient/*.rs user/*.cruds', pkceOf(FIRST), {
      status: 302,
      location: refusedAt,
    }),
    callback(flow, refusedAt.slice(refusedAt.indexOf('?') + 1)),
    authorize(second, 'launch openid patient/*.rs', pkceOf(SECOND), {
      id: 'authorize-2',
      startedAt: 2_200,
      status: 302,
      location: `${flow.redirect}?${back}`,
    }),
    callback(second, back, { id: 'callback-2', startedAt: 2_300 }),
    tokenExchange({ code: 'c2', verifierChallenge }, { scope: 'launch openid patient/*.rs', patient: 'p1' }),
    makeExchange({
      id: 'fhir',
      url: `${flow.iss}/Patient/p1`,
      type: 'xmlhttprequest',
      initiator: flow.app,
      status: 200,
      startedAt: 2_600,
    }),
  ];
}

const launchOf = (xs: Exchange[]): Launch => {
  const launches = analyze(xs, { now: 600_000 });
  expect(launches).toHaveLength(1);
  return launches[0]!;
};
const ids = (l: Launch) => l.findings.map((f) => `${f.severity}:${f.ruleId}`);

describe('a launch that authorized again after a refusal', () => {
  it('reads PKCE and the scopes of the authorization whose code was exchanged', () => {
    const l = launchOf(retried(SECOND));
    expect(l.status).toBe('succeeded');
    expect(l.steps.filter((s) => s.kind === 'authorize')).toHaveLength(2);
    // No false PKCE mismatch (the first challenge), no scope "dropped" that only the first attempt asked for.
    expect(ids(l).filter((id) => id.endsWith(':pkce'))).toEqual([]);
    expect(ids(l).some((id) => id.endsWith(':scopes-trimmed'))).toBe(false);
  });

  it('the refusal it went past: a warning, naming the scope of the refused attempt only', () => {
    const f = launchOf(retried(SECOND)).findings.find((x) => x.ruleId === 'scope-rejected')!;
    expect(f.severity).toBe('warning');
    expect(f.summary).toContain('user/*.cruds (wildcard, not in scopes_supported)');
    // patient/*.rs is listed in scopes_supported: a SMART wildcard this server allows.
    expect(f.summary).not.toContain('patient/*.rs');
    expect(f.summary).toContain('The app then authorized again and obtained a token.');
  });

  it('a verifier of the first attempt sent with the second code is still a PKCE mismatch', () => {
    expect(ids(launchOf(retried(FIRST)))).toContain('error:pkce');
  });
});

describe('a launch that authorized twice and exchanged the first code', () => {
  /** Two authorizations, each answered with a code; the token request sends the first code and its verifier. */
  function twoCodes(): Exchange[] {
    const second = otherServerFlow({ state: 'st-second-attempt' });
    return [
      launchPage(flow),
      discovery(flow, smartConfiguration(flow, { code_challenge_methods_supported: ['S256'] })),
      authorize(flow, 'launch openid patient/Patient.rs', pkceOf(FIRST), { status: 302 }),
      callback(flow, `code=c1&state=${flow.state}`, { secretFacts: { codeFingerprint: 'fp-c1' } }),
      authorize(second, 'launch openid patient/Patient.rs', pkceOf(SECOND), {
        id: 'authorize-2',
        startedAt: 2_200,
        status: 302,
      }),
      callback(second, `code=c2&state=${second.state}`, {
        id: 'callback-2',
        startedAt: 2_300,
        secretFacts: { codeFingerprint: 'fp-c2' },
      }),
      tokenExchange(
        { code: '[masked]', codeFingerprint: 'fp-c1', verifierChallenge: FIRST },
        { patient: 'p1' },
      ),
    ];
  }

  it('reads PKCE from the authorization whose code the fingerprints name, not the latest', () => {
    const l = launchOf(twoCodes());
    expect(ids(l).filter((id) => id.endsWith(':pkce'))).toEqual([]);
  });
});

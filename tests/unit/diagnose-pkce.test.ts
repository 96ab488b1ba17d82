import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange, Finding, Launch } from '../../utils/model';
import { CHALLENGE, VERIFIER } from '../fixtures/exchanges/oracle-flow';
import { withToken } from '../fixtures/exchanges/outcomes';
import { loadExchanges } from '../fixtures/load';

/** S256 of a verifier that does not belong to the authorize request's challenge. */
const OTHER_CHALLENGE = 'Zm9vYmFyLWEtZGlmZmVyZW50LXZlcmlmaWVyLWhhc2g';
/** In the plain method the challenge is the verifier itself: the RFC 7636 example verifier, whose S256 is CHALLENGE. */
const PLAIN = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const REFUSED = {
  status: 400,
  body: { error: 'invalid_grant', error_description: 'PKCE verification failed' },
};

function launchOf(ex: Exchange[]): Launch {
  const launches = analyze(ex);
  expect(launches).toHaveLength(1);
  return launches[0]!;
}
const pkceOf = (l: Launch): Finding | undefined => l.findings.find((f) => f.ruleId === 'pkce');
const failedKind = (l: Launch) => l.steps.find((s) => s.exchange.id === l.failedAt)?.kind;

describe('rule pkce', () => {
  it('a matching S256 pair says nothing', () => {
    const l = launchOf(withToken({ verifierChallenge: CHALLENGE }));
    expect(pkceOf(l)).toBeUndefined();
    expect(l.status).toBe('succeeded');
  });

  it('a verifier of another challenge, refused: error, the launch fails at the token step', () => {
    const l = launchOf(withToken({ verifierChallenge: OTHER_CHALLENGE, ...REFUSED }));
    const f = pkceOf(l)!;
    expect(f).toMatchObject({ severity: 'error', title: 'PKCE mismatch: token request refused' });
    expect(f.summary).toMatch(/does not match the code_challenge .*refused the token request/);
    expect(f.evidence.find((e) => e.label === 'verifier matches challenge')?.value).toBe('false');
    // The app already uses PKCE: the fix is the verifier of this authorization, not "send PKCE".
    expect(f.fixes.map((x) => x.label)).toEqual([
      expect.stringMatching(
        /^Send the code_verifier created with this authorization’s code_challenge: keep it with its state/,
      ),
    ]);
    expect(l.status).toBe('failed');
    expect(failedKind(l)).toBe('token');
    expect(l.findings[0]!.ruleId).toBe('pkce');
  });

  it('a mismatch the server accepted is still named, as an error', () => {
    const l = launchOf(withToken({ verifierChallenge: OTHER_CHALLENGE }));
    expect(pkceOf(l)).toMatchObject({ severity: 'error', title: 'PKCE mismatch' });
    expect(pkceOf(l)!.summary).toContain('The server accepted it anyway');
    expect(l.status).toBe('succeeded');
  });

  it('plain: a warning; its pair is checked by hashing the challenge', () => {
    const ok = launchOf(withToken({ verifierChallenge: CHALLENGE }, { authorize: { pkce: 'plain' } }));
    expect(pkceOf(ok)).toMatchObject({ severity: 'warning' });
    expect(pkceOf(ok)!.summary).toMatch(/^PKCE uses the plain method/);
    // The authorize fixture's plain challenge is the masked VERIFIER; with a clear one the hash is compared.
    expect(VERIFIER).toMatch(/…\[43\]$/);
    const clear = (ex: Exchange[]) =>
      ex.map((e) =>
        e.url.includes('code_challenge=')
          ? { ...e, url: e.url.replace(/code_challenge=[^&]+/, `code_challenge=${PLAIN}`) }
          : e,
      );
    const good = launchOf(
      clear(withToken({ verifierChallenge: CHALLENGE }, { authorize: { pkce: 'plain' } })),
    );
    expect(pkceOf(good)!.title).toBe('PKCE missing or weak');
    const bad = launchOf(
      clear(withToken({ verifierChallenge: OTHER_CHALLENGE }, { authorize: { pkce: 'plain' } })),
    );
    expect(pkceOf(bad)!.title).toBe('PKCE mismatch');
  });

  it("plain, recorded masked: the challenge's S256 kept at capture checks the pair", () => {
    const withFact = (ex: Exchange[], fact: string) =>
      ex.map((e) =>
        e.url.includes('code_challenge=')
          ? { ...e, secretFacts: { ...e.secretFacts, plainChallenge: fact } }
          : e,
      );
    const plain = { authorize: { pkce: 'plain' as const } };
    expect(
      pkceOf(launchOf(withFact(withToken({ verifierChallenge: CHALLENGE }, plain), CHALLENGE)))!.title,
    ).toBe('PKCE missing or weak');
    expect(
      pkceOf(launchOf(withFact(withToken({ verifierChallenge: OTHER_CHALLENGE }, plain), CHALLENGE)))!.title,
    ).toBe('PKCE mismatch');
  });

  it('plain sent to a server that lists only S256, the code refused at once: the plain method is the cause', () => {
    const l = launchOf(
      withToken(
        {
          verifierChallenge: CHALLENGE,
          status: 400,
          body: {
            error: 'invalid_grant',
            error_uri: `https://authorization.cerner.com/errors/${encodeURIComponent('urn:cerner:error:authorization-server:oauth2:token:code:invalid')}`,
          },
        },
        { authorize: { pkce: 'plain' } },
      ),
    );
    expect(l.status).toBe('failed');
    expect(l.findings[0]).toMatchObject({
      ruleId: 'pkce',
      severity: 'error',
      title: 'PKCE plain method not supported: token request refused',
    });
    expect(l.findings[0]!.summary).toContain('lists only S256 in code_challenge_methods_supported');
    expect(l.findings.map((f) => f.ruleId)).not.toContain('code-reuse');
  });

  it('a challenge without a verifier: error when refused, warning when accepted', () => {
    const refused = launchOf(loadExchanges('pkce-mismatch'));
    expect(pkceOf(refused)).toMatchObject({
      severity: 'error',
      title: 'PKCE incomplete: token request refused',
    });
    expect(refused.status).toBe('failed');
    expect(pkceOf(refused)!.fixes[0]!.label).toBe(
      'Send the code_verifier created with this authorization’s code_challenge in the token request.',
    );
    const accepted = launchOf(withToken({ verifier: null }));
    expect(pkceOf(accepted)).toMatchObject({ severity: 'warning' });
    expect(pkceOf(accepted)!.summary).toMatch(/no code_verifier.*accepted it anyway/);
  });

  it('a token request refused for the client’s credentials is not blamed on PKCE', () => {
    const urn = 'urn:cerner:error:authorization-server:oauth2:token:invalid_client_credentials';
    const l = launchOf(
      withToken(
        {
          verifier: null,
          status: 401,
          body: {
            error: 'invalid_client',
            error_uri: `https://authorization.cerner.com/errors/${encodeURIComponent(urn)}`,
          },
        },
        { authorize: { pkce: 'none' } },
      ),
    );
    expect(l.status).toBe('failed');
    expect(failedKind(l)).toBe('token');
    // No PKCE verdict on a refusal that names another cause; the lint of the authorize request stays.
    expect(pkceOf(l)).toMatchObject({ severity: 'warning', title: 'PKCE missing or weak' });
    expect(pkceOf(l)!.summary).not.toContain('requires PKCE');
    expect(l.findings[0]).toMatchObject({
      ruleId: 'unexplained-failure',
      title: 'Invalid client credentials',
    });
  });

  it('a verifier without a challenge, and S256 advertised but unused', () => {
    const l = launchOf(withToken({}, { authorize: { pkce: 'none' } }));
    const f = pkceOf(l)!;
    expect(f.severity).toBe('warning');
    expect(f.summary).toContain('no code_challenge although the server advertises S256');
    expect(f.summary).toContain('sends a code_verifier although authorize sent no code_challenge');
    const none = launchOf(withToken({ verifier: null }, { authorize: { pkce: 'none' } }));
    expect(pkceOf(none)!.summary).toBe(
      'The authorize request has no code_challenge although the server advertises S256 (code_challenge_methods_supported).',
    );
  });

  it("says the server's methods are unknown because discovery's body was not recorded, when it was fetched", () => {
    const exchanges = loadExchanges('pkce-mismatch').map((e) =>
      e.url.includes('/.well-known/smart') ? ({ ...e, body: undefined } as Exchange) : e,
    );
    const [l] = analyze(exchanges);
    const f = l!.findings.find((x) => x.ruleId === 'pkce')!;
    expect(f.evidence.find((e) => e.label === 'server supports')?.value).toBe(
      '(unknown: its discovery document was fetched, its body not recorded)',
    );
  });
});

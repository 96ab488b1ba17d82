import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Launch } from '../../utils/model';
import { APP, errorUri, Recorder, tokenPost } from '../fixtures/exchanges/oracle-flow';
import { toCallback } from '../fixtures/exchanges/outcomes';

/**
 * One token request, refused with Oracle's invalid-or-expired code URN: when it was sent decides what is
 * said. Right after the callback the code cannot have expired; a redirect_uri other than the authorize
 * request's is its own rule's.
 */
function refusedAfter(
  waitMs: number,
  o: { redirectUri?: string; withoutPkce?: boolean; plain?: boolean; otherVerifier?: boolean } = {},
): Launch {
  const r = new Recorder();
  toCallback(r, undefined, o.withoutPkce ? { pkce: 'none' } : {});
  r.wait(waitMs);
  tokenPost(r, {
    status: 400,
    // `plain`: another server's answer, no URN.
    body: o.plain
      ? { error: 'invalid_grant', error_description: 'The authorization code has expired.' }
      : { error: 'invalid_grant', error_uri: errorUri('oauth2:token:code-invalid-or-expired') },
    // The S256 of the verifier sent, as capture records it: another authorization's.
    ...(o.otherVerifier ? { verifierChallenge: 'qjrzSW9gMiUgpUvqgEPE4_-8swvyCtfOVvg55o5S_es' } : {}),
    ...(o.redirectUri ? { redirectUri: o.redirectUri } : {}),
    ...(o.withoutPkce ? { verifier: null } : {}),
  });
  const [launch] = analyze(r.out);
  expect(launch!.status).toBe('failed');
  return launch!;
}

const codeFinding = (l: Launch) => l.findings.find((f) => f.ruleId === 'code-reuse');

describe('rule code-reuse: one token request refused for its code', () => {
  it('sent right after the callback: not expiry; another exchange or an altered request', () => {
    const f = codeFinding(refusedAfter(300))!;
    expect(f.title).toBe('Authorization code invalid or expired');
    expect(f.summary).toContain('too soon for the code to expire');
    expect(f.fixes[0]!.label).toMatch(/^Check that only one party exchanges the code/);
  });

  it('sent minutes later: exchange it right away', () => {
    const f = codeFinding(refusedAfter(11 * 60_000))!;
    // The launch keeps its callback (the code's fingerprint ties the two): the wait is measured.
    expect(f.summary).toMatch(/\(66\d s after the callback\)/);
    expect(f.summary).not.toContain('too soon');
    expect(f.fixes[0]!.label).toBe('Exchange the code right after the callback, once.');
  });

  it('with another redirect_uri than authorize’s: that is the cause, said by its own rule', () => {
    const l = refusedAfter(300, { redirectUri: `${APP}/other.html` });
    expect(codeFinding(l)).toBeUndefined();
    expect(l.findings[0]).toMatchObject({ ruleId: 'redirect-uri-mismatch', severity: 'error' });
  });
});

describe('rule code-reuse: a plain invalid_grant (no URN) for one token request', () => {
  it('sent minutes after the callback: the code expired, in the server’s words too', () => {
    const l = refusedAfter(11 * 60_000, { plain: true });
    const f = codeFinding(l)!;
    expect(f).toMatchObject({ title: 'Authorization code expired', severity: 'error' });
    expect(f.summary).toMatch(
      /^The token endpoint refused the code \(invalid_grant\) 66\d s \(11 min \d+ s\) after the callback\. Codes live briefly/,
    );
    expect(f.summary).toContain('The server said: “The authorization code has expired.”');
    expect(l.findings[0]).toBe(f);
  });

  it('right after the callback it says too little: the generic reading, no expiry claimed', () => {
    const l = refusedAfter(300, { plain: true });
    expect(codeFinding(l)).toBeUndefined();
    expect(l.findings[0]).toMatchObject({ ruleId: 'unexplained-failure', title: 'Invalid grant' });
  });

  it('late, with a verifier of another authorization: the mismatch is the cause, not the wait', () => {
    const l = refusedAfter(11 * 60_000, { plain: true, otherVerifier: true });
    expect(codeFinding(l)).toBeUndefined();
    expect(l.findings[0]!.ruleId).toBe('pkce');
  });
});

describe('rule pkce beside a code refused minutes after the callback', () => {
  it('the late exchange explains the refusal: PKCE stays a warning and does not claim it', () => {
    const l = refusedAfter(185_000, { withoutPkce: true });
    expect(l.findings[0]).toMatchObject({ ruleId: 'code-reuse', severity: 'error' });
    const pkce = l.findings.find((f) => f.ruleId === 'pkce')!;
    expect(pkce.severity).toBe('warning');
    expect(pkce.summary).not.toContain('most likely because it requires PKCE');
  });

  it('right after the callback, nothing else explains it: the missing challenge is the likely cause', () => {
    const l = refusedAfter(300, { withoutPkce: true });
    const pkce = l.findings.find((f) => f.ruleId === 'pkce')!;
    expect(pkce.summary).toContain('most likely because it requires PKCE');
  });
});

import { describe, expect, it } from 'vitest';
import { importHar } from '../../utils/har/import';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange } from '../../utils/model';
import { makeExchange } from '../fixtures/exchange';
import { proxyHar } from '../fixtures/har/proxy-har';

/** A refused refresh ends the app's session once its access token expires; a later successful one recovers. */

const AS = 'https://auth.example-ehr.org';
const ISS = 'https://fhir.example-ehr.org/r4';
const json = (value: object) => ({
  text: JSON.stringify(value),
  mimeType: 'application/json',
  truncated: false,
});

function session(refreshes: { status: number; body: object }[]): Exchange[] {
  const out: Exchange[] = [
    makeExchange({
      id: 'launch',
      source: 'har',
      url: `https://app.example/launch?iss=${encodeURIComponent(ISS)}&launch=L1`,
      status: 200,
      startedAt: 0,
    }),
    makeExchange({
      id: 'token',
      source: 'har',
      type: 'xmlhttprequest',
      method: 'POST',
      url: `${AS}/token`,
      status: 200,
      startedAt: 1_000,
      form: { grant_type: ['authorization_code'], code: ['c'] },
      body: json({
        access_token: 'a',
        token_type: 'Bearer',
        expires_in: 300,
        refresh_token: 'r',
        patient: 'p',
      }),
    }),
  ];
  for (const [i, r] of refreshes.entries()) {
    out.push(
      makeExchange({
        id: `refresh-${i}`,
        source: 'har',
        type: 'xmlhttprequest',
        method: 'POST',
        url: `${AS}/token`,
        status: r.status,
        startedAt: 600_000 * (i + 1),
        form: { grant_type: ['refresh_token'], refresh_token: ['r'] },
        body: json(r.body),
      }),
    );
  }
  return out;
}

const REFUSED = { status: 400, body: { error: 'invalid_grant', error_description: 'Refresh token revoked' } };
const FRESH = { status: 200, body: { access_token: 'b', token_type: 'Bearer', expires_in: 300 } };

describe('rule refresh-refused', () => {
  it('a refused refresh fails the launch, in the server’s words, with the refresh token as the cause', () => {
    const [l] = analyze(session([REFUSED]));
    expect(l!.status).toBe('failed');
    const f = l!.findings[0]!;
    expect(f).toMatchObject({
      ruleId: 'refresh-refused',
      severity: 'error',
      title: 'Token refresh refused: Refresh token invalid',
    });
    expect(f.summary).toContain(
      '(HTTP 400 invalid_grant): the refresh token is invalid, expired or revoked.',
    );
    expect(f.summary).toContain('The server said: “Refresh token revoked”.');
    expect(l!.steps.find((s) => s.exchange.id === l!.failedAt)?.kind).toBe('refresh');
  });

  it('after a refresh that brought a new refresh token: rotation, the replaced token named as the cause', () => {
    const rotating = { status: 200, body: { ...FRESH.body, refresh_token: 'r2' } };
    const f = analyze(session([rotating, REFUSED]))[0]!.findings[0]!;
    expect(f).toMatchObject({
      ruleId: 'refresh-refused',
      title: 'Token refresh refused: refresh token already replaced',
    });
    expect(f.summary).toMatch(
      /The token refresh 600 s earlier got a new refresh token: this server rotates them/,
    );
    expect(f.fixes[0]!.label).toBe(
      'Keep the refresh_token of each refresh response and send that one next time (fhirclient does).',
    );
    // A refresh before it that brought no new refresh token: no rotation claimed.
    const plain = analyze(session([FRESH, REFUSED]))[0]!.findings[0]!;
    expect(plain.title).toBe('Token refresh refused: Refresh token invalid');
  });

  it('a refresh that succeeds after the refused one: the app recovered, nothing to report', () => {
    const [l] = analyze(session([REFUSED, FRESH]));
    expect(l!.findings.map((f) => f.ruleId)).not.toContain('refresh-refused');
    expect(l!.status).toBe('succeeded');
  });

  it('Oracle’s URN says why: the user’s session ended', () => {
    const urn = 'urn:cerner:error:authorization-server:oauth2:token:refresh-token:session-invalid';
    const refused = {
      status: 400,
      body: {
        error: 'invalid_grant',
        error_uri: `https://authorization.cerner.com/errors/${encodeURIComponent(urn)}/instances/1`,
      },
    };
    const f = analyze(session([refused]))[0]!.findings[0]!;
    expect(f.ruleId).toBe('refresh-refused');
    expect(f.evidence).toContainEqual(expect.objectContaining({ label: 'server error', value: urn }));
    expect(f.summary).toContain("the user's session has ended");
  });
});

describe('a refresh sent with another client_id than the launch was authorized for', () => {
  const AUTHZ = `${AS}/authorize`;
  const APP = 'https://cardio.example-vendor.com';
  const state = 'st-refresh-client-0123456789';
  const authorize = `${AUTHZ}?response_type=code&client_id=cardio&redirect_uri=${encodeURIComponent(`${APP}/cb`)}&scope=${encodeURIComponent('launch/patient openid fhirUser offline_access patient/Patient.rs')}&state=${state}&aud=${encodeURIComponent(ISS)}`;
  const callback = `${APP}/cb?code=code-0123456789abcdef&state=${state}`;
  const tokenPost = (at: number, form: string, status: number, body: object) => ({
    method: 'POST',
    url: `${AS}/token`,
    status,
    type: 'fetch',
    post: form,
    body: JSON.stringify(body),
    requestHeaders: { Origin: APP },
    startedDateTime: new Date(Date.UTC(2026, 11, 4, 9, 0, 0) + at).toISOString(),
  });
  const page = (at: number, url: string, status: number, location?: string) => ({
    url,
    status,
    ...(location ? { location } : {}),
    startedDateTime: new Date(Date.UTC(2026, 11, 4, 9, 0, 0) + at).toISOString(),
  });

  it('is the launch’s refresh, refused for it: the two client ids named', () => {
    const har = proxyHar([
      page(0, authorize, 302, callback),
      page(100, callback, 200),
      tokenPost(200, 'grant_type=authorization_code&code=code-0123456789abcdef&client_id=cardio', 200, {
        access_token: 'at-0123456789',
        token_type: 'Bearer',
        expires_in: 300,
        refresh_token: 'rt-0123456789',
        scope: 'launch/patient openid fhirUser offline_access patient/Patient.rs',
        patient: 'p',
      }),
      tokenPost(240_000, 'grant_type=refresh_token&refresh_token=rt-0123456789&client_id=other-app', 400, {
        error: 'invalid_grant',
      }),
    ]);
    const launches = analyze(importHar(har, 'r.har', 'imp'));
    expect(launches).toHaveLength(1);
    const [l] = launches;
    expect(l!.status).toBe('failed');
    expect(l!.findings[0]).toMatchObject({
      ruleId: 'refresh-refused',
      title: 'Token refresh refused: sent with another client_id',
    });
    expect(l!.findings[0]!.summary).toContain(
      'the refresh request names client_id other-app, but the launch was authorized for cardio',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange, Launch } from '../../utils/model';
import { parseTokenBody } from '../../utils/smart/token-response';
import { loadExchanges } from '../fixtures/load';

/**
 * Token responses servers and gateways really send: an OAuth error with HTTP 200, and expires_in as a
 * string of digits (Azure AD v1 and some gateways).
 */
function withTokenBody(text: string): Launch {
  const launches = analyze(
    loadExchanges('success-oracle').map(
      (e): Exchange =>
        e.form?.grant_type?.[0] === 'authorization_code' && e.body ? { ...e, body: { ...e.body, text } } : e,
    ),
  );
  expect(launches).toHaveLength(1);
  return launches[0]!;
}

const TOKEN = (expiresIn: unknown) =>
  JSON.stringify({
    access_token: '…[40]',
    token_type: 'bearer',
    expires_in: expiresIn,
    scope: 'launch user/Patient.read',
    patient: '12724066',
  });

describe('token responses servers really send', () => {
  it('HTTP 200 with an OAuth error for a body: no token, the launch failed there', () => {
    const l = withTokenBody('{"error":"invalid_grant","error_description":"Session not active"}');
    expect(l.status).toBe('failed');
    expect(l.steps.find((s) => s.exchange.id === l.failedAt)!.kind).toBe('token');
    expect(l.findings[0]).toMatchObject({
      ruleId: 'token-response-shape',
      severity: 'error',
      title: 'Token error sent with a success status',
    });
    expect(l.statusReason).toMatch(
      /its body is an OAuth error \(invalid_grant\).* The server said: “Session not active”\.$/,
    );
  });

  it('HTTP 200 with an HTML page, its body not recorded (no DevTools): its type says it is no token', () => {
    const tokenAnswered = (type: string) => {
      const launches = analyze(
        loadExchanges('success-oracle')
          .filter((e) => !e.url.includes('/r4/') || e.url.includes('.well-known'))
          .map((e): Exchange => {
            if (e.form?.grant_type?.[0] !== 'authorization_code') return e;
            const { body: _body, ...rest } = e;
            return { ...rest, responseHeaders: { ...e.responseHeaders, 'content-type': type } };
          }),
      );
      expect(launches).toHaveLength(1);
      return launches[0]!;
    };
    const page = tokenAnswered('text/html; charset=utf-8');
    expect(page.status).toBe('failed');
    expect(page.steps.find((s) => s.exchange.id === page.failedAt)!.kind).toBe('token');
    expect(page.findings[0]).toMatchObject({
      ruleId: 'token-response-shape',
      severity: 'error',
      title: 'Token request answered with a page',
    });
    // JSON whose body was not recorded: a token, as before.
    expect(tokenAnswered('application/json').status).toBe('succeeded');
  });

  it('expires_in as a string of digits: read as its number, a warning, the launch succeeded', () => {
    const l = withTokenBody(TOKEN('3599'));
    expect(l.status).toBe('succeeded');
    const f = l.findings.find((x) => x.title === 'expires_in sent as a string');
    expect(f).toMatchObject({ severity: 'warning' });
    expect(f!.summary).toMatch(/\("3599"\).*fhirclient 2\.x adds it to the current time as text/);
    expect(l.findings.some((x) => x.severity === 'error')).toBe(false);
  });

  it('a token request answered with a redirect (a gateway’s sign-in page): failed there, said so', () => {
    const launches = analyze(
      loadExchanges('success-oracle').map((e): Exchange => {
        if (e.form?.grant_type?.[0] !== 'authorization_code') return e;
        const { body: _body, ...rest } = e;
        return { ...rest, status: 302, location: 'https://sso.gateway.example/adfs/ls/?wa=wsignin1.0' };
      }),
    );
    expect(launches).toHaveLength(1);
    const l = launches[0]!;
    expect(l.status).toBe('failed');
    expect(l.steps.find((s) => s.exchange.id === l.failedAt)!.kind).toBe('token');
    expect(l.findings[0]).toMatchObject({
      ruleId: 'token-response-shape',
      title: 'Token request redirected',
    });
    expect(l.statusReason).toMatch(/\(HTTP 302 to sso\.gateway\.example\/adfs\/ls\/\), not with JSON/);
  });

  it('a token endpoint that fails (503, Retry-After): a server error, with how long it asks to wait', () => {
    const launches = analyze(
      loadExchanges('success-oracle').map(
        (e): Exchange =>
          e.form?.grant_type?.[0] === 'authorization_code'
            ? {
                ...e,
                status: 503,
                responseHeaders: { ...e.responseHeaders, 'retry-after': '120', 'content-type': 'text/html' },
                body: {
                  text: '<html><body><h1>503 Service Unavailable</h1></body></html>',
                  truncated: false,
                },
              }
            : e,
      ),
    );
    const l = launches[0]!;
    expect(l.status).toBe('failed');
    expect(l.findings[0]).toMatchObject({
      ruleId: 'unexplained-failure',
      title: 'Server error at token (authorization_code)',
    });
    expect(l.statusReason).toMatch(
      /\(HTTP 503\): a fault on its side, not something the launch sent wrong\. It asks clients to wait before trying again \(Retry-After: 120\)\. The server said: “503 Service Unavailable”\.$/,
    );
  });

  it('parseTokenBody: a string of digits is the number, anything else stays unreadable', () => {
    const ok = parseTokenBody(TOKEN(' 3599 '));
    expect(ok).toMatchObject({ kind: 'token', expiresInText: ' 3599 ', value: { expires_in: 3599 } });
    expect(parseTokenBody(TOKEN(3599))).not.toHaveProperty('expiresInText');
    expect(parseTokenBody(TOKEN('soon')).kind).toBe('invalid');
    expect(parseTokenBody('{"error":"invalid_grant","expires_in":"5"}').kind).toBe('error');
  });

  it('an EHR launch whose token response has no patient: a warning; an error once a read for the missing patient fails', () => {
    const withoutPatient = (read?: { url: string; status: number }) => {
      const ex = loadExchanges('success-oracle')
        .filter((e) => !/\/Patient\/|\/Observation/.test(e.url))
        .map((e): Exchange => {
          if (e.form?.grant_type?.[0] !== 'authorization_code' || !e.body) return e;
          const body = JSON.parse(e.body.text) as Record<string, unknown>;
          delete body.patient;
          return { ...e, body: { ...e.body, text: JSON.stringify(body) } };
        });
      const token = ex.find((e) => e.form?.grant_type)!;
      if (read)
        ex.push({
          ...token,
          id: 'read',
          requestId: 'read',
          method: 'GET',
          url: read.url,
          status: read.status,
          startedAt: token.startedAt + 200,
          completedAt: token.startedAt + 250,
          form: undefined,
          body: undefined,
          responseHeaders: { 'content-type': 'application/fhir+json' },
        } as Exchange);
      const launches = analyze(ex);
      expect(launches).toHaveLength(1);
      return launches[0]!;
    };
    const quiet = withoutPatient();
    expect(quiet.status).toBe('succeeded');
    expect(quiet.findings.find((f) => f.title === 'No patient in the launch context')).toMatchObject({
      severity: 'warning',
    });
    const base = 'https://fhir-ehr-code.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d';
    const lost = withoutPatient({ url: `${base}/Patient/undefined`, status: 404 });
    expect(lost.status).toBe('failed');
    expect(lost.failedAt).toBe('read');
    expect(lost.findings[0]).toMatchObject({ severity: 'error', title: 'No patient in the launch context' });
    expect(lost.findings[0]!.summary).toContain('asking for a patient id the app did not have');
  });

  it('a provider launch with user/ scopes that reads Patient/undefined: an error, with or without the token body', () => {
    const base = 'https://fhir-ehr-code.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d';
    const launchWith = (tokenBody: 'none' | 'no-patient' | 'patient') => {
      const ex = loadExchanges('success-oracle')
        .filter((e) => !/\/Patient\/|\/Observation/.test(e.url))
        .map((e): Exchange => {
          if (e.form?.grant_type?.[0] !== 'authorization_code' || !e.body) return e;
          if (tokenBody === 'none') return { ...e, body: undefined } as Exchange;
          const body = JSON.parse(e.body.text) as Record<string, unknown>;
          body.scope = 'launch openid fhirUser user/Patient.rs';
          if (tokenBody === 'no-patient') delete body.patient;
          return { ...e, body: { ...e.body, text: JSON.stringify(body) } };
        });
      const token = ex.find((e) => e.form?.grant_type)!;
      ex.push({
        ...token,
        id: 'read',
        requestId: 'read',
        method: 'GET',
        url: `${base}/Patient/undefined`,
        status: 404,
        startedAt: token.startedAt + 200,
        completedAt: token.startedAt + 250,
        form: undefined,
        body: undefined,
        responseHeaders: { 'content-type': 'application/fhir+json' },
      } as Exchange);
      const [l] = analyze(ex);
      return l!;
    };
    const none = launchWith('no-patient');
    expect(none.status).toBe('failed');
    expect(none.failedAt).toBe('read');
    expect(none.findings[0]).toMatchObject({ severity: 'error', title: 'FHIR request for an undefined id' });
    expect(none.findings[0]!.summary).toMatch(
      /failed \(HTTP 404\): the app asked for an id it did not have .* The token response names no patient/,
    );
    // Live without DevTools: the URL alone says it.
    const unrecorded = launchWith('none');
    expect(unrecorded.status).toBe('failed');
    expect(unrecorded.findings[0]!.summary).toContain(
      'Whether the token response named a patient was not recorded',
    );
    // The patient was there: the app did not use it.
    const ignored = launchWith('patient');
    expect(ignored.findings[0]!.summary).toMatch(
      /The token response named patient \S+: the app did not use it\./,
    );
  });
});

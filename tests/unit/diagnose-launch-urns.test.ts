import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange } from '../../utils/model';
import { loadExchanges } from '../fixtures/load';

/** The recorded invalid-launch redirect, with its URN tail (percent-encoded twice in the URL) swapped. */
function withLaunchUrn(tail: string): Exchange[] {
  const text = JSON.stringify(loadExchanges('launch-invalid'));
  expect(text).toContain('launch%253Ainvalid-code');
  return JSON.parse(text.replaceAll('launch%253Ainvalid-code', `launch%253A${tail}`)) as Exchange[];
}

function findings(exchanges: Exchange[]) {
  const [launch] = analyze(exchanges, {});
  return launch?.findings ?? [];
}

describe("launch errors by Oracle's published URNs", () => {
  it('launch:invalid-code is an invalid launch value', () => {
    const f = findings(withLaunchUrn('invalid-code')).find((x) => x.ruleId === 'launch-invalid');
    expect(f?.title).toBe('launch parameter invalid');
    expect(f?.evidence.find((e) => e.label === 'server error')?.value).toBe(
      'urn:cerner:error:authorization-server:smart-v1:grant:launch:invalid-code',
    );
  });

  it('launch:invalid-code for the value the app passed on unchanged: the value was spent, the fix is a fresh launch', () => {
    const text = JSON.stringify(loadExchanges('launch-invalid'));
    expect(text).toContain('launch=12345');
    const passedOn = JSON.parse(
      text.replaceAll('launch=12345', 'launch=2c0a9f5e-6d1b-4e7a-8c3f-5b9d1e2a7f60'),
    ) as Exchange[];
    const f = findings(passedOn).find((x) => x.ruleId === 'launch-invalid')!;
    expect(f.summary).toContain('which the app passed on unchanged: the value itself was not good');
    expect(f.fixes[0]!.label).toMatch(/^Launch the app again from the EHR for a fresh launch value/);
    // The value the app altered keeps the advice to pass it on unchanged.
    const altered = findings(withLaunchUrn('invalid-code')).find((x) => x.ruleId === 'launch-invalid')!;
    expect(altered.fixes[0]!.label).toMatch(
      /^Pass the launch value from the launch URL to authorize unchanged/,
    );
  });

  it('launch:launch-code-required is a missing launch value', () => {
    const f = findings(withLaunchUrn('launch-code-required')).find((x) => x.ruleId === 'launch-invalid');
    expect(f?.title).toBe('launch parameter missing');
  });

  it('launch:launch-code-required with no EHR launch recorded: the standalone fix comes first', () => {
    // The recording without the EHR's app start, preauth and launch URL: the app opened on its own.
    const standalone = withLaunchUrn('launch-code-required').filter(
      (e) => !e.url.startsWith('https://smart.cerner.com/') && !e.url.includes('/launch.html?'),
    );
    const f = findings(standalone).find((x) => x.ruleId === 'launch-invalid');
    expect(f?.title).toBe('launch parameter missing');
    expect(f?.summary).toContain('looks like a standalone launch, which asks for launch/patient');
    expect(f?.fixes[0]?.label).toMatch(/^For a standalone launch, request launch\/patient/);
    // With the EHR launch in the recording, the fix is to pass its launch value.
    const ehr = findings(withLaunchUrn('launch-code-required')).find((x) => x.ruleId === 'launch-invalid');
    expect(ehr?.summary).toMatch(/^The server needs the launch value the EHR passed/);
    expect(ehr?.fixes[0]?.label).toMatch(/^Pass the launch value/);
  });

  it('an old, unpublished spelling is not taken for a launch error', () => {
    const all = findings(withLaunchUrn('invalid-launch-code'));
    expect(all.length).toBeGreaterThan(0);
    expect(all.map((x) => x.ruleId)).not.toContain('launch-invalid');
  });
});

describe('launch:mismatchted-identity (sic)', () => {
  /** The recorded denial, its URN swapped; `signIn`: a sign-in POST before it, in this launch. */
  function mismatched(signIn: boolean): Exchange[] {
    const text = JSON.stringify(loadExchanges('denied-by-user'));
    expect(text).toContain('oauth2%253Agrant%253Adenied-by-user');
    const out = JSON.parse(
      text.replaceAll(
        'oauth2%253Agrant%253Adenied-by-user',
        'smart-v1%253Agrant%253Alaunch%253Amismatchted-identity',
      ),
    ) as Exchange[];
    if (!signIn) return out;
    const authorize = out[4]!;
    out.splice(5, 0, {
      ...authorize,
      id: 'login-post',
      requestId: 'login-post',
      method: 'POST',
      url: 'https://authorization.cerner.com/session-api/protocol/saml2/login',
      status: 302,
      startedAt: authorize.startedAt + 10,
      completedAt: authorize.startedAt + 20,
      responseHeaders: {},
    } as Exchange);
    return out;
  }

  it('after a sign-in in this launch: signed in as another user than the EHR launched for', () => {
    const f = findings(mismatched(true))[0]!;
    expect(f.title).toBe('Signed in as another user than the EHR launched for');
    expect(f.summary).toContain(
      'the user who signed in during this launch is not the user the EHR launched the app for (USR_PersonId 12742069)',
    );
    expect(f.fixes[0]).toMatchObject({ kind: 'clear-session', origin: 'https://authorization.cerner.com' });
  });

  it('without one: another user already signed in, cleared in one click', () => {
    const f = findings(mismatched(false))[0]!;
    expect(f.title).toBe('Different user already signed in');
    expect(f.summary).toContain('another user than the user the EHR launched the app for');
    expect(f.fixes.map((x) => x.kind)).toEqual(['clear-session', 'advice', 'relaunch']);
  });
});

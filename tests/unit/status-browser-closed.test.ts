import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange, Launch } from '../../utils/model';
import {
  APP,
  AUTH,
  authorize,
  callback,
  discovery,
  FHIR,
  launchPage,
  otherServerFlow,
  smartConfiguration,
} from '../fixtures/other-server';

/**
 * The browser closed (or crashed) during a launch: the recorder learns of it when the browser starts
 * again, and tells the analysis where the recording stopped (recordingEnds: the last event recorded).
 */
const flow = otherServerFlow();
const WATCHED = [`${APP}/*`, `${AUTH}/*`, `${FHIR}/*`];

/** Launch page, discovery, authorize answered with the code, and the callback at 1.3 s. */
function toCallback(): Exchange[] {
  const back = `${flow.redirect}?code=c0de-0123456789&state=${flow.state}`;
  return [
    launchPage(flow),
    discovery(flow, smartConfiguration(flow)),
    authorize(flow, 'launch openid user/Patient.rs', '', { status: 302, location: back }),
    callback(flow, `code=c0de-0123456789&state=${flow.state}`),
  ];
}

/** Up to the authorize request, answered with the sign-in page, where the user is. */
function atSignIn(phase: Exchange['phase'] = 'complete'): Exchange[] {
  return [
    launchPage(flow),
    discovery(flow, smartConfiguration(flow)),
    authorize(flow, 'launch openid user/Patient.rs', '', phase === 'pending' ? { phase } : { status: 200 }),
  ];
}

const only = (xs: Exchange[], opts: Parameters<typeof analyze>[1]): Launch => {
  const launches = analyze(xs, { watchedOrigins: WATCHED, ...opts });
  expect(launches).toHaveLength(1);
  return launches[0]!;
};
const ruleIds = (l: Launch) => l.findings.map((f) => f.ruleId);

describe('a launch the browser closed on', () => {
  it('at the callback: authorized, the closing named, and the app not blamed for losing its state', () => {
    const l = only(toCallback(), { now: 10_000, recordingEnds: [1_400] });
    expect(l.status).toBe('authorized');
    expect(l.statusReason).toBe(
      `The code reached ${APP}, and the browser closed right after it, before a token request was recorded.`,
    );
    expect(ruleIds(l)).not.toContain('state-lost');
  });

  it('the same launch without a browser restart: the app lost its state (unchanged)', () => {
    const l = only(toCallback(), { now: 600_000 });
    expect(l.status).toBe('failed');
    expect(ruleIds(l)).toContain('state-lost');
  });

  it('on the sign-in page: abandoned at once, saying the browser closed, not in progress for minutes', () => {
    const l = only(atSignIn(), { now: 20_000, recordingEnds: [4_200] });
    expect(l.status).toBe('abandoned');
    expect(l.statusReason).toBe(
      'The browser closed 3 s after authorize, before the launch completed: nothing after it was recorded.',
    );
    expect(only(atSignIn(), { now: 20_000 }).status).toBe('in-progress');
  });

  it('a launch idle for longer than the settling time before the browser closed is not cut off', () => {
    const l = only(atSignIn(), { now: 100_000, recordingEnds: [60_000] });
    expect(l.status).toBe('in-progress');
    expect(l.statusReason).toBe('Waiting after authorize.');
  });

  it('a launch that went on after the restart is not cut off by it', () => {
    const xs = [
      ...toCallback(),
      callback(flow, `code=c0de-0123456789&state=${flow.state}`, { id: 'again', startedAt: 9_000 }),
    ];
    expect(only(xs, { now: 600_000, recordingEnds: [1_400] }).status).toBe('failed');
  });

  it('a request whose answer was never recorded is named as such while the launch waits, and when abandoned', () => {
    expect(only(atSignIn('pending'), { now: 100_000 }).statusReason).toBe(
      "No answer to authorize was recorded: the request may still be running, or its answer did not reach the extension (Chrome drops events while it restarts the extension's worker).",
    );
    expect(only(atSignIn('pending'), { now: 1_000_000 }).statusReason).toBe(
      'Stopped at authorize, whose answer was never recorded: no activity for over 5 min.',
    );
  });

  it('recorded data (a HAR, no clock) is never cut off', () => {
    expect(only(atSignIn(), { recordingEnds: [1_300] }).status).toBe('in-progress');
  });

  it('a new list of recording ends is a new analysis, not a remembered one', () => {
    const xs = toCallback();
    expect(analyze(xs, { now: 600_000, watchedOrigins: WATCHED, shared: true })[0]!.status).toBe('failed');
    expect(
      analyze(xs, { now: 600_000, watchedOrigins: WATCHED, recordingEnds: [1_400], shared: true })[0]!.status,
    ).toBe('authorized');
  });
});

/**
 * A launch recorded before the app's origin was watched keeps telling the truth after the user watches
 * it: the callback was seen only as a navigation, so its token request could not have been recorded.
 * It stays `authorized` (not "state lost"), and says the origin was not watched when it ran.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange, Launch } from '../../utils/model';
import { loadExchanges } from '../fixtures/load';

const APP = 'http://localhost:5173';
const watchedNow = { watchedOrigins: ['http://localhost/*'] };

function only(exchanges: Exchange[], opts = {}): Launch {
  const launches = analyze(exchanges, opts);
  expect(launches).toHaveLength(1);
  return launches[0]!;
}
const ids = (l: Launch) => l.findings.map((f) => `${f.severity}:${f.ruleId}`);

describe('an origin watched after the launch ran', () => {
  // The fixture's app pages (launch page, callback) were seen by webNavigation only: not watched then.
  const recorded = loadExchanges('token-invisible');

  it('stays authorized, with a reason about the time of the launch and a relaunch fix', () => {
    const l = only(recorded, watchedNow);
    expect(l.status).toBe('authorized');
    expect(ids(l)).toEqual(['warning:token-not-visible']);
    expect(l.statusReason).toBe(
      `The code reached ${APP}, but its token request was not visible: ${APP} was not watched when this launch ran and DevTools was not open on the tab.`,
    );
    expect(l.findings[0]!.summary).toContain('was not watched when this launch ran (it is now)');
    // Watching again would change nothing: the fix is to relaunch.
    expect(l.findings[0]!.fixes.map((f) => f.kind)).toEqual(['relaunch']);
  });

  it('live too: in progress, then authorized once settled, never state lost', () => {
    const last = Math.max(...recorded.map((e) => e.completedAt ?? e.startedAt));
    expect(only(recorded, { ...watchedNow, now: last + 1000 }).status).toBe('in-progress');
    const settled = only(recorded, { ...watchedNow, now: last + 60_000 });
    expect(settled.status).toBe('authorized');
    expect(ids(settled)).not.toContain('error:state-lost');
  });

  it('a callback webRequest saw (origin watched then) without a token request is still state lost', () => {
    const watchedThen = recorded.map((e) =>
      e.source === 'webNavigation' ? { ...e, source: 'webRequest' as const } : e,
    );
    const l = only(watchedThen, watchedNow);
    expect(l.status).toBe('failed');
    expect(ids(l)[0]).toBe('error:state-lost');
  });
});

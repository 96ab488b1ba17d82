/**
 * Launches of apps built in ways the plain fhirclient flow is not: a launch URL at a login-like path.
 * Built from the Oracle shapes of tests/fixtures/exchanges/oracle-flow.ts.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange, Launch } from '../../utils/model';
import {
  APP,
  type AuthorizeOpts,
  authorizeUrl,
  CODE,
  CONTEXT_ID,
  cernerHeaders,
  fhirGet,
  ISS,
  launchStart,
  Recorder,
  STATE,
  tokenPost,
} from '../fixtures/exchanges/oracle-flow';

const CALLBACK = `${APP}/index.html?code=${encodeURIComponent(CODE)}&state=${STATE}`;

function only(exchanges: Exchange[]): Launch {
  const launches = analyze(exchanges);
  expect(launches).toHaveLength(1);
  return launches[0]!;
}
const rules = (l: Launch) => l.findings.map((f) => `${f.severity}:${f.ruleId}`);
const kindOf = (l: Launch, url: string) => l.steps.find((s) => s.exchange.url === url)?.kind;

/** Code Console launch (tab 101) whose authorize redirects straight to the app's callback. */
function toCallback(r: Recorder, o: AuthorizeOpts = {}): void {
  launchStart(r);
  r.add({
    initiator: APP,
    url: authorizeUrl(o),
    status: 302,
    location: CALLBACK,
    responseHeaders: cernerHeaders({ location: CALLBACK }),
  });
  r.add({ source: 'webNavigation', url: CALLBACK });
}

describe('an app launch URL at a login-like path is the launch URL', () => {
  /** Complete launch whose launch URL is at `path`; authorize as `o` says. */
  function launchAt(path: string, o: AuthorizeOpts = {}): { exchanges: Exchange[]; launchUrl: string } {
    const r = new Recorder();
    toCallback(r, o);
    r.wait(120);
    tokenPost(r);
    fhirGet(r, 'Patient/12724066');
    const launchUrl = `${APP}${path}?iss=${encodeURIComponent(ISS)}&launch=${CONTEXT_ID}`;
    for (const e of r.out) if (e.url.startsWith(`${APP}/launch.html?`)) e.url = launchUrl;
    return { exchanges: r.out, launchUrl };
  }

  it.each(['/login', '/sso', '/signin'])('%s', (path) => {
    const { exchanges, launchUrl } = launchAt(path);
    const l = only(exchanges);
    expect(kindOf(l, launchUrl)).toBe('ehr-launch');
    expect(l.steps.some((s) => s.kind === 'idp-login' && s.exchange.url === launchUrl)).toBe(false);
    expect(l.status).toBe('succeeded');
  });

  it("the launch URL's checks run: launch not passed to authorize", () => {
    const { exchanges } = launchAt('/login', { launch: null });
    expect(rules(only(exchanges))).toContain('warning:launch-not-echoed');
  });
});

/**
 * §7 failure classes of authorization.cerner.com's session plumbing, one quirk mode each: the forceAuthn
 * 400, the oversized request, and the redirect loop; on the wire and through analyze().
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { sandboxForFile } from './sandbox';
import { Browser, MAX_REDIRECTS } from './sandbox-browser';
import { ehrLaunch, firstFinding, lastExchange } from './sandbox-browser-flow';

const sandbox = sandboxForFile('sandbox-fail-session');
beforeEach(() => sandbox().setQuirk('forceauthn-session'));

/** A browser that already went through one successful launch (so it holds session cookies). */
async function signedInBrowser(): Promise<Browser> {
  const b = new Browser(sandbox);
  expect((await ehrLaunch(b)).callback?.searchParams.get('code')).toBeTruthy();
  b.forget();
  return b;
}

describe('session-api failures', () => {
  it('forceauthn-session (default): second launch → 400 on session-api with forceAuthn=true', async () => {
    const b = await signedInBrowser();
    const launched = await ehrLaunch(b);
    expect(launched.callback).toBeUndefined();
    const hop = launched.navs.at(-1)?.last;
    expect(hop?.status).toBe(400);
    expect(hop?.url).toMatch(
      /^https:\/\/authorization\.cerner\.com\/session-api\/realm\/[^?]+\?to=.*&forceAuthn=true$/,
    );
    expect(hop?.headers['content-type']).toMatch(/^text\/html/);
    expect(hop?.body).toContain('Bad Request');
    const step = lastExchange(b);
    expect(step?.requestCookies?.names).toEqual(expect.arrayContaining(['cloud-session-iframe']));
    expect(firstFinding(b.exchanges, step)?.ruleId).toBe('force-authn-session');
  });

  it('header-size: URL + Cookie over 8 KiB → 400 "Request Header Or Cookie Too Large"', async () => {
    sandbox().setQuirk('header-size');
    const b = new Browser(sandbox);
    const wide = Array.from({ length: 170 }, (_, i) => `patient/Observation.rs?code=${1000 + i}`).join(' ');
    const launched = await ehrLaunch(b, {
      authorize: { scope: `launch openid fhirUser patient/Patient.rs ${wide}` },
    });
    const hop = launched.navs.at(-1)?.last;
    expect(hop?.status).toBe(400);
    expect(hop?.url).toContain('/session-api/realm/');
    expect(hop?.body).toContain('<title>400 Request Header Or Cookie Too Large</title>');
    expect(firstFinding(b.exchanges, lastExchange(b))?.ruleId).toBe('request-too-large');
  });

  it('redirect-loop: with a session cookie, session-api and /my-session/status bounce until the browser gives up', async () => {
    sandbox().setQuirk('redirect-loop');
    const b = await signedInBrowser();
    const launched = await ehrLaunch(b);
    expect(launched.callback).toBeUndefined();
    const loop = launched.navs.at(-1);
    expect(loop?.error).toBe('net::ERR_TOO_MANY_REDIRECTS');
    expect(loop?.hops).toHaveLength(MAX_REDIRECTS + 1);
    const sessionApi = loop?.hops[0]?.url ?? '';
    expect(sessionApi).toContain('/session-api/realm/');
    loop?.hops.forEach((hop, i) => {
      expect(hop.status).toBe(302);
      if (i % 2 === 0) {
        expect(hop.url).toBe(sessionApi);
        expect(hop.location).toBe(
          `https://authorization.cerner.com/my-session/status?return=${encodeURIComponent(sessionApi)}`,
        );
      } else expect(hop.location).toBe(sessionApi);
    });
    expect(lastExchange(b)).toMatchObject({ phase: 'failed', error: 'net::ERR_TOO_MANY_REDIRECTS' });
    expect(firstFinding(b.exchanges, lastExchange(b))?.ruleId).toBe('redirect-loop');
  });

  it('redirect-loop leaves a browser without a session alone, and never bounces off-site', async () => {
    sandbox().setQuirk('redirect-loop');
    expect((await ehrLaunch(new Browser(sandbox))).callback?.searchParams.get('code')).toBeTruthy();
    const b = await signedInBrowser();
    const nav = await b.navigate(
      'https://authorization.cerner.com/my-session/status?return=https%3A%2F%2Fevil.example%2F',
    );
    expect(nav.last?.status).toBe(200);
    expect(nav.last?.json()).toEqual({ activeSession: true });
  });
});

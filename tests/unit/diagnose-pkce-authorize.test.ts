import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange, Launch } from '../../utils/model';
import { makeExchange } from '../fixtures/exchange';
import {
  authorize,
  discovery,
  launchPage,
  otherServerFlow,
  smartConfiguration,
} from '../fixtures/other-server';

/** Another server that requires PKCE, refusing an authorize request that carried no code_challenge. */
const flow = otherServerFlow();

function refused(methods: string[] | undefined, challenge = ''): Exchange[] {
  const back = `${flow.redirect}?error=invalid_request&error_description=PKCE%20required&state=${flow.state}`;
  const config = smartConfiguration(flow, methods ? { code_challenge_methods_supported: methods } : {});
  return [
    launchPage(flow),
    discovery(flow, config),
    authorize(flow, 'launch openid', challenge, { status: 302, location: back }),
    makeExchange({ id: 'callback', url: back, status: 200, startedAt: 1_300 }),
  ];
}

const pkce = (xs: Exchange[]): Launch['findings'] =>
  analyze(xs, { now: 600_000 })[0]!.findings.filter((f) => f.ruleId === 'pkce');

describe('rule pkce: an authorize request refused without a code_challenge', () => {
  it('S256 not advertised: names the refusal, and the fhirclient mode that sends PKCE anyway', () => {
    const [f] = pkce(refused(undefined));
    expect(f).toMatchObject({ severity: 'warning', title: 'PKCE missing: authorize request refused' });
    expect(f!.summary).toContain('The server refused the authorize request (invalid_request)');
    expect(f!.summary).toContain('It does not list S256 in code_challenge_methods_supported');
    expect(f!.fixes[0]!.label).toContain('pkceMode "unsafeV1"');
  });

  it('S256 listed as something else: the unadvertised fix', () => {
    const [f] = pkce(refused(['plain']));
    expect(f!.fixes[0]!.label).toContain('pkceMode "unsafeV1"');
  });

  it('a challenge was sent: nothing about PKCE', () => {
    expect(
      pkce(
        refused(
          undefined,
          '&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256',
        ),
      ),
    ).toEqual([]);
  });
});

describe('rule pkce: an authorize refusal whose URN names another cause', () => {
  it("Oracle's audience-required URN: left to its own rule", () => {
    const urn = encodeURIComponent(
      'https://authorization.cerner.com/errors/urn%3Acerner%3Aerror%3Aauthorization-server%3Asmart-v1%3Agrant%3Alaunch%3Aaudience-required/instances/1',
    );
    const xs = refused(undefined).map((e) =>
      e.id === 'callback' || e.id === 'authorize'
        ? {
            ...e,
            url: e.id === 'callback' ? `${e.url}&error_uri=${urn}` : e.url,
            ...(e.location ? { location: `${e.location}&error_uri=${urn}` } : {}),
          }
        : e,
    );
    expect(pkce(xs)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange, Launch } from '../../utils/model';
import { loadExchanges } from '../fixtures/load';

/**
 * Requests SMART does not allow in this shape: an authorization that is not the code flow (the implicit
 * flow hands the token over in the URL), and a client credential in a URL (RFC 6749 §2.3.1).
 */
function edited(edit: (e: Exchange) => Exchange): Launch {
  const launches = analyze(loadExchanges('success-oracle').map(edit));
  expect(launches).toHaveLength(1);
  return launches[0]!;
}

const shape = (l: Launch) => l.findings.filter((f) => f.ruleId === 'oauth-request-shape');

describe('oauth-request-shape', () => {
  it('a successful Oracle launch: nothing to say', () => {
    expect(shape(edited((e) => e))).toEqual([]);
  });

  it('response_type=token: the implicit flow, named, and PKCE is not asked of it', () => {
    const l = edited((e) =>
      /\/authorize\?/.test(e.url)
        ? { ...e, url: e.url.replace('response_type=code', 'response_type=token') }
        : e,
    );
    const [f] = shape(l);
    expect(f).toMatchObject({ severity: 'warning', title: 'Implicit flow (response_type=token)' });
    expect(f!.summary).toMatch(
      /SMART App Launch allows only the authorization code flow \(response_type=code/,
    );
    expect(l.findings.some((x) => x.ruleId === 'pkce')).toBe(false);
  });

  it('a redirect_uri with a fragment (a hash-routed app): named, with the URI to register instead', () => {
    const l = edited((e) =>
      /\/authorize\?/.test(e.url)
        ? { ...e, url: e.url.replace(/redirect_uri=([^&]*)/, (_, v) => `redirect_uri=${v}%23%2Fcallback`) }
        : e,
    );
    const f = shape(l).find((x) => x.title === 'Redirect URI with a fragment')!;
    expect(f.severity).toBe('warning');
    expect(f.summary).toMatch(
      /^The authorize request's redirect_uri has a fragment \(#\/callback\)\. OAuth does not allow one \(RFC 6749 §3\.1\.2/,
    );
    expect(f.fixes[0]!.label).toMatch(
      /^Register and send a redirect_uri without a fragment \(http:\/\/localhost:5173\/index\.html\)/,
    );
  });

  it('a token request to another endpoint than discovery names: said; refused there, the failure', () => {
    const staging = (status?: number) =>
      edited((e) => {
        if (!e.form?.grant_type) return e;
        const moved = {
          ...e,
          url: e.url.replace('authorization.cerner.com', 'authorization-staging.cerner.com'),
        };
        return status
          ? {
              ...moved,
              status,
              body: { text: '{"error":"invalid_grant"}', mimeType: 'application/json', truncated: false },
            }
          : moved;
      });
    const accepted = staging();
    const a = shape(accepted).find(
      (f) => f.title === 'Token request to another endpoint than discovery names',
    );
    expect(a).toMatchObject({ severity: 'warning' });
    expect(a!.summary).toMatch(
      /^The token \(authorization_code\) request went to https:\/\/authorization-staging\.cerner\.com\/.*, while the server's smart-configuration names https:\/\/authorization\.cerner\.com\/.* as its token endpoint\. It was answered there/,
    );
    const refused = staging(400);
    expect(refused.status).toBe('failed');
    expect(refused.statusReason).toMatch(
      /^Token request to another endpoint than discovery names: .*It was refused there/,
    );
    // The same endpoint with a trailing slash or another letter case in its host is the same endpoint.
    const same = edited((e) =>
      e.form?.grant_type
        ? { ...e, url: `${e.url.replace('authorization.cerner.com', 'Authorization.Cerner.com')}/` }
        : e,
    );
    expect(shape(same)).toEqual([]);
  });

  it('a client_secret in the token request’s URL', () => {
    const l = edited((e) =>
      e.method === 'POST' && /\/token$/.test(e.url)
        ? { ...e, url: `${e.url}?client_secret=s3cr%E2%80%A6%5B20%5D` }
        : e,
    );
    const [f] = shape(l);
    expect(f).toMatchObject({ severity: 'warning', title: 'Client credential in a URL' });
    expect(f!.summary).toMatch(
      /^The token \(authorization_code\) request carries client_secret in its URL\. RFC 6749 §2\.3\.1/,
    );
    expect(l.status).toBe('succeeded');
  });

  it('the password grant: named, and a refusal read as the user’s credentials, not a code', () => {
    const l = edited((e) =>
      e.form?.grant_type
        ? {
            ...e,
            form: { grant_type: ['password'], username: ['bob'], password: ['…[12]'], client_id: ['app'] },
            status: 400,
            body: {
              text: '{"error":"invalid_grant","error_description":"bad credentials"}',
              mimeType: 'application/json',
              truncated: false,
            },
          }
        : e,
    );
    const f = shape(l).find((x) => x.title === 'Password grant');
    expect(f).toMatchObject({ severity: 'error' });
    expect(f!.summary).toMatch(
      /invalid_grant means the username or password \(RFC 6749 §4\.3, §5\.2\), not a code\.$/,
    );
    expect(l.status).toBe('failed');
    expect(l.statusReason).toMatch(/^Password grant: /);
  });

  it('a client secret in the form when discovery lists only Basic and private_key_jwt: said; refused for it, the failure', () => {
    const post = (e: Exchange): Exchange =>
      e.form?.grant_type ? { ...e, form: { ...e.form, client_secret: ['…[20]'] } } : e;
    const accepted = edited(post);
    const a = shape(accepted).find((x) => x.title === 'Client authentication the server does not list');
    expect(a).toMatchObject({ severity: 'warning' });
    expect(a!.summary).toMatch(
      /^The token request authenticates the client with client_secret_post \(client_secret in the form\), which the server's smart-configuration does not list in token_endpoint_auth_methods_supported \(client_secret_basic, private_key_jwt\); a server may refuse/,
    );
    expect(accepted.status).toBe('succeeded');
    /** The same token request, answered 401 with `answer` as its JSON body. */
    const answered401 = (answer: object) =>
      edited((e) => {
        const p = post(e);
        return p === e
          ? e
          : {
              ...p,
              status: 401,
              body: { text: JSON.stringify(answer), mimeType: 'application/json', truncated: false },
            };
      });
    const refused = answered401({
      error: 'invalid_client',
      error_description: 'client authentication failed',
    });
    expect(refused.status).toBe('failed');
    expect(refused.statusReason).toMatch(
      /^Client authentication the server does not list: .*the server refused it \(HTTP 401, invalid_client\), as a server does with a method it does not support\. The server said: “client authentication failed”\.$/,
    );
    // Refused with Oracle's URN for wrong credentials: that is the cause, the method a warning beside it.
    const urn = 'urn:cerner:error:authorization-server:oauth2:token:invalid_client_credentials';
    const wrong = answered401({
      error: 'invalid_client',
      error_uri: `https://authorization.cerner.com/errors/${encodeURIComponent(urn)}/instances/1`,
    });
    expect(wrong.status).toBe('failed');
    expect(wrong.findings[0]).toMatchObject({ severity: 'error', title: 'Invalid client credentials' });
    expect(
      shape(wrong).find((x) => x.title === 'Client authentication the server does not list'),
    ).toMatchObject({
      severity: 'warning',
    });
  });
});

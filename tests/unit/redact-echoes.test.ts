/**
 * Secrets where servers and apps really put them, beyond `name=value`: hash-routed callbacks, bodies
 * cut by the size bound, badly encoded nested URLs, a server's own messages that echo a code, other
 * spellings of the names, and bodies that are not plain JSON. Each case is checked for any 12
 * characters of the secret, in every encoding the output may hold.
 */

import { describe, expect, it } from 'vitest';
import { boundEvent } from '../../utils/capture/bounds';
import { devtoolsPayload } from '../../utils/capture/devtools';
import type { CaptureEvent } from '../../utils/capture/events';
import { redactEvent } from '../../utils/capture/redact-event';
import type { Exchange } from '../../utils/model';
import {
  captureBody,
  redactBodyText,
  redactExchange,
  redactForm,
  redactHeaderValue,
  redactText,
  redactUrl,
} from '../../utils/redact';
import { forgetMaskedSecrets } from '../../utils/redact/mask';
import { redactProse } from '../../utils/redact/text';

const S = 'SECRETzq8Xv3Lw9Kp2Rt7Yh4';
const enc = encodeURIComponent;

/** True when any 12 characters of `secret` survive in `text`, raw or percent-encoded once or twice. */
function leaks(text: string, secret = S): boolean {
  for (let i = 0; i + 12 <= secret.length; i++) {
    const part = secret.slice(i, i + 12);
    if (text.includes(part) || text.includes(enc(part)) || text.includes(enc(enc(part)))) return true;
  }
  return false;
}

describe('URLs', () => {
  it.each([
    ['a hash-routed callback', `https://app.example/#/callback?code=${S}&state=abc`],
    ['a fragment response whose value holds a ?', `https://app.example/cb#access_token=${S}?x&state=1`],
    ['a hash route with the token first', `https://app.example/index.html#/cb?access_token=${S}&x=1`],
    [
      'a hash-routed callback nested in to=',
      `https://auth.example/x?to=${enc(`https://app.example/#/x?code=${S}`)}`,
    ],
    [
      'a twice-encoded to= with a stray %',
      `https://auth.example/x?to=${enc(enc(`https://app/cb?code=${S}&note=100`))}%25`,
    ],
    ['a camelCase name', `https://auth.example/token?clientSecret=${S}&accessToken=${S}`],
    ['a password in the userinfo', `https://user:${S}@app.example/cb`],
    ['a matrix parameter', `https://app.example/cb;jsessionid=${S}`],
    ['a ; separated pair', `https://app.example/cb?state=abc;code=${S}`],
    ['JSON in a parameter', `https://app.example/cb?state=${enc(JSON.stringify({ access_token: S }))}`],
    ['a magic link', `https://idp.example/login/magic/${S}`],
    ['a password reset link', `https://idp.example/reset-password/${S}?lang=en`],
    ['a sign-in link nested in to=', `https://auth.example/x?to=${enc(`https://idp.example/invite/${S}`)}`],
    ['a fragment whose separators are encoded', `https://app.example/cb#code%3D${S}%26state%3Dabc`],
    ['a query whose = is encoded', `https://app.example/cb?code%3D${S}`],
    ['a hash route with a token in its path', `https://app.example/#/token/${S}`],
    [
      'an error_description echoing the code',
      `https://app.example/cb?error=invalid_grant&error_description=${enc(`The code ${S} was already used`)}`,
    ],
  ])('%s', (_name, url) => {
    const out = redactUrl(url);
    expect(leaks(out), out).toBe(false);
    expect(redactUrl(out)).toBe(out);
  });

  it("a path keeps what only looks like a one-time link's token: ids, endpoints, short words", () => {
    for (const url of [
      'https://fhir.example/r4/Patient/eM5CWtq15N0WJeuCet5bJlQ3',
      'https://authorization.cerner.com/tenants/ec2458f2-1e24-41c8-b71b-0e701af7583d/protocols/oauth2/profiles/smart-v1/token',
      'https://auth.example/token/introspect',
      'https://idp.example/reset/expired-links-help',
    ])
      expect(redactUrl(url)).toBe(url);
  });

  it('keeps a hash route and the state of a hash-routed callback readable', () => {
    expect(redactUrl(`https://app.example/#/callback?code=${S}&state=abc`)).toBe(
      'https://app.example/#/callback?code=SEC%E2%80%A6%5B24%5D&state=abc',
    );
  });

  it('a URL cut by the 64 KiB bound in the middle of a twice-encoded escape keeps no code', () => {
    const inner = (pad: number) => `https://app.example/cb?x=${'a'.repeat(pad)}&code=${S}&state=s`;
    for (let pad = 65_536 - 300; pad < 65_536 - 40; pad++) {
      const url = `https://authorization.cerner.com/session-api/realm/x?to=${enc(enc(inner(pad)))}`;
      const event = { kind: 'nav-before', tabId: 1, frameId: 0, url, timeStamp: 0 } as CaptureEvent;
      const out = (redactEvent(boundEvent(event)) as { url: string }).url;
      expect(leaks(out), `pad ${pad}`).toBe(false);
    }
  });
});

describe('bodies', () => {
  it.each([
    [
      'camelCase JSON keys',
      JSON.stringify({ accessToken: S, refreshToken: S, clientSecret: S }),
      'application/json',
    ],
    [
      'JSON inside a JSON string',
      JSON.stringify({ debug: JSON.stringify({ access_token: S }) }),
      'application/json',
    ],
    [
      'a token error echoing the code',
      JSON.stringify({ error: 'invalid_grant', error_description: `Authorization code ${S} is invalid` }),
      'application/json',
    ],
    ['single-quoted members', `{'access_token': '${S}'}`, 'text/plain'],
    ['plain text', `access_token: ${S}`, 'text/plain'],
    ['XML', `<response><access_token>${S}</access_token></response>`, 'application/xml'],
    [
      'a form_post page',
      `<form method="post"><input type="hidden" name="code" value="${S}"><input type="hidden" name="state" value="abc"></form>`,
      'text/html',
    ],
    ['a SAML post', `<input type="hidden" name="SAMLResponse" value="${S}"/>`, 'text/html'],
    ['a password input', `<input type="password" name="j_pw" value="${S}">`, 'text/html'],
  ])('%s', (_name, text, mime) => {
    const out = redactBodyText(text, mime);
    expect(leaks(out), out).toBe(false);
    expect(redactBodyText(out, mime)).toBe(out);
  });

  it('a form_post page without quotes (HTML allows them out)', () => {
    forgetMaskedSecrets();
    const code = 'UNQUOTEDq8Xv3Lw9Kp2Rt7';
    const out = redactBodyText(
      `<form method=post action=https://app/cb><input type=hidden name=code value=${code}><input type=hidden name=state value=abc></form>`,
      'text/html',
    );
    expect(leaks(out, code), out).toBe(false);
    expect(out).toContain('name=state value=abc>');
  });

  it('scripts, attributes, a JSON key with a space and a multipart answer', () => {
    // Each its own secret, never masked before: the echo pass cannot be what finds them.
    forgetMaskedSecrets();
    const cases: [string, string, string][] = [
      ['SCRIPTVARq8Xv3Lw9Kp2R', '<script>var accessToken = "%s"; start();</script>', 'text/html'],
      ['OBJMEMBERq8Xv3Lw9Kp2R', "init({clientSecret: '%s', debug: true})", 'text/javascript'],
      ['TEMPLATEq8Xv3Lw9Kp2Rt', 'this.refresh_token = `%s`;', 'text/javascript'],
      ['XMLVALUEq8Xv3Lw9Kp2Rt', '<Parameters><clientSecret value="%s"/></Parameters>', 'application/xml'],
      ['XMLTOKENq8Xv3Lw9Kp2Rt', '<token value="%s"/>', 'application/xml'],
      ['ATTRPASSq8Xv3Lw9Kp2Rt', '<cred user="bob" password="%s"/>', 'application/xml'],
      ['SPACEKEYq8Xv3Lw9Kp2Rt', '{"access token": "%s", "note": "x"}', 'application/json'],
      [
        'MULTIPARTq8Xv3Lw9Kp2R',
        '--b\r\nContent-Disposition: form-data; name="client_secret"\r\n\r\n%s\r\n--b--\r\n',
        'text/plain',
      ],
    ];
    for (const [secret, template, mime] of cases) {
      const out = redactBodyText(template.replace('%s', secret), mime);
      expect(leaks(out, secret), out).toBe(false);
      expect(redactBodyText(out, mime)).toBe(out);
    }
    // What only looks like it stays: a field's type, an empty value, a FHIR code.
    const kept = '<input type="password" name="pw" value=""><script>var password = "";</script>';
    expect(redactText(kept)).toBe(kept);
    const fhir = '<Coding><code value="8867-4"/></Coding>';
    expect(redactBodyText(fhir, 'application/fhir+xml')).toBe(fhir);
  });

  it('JSON strings holding a logged header line, and name/value pairs (HAR-like headers, FHIR Parameters)', () => {
    // Secrets no earlier case masked: the echo pass (which remembers them) must not be what finds them.
    forgetMaskedSecrets();
    const bearer = 'BEARERq8Xv3Lw9Kp2Rt7Yh4';
    const secret = 'PAIRSECRETv3Lw9Kp2Rt7Y';
    const param = 'PARAMTOKENw9Kp2Rt7Yh4q';
    const out = redactBodyText(
      JSON.stringify({
        request: { headers: [['Authorization', `Bearer ${bearer}`]] },
        headers: [
          { name: 'client_secret', value: secret },
          { name: 'Accept', value: 'application/json' },
        ],
        parameter: [{ name: 'access_token', valueString: param }],
      }),
      'application/json',
    );
    for (const x of [bearer, secret, param]) expect(leaks(out, x), out).toBe(false);
    expect(out).toContain('{"name":"Accept","value":"application/json"}');
  });

  it('a token cut in half by the 64 KiB bound: the part before the cut is masked, and the body says it was cut', () => {
    const token = `${S}${S}${S}`;
    for (const pad of [65_536 - 60, 65_536 - 40, 65_536 - 30]) {
      const text = JSON.stringify({ scope: 'x'.repeat(pad), access_token: token });
      const body = captureBody(text, 'application/json');
      expect(body.truncated).toBe(true);
      expect(leaks(body.text, token), `pad ${pad}`).toBe(false);
    }
  });

  it('the DevTools page says when it cut a body, so the log does too', () => {
    const entry = {
      url: 'https://authorization.cerner.com/t/token',
      method: 'POST',
      status: 200,
      startedDateTime: '',
    };
    const text = JSON.stringify({ scope: 'x'.repeat(70_000), access_token: S });
    const payload = devtoolsPayload(1, entry as never, text, false);
    expect(payload.truncated).toBe(true);
    expect(leaks(payload.text)).toBe(false);
    expect(devtoolsPayload(1, entry as never, '{"a":1}', false).truncated).toBeUndefined();
  });
});

describe('forms, headers and status lines', () => {
  it('a login form that also carries OAuth fields: its password fields stay masked', () => {
    const form = redactForm({
      response_type: ['code'],
      client_id: ['app'],
      j_username: ['portal'],
      j_password: [S],
      pin: [S],
      user_passcode: [S],
      credential: [S],
    });
    expect(leaks(JSON.stringify(form))).toBe(false);
    expect(form.client_id).toEqual(['app']);
    expect(form.j_username).toEqual(['portal']);
  });

  it('a challenge that names the token it refuses', () => {
    const out = redactHeaderValue(
      'WWW-Authenticate',
      `Bearer realm="fhir", error="invalid_token", error_description="token ${S} expired"`,
    );
    expect(leaks(out)).toBe(false);
    expect(out).toContain('realm="fhir", error="invalid_token"');
  });

  it.each(['X-Refresh-Token', 'X-Amz-Security-Token', 'X-Session', 'X-Client-Secret'])(
    'header %s',
    (name) => {
      expect(leaks(redactHeaderValue(name, S))).toBe(false);
    },
  );

  it("a status line's reason phrase, live and in an exchange", () => {
    const event = {
      kind: 'headers',
      tabId: 1,
      requestId: '1',
      url: 'https://authorization.cerner.com/token',
      timeStamp: 0,
      statusCode: 400,
      statusLine: `HTTP/1.1 400 code ${S} expired`,
    } as CaptureEvent;
    expect(leaks(JSON.stringify(redactEvent(event)))).toBe(false);
    const ex = {
      id: 'x',
      url: 'https://a/b',
      statusText: `code ${S} expired`,
      responseHeaders: {},
    } as unknown as Exchange;
    expect(leaks(redactExchange(ex).statusText ?? '')).toBe(false);
  });
});

describe('what stays readable', () => {
  it("Oracle's URNs, in prose, JSON and challenges", () => {
    const urn = 'urn:cerner:error:authorization-server:oauth2:token:refresh-token:session-invalid';
    expect(redactText(`invalid_grant: ${urn}`)).toBe(`invalid_grant: ${urn}`);
    expect(
      redactBodyText(JSON.stringify({ error: 'invalid_grant', error_description: urn }), 'application/json'),
    ).toContain(urn);
  });

  it("the ids a server's support asks for, named as such in its words; the same GUID unnamed is masked", () => {
    const trace = '0f1c2d3e-4a5b-6c7d-8e9f-a0b1c2d3e4f5';
    const correlation = '9c8b7a6f-5e4d-3c2b-1a09-f8e7d6c5b4a3';
    const aadsts = `AADSTS65004: User declined to consent to access the app. Trace ID: ${trace} Correlation ID: ${correlation} Timestamp: 2025-12-06 09:00:05Z`;
    expect(redactProse(aadsts)).toBe(aadsts);
    const url = redactUrl(
      `https://app.example/cb?error=access_denied&error_description=${enc(aadsts)}&state=s`,
    );
    expect(decodeURIComponent(url)).toContain(`Correlation ID: ${correlation}`);
    expect(redactProse(`request_id="${trace}"`)).toBe(`request_id="${trace}"`);
    // A code or token a server echoes may be a GUID too: without its label it is masked.
    expect(leaks(redactProse(`The code ${correlation} was already used.`), correlation)).toBe(false);
    expect(leaks(redactProse(`Session ID: ${correlation}`), correlation)).toBe(false);
    // A label is no pass for what is no GUID.
    expect(leaks(redactProse(`Correlation ID: ${S}`))).toBe(false);
  });

  it("a launcher's base64 JSON path segment in a server's message is no secret; an opaque code still is", () => {
    const segment = Buffer.from(JSON.stringify({ h: 1, p: 'p-77', e: 'e-1' })).toString('base64url');
    const said = `Bad audience value "https://launcher.sim.test/v/r4/sim/${segment}/fhir/". Expected another`;
    expect(redactProse(said)).toBe(said);
    expect(leaks(redactProse(`The code ${S} was used`))).toBe(false);
  });

  it('markup and prose that only look like secrets', () => {
    const html = '<p>Error code: 400</p><code>urn:cerner:error:oauth2:grant:unknown-client</code>';
    expect(redactText(html)).toBe(html);
    const discovery = JSON.stringify({
      token_endpoint: 'https://authorization.cerner.com/t/token',
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
    });
    expect(redactBodyText(discovery, 'application/json')).toBe(discovery);
    expect(redactUrl('https://fhir.example/r4/t/Patient/12724066?_count=10')).toBe(
      'https://fhir.example/r4/t/Patient/12724066?_count=10',
    );
  });
});

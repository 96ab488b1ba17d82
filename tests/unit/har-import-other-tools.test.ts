/**
 * What other tools write where Chrome writes its own fields: Playwright's failed request (status -1,
 * `_failureText`), Safari's error texts and its one entry per redirect chain, Firefox's status 0 without
 * a reason, and entries without a usable start time.
 */
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { grantedScopes } from '../../components/launch/extract';
import { MAX_URL_CHARS, urlLengthOf } from '../../utils/capture/bounds';
import { importHar, launchToHarText } from '../../utils/har';
import { readHar } from '../../utils/har/import';
import { harTextFromZip } from '../../utils/har/zip';
import { analyze } from '../../utils/launch/analyze';
import type { Launch } from '../../utils/model';
import { type ProxyEntry, proxyHar } from '../fixtures/har/proxy-har';

const TENANT = 'ec2458f2-1e24-41c8-b71b-0e701af7583d';
const ISS = `https://fhir-ehr-code.cerner.com/r4/${TENANT}`;
const AUTHORIZE = `https://authorization.cerner.com/tenants/${TENANT}/protocols/oauth2/profiles/smart-v1/personas/provider/authorize`;
const TOKEN = `https://authorization.cerner.com/tenants/${TENANT}/hosts/fhir-ehr-code.cerner.com/protocols/oauth2/profiles/smart-v1/token`;
const SESSION_API = `https://authorization.cerner.com/session-api/realm/${TENANT}`;
const APP = 'https://app.example-clinic.org/smart';
const STATE = 'state-0123456789abcdef0123';
const CALLBACK = `${APP}/callback?code=code-1234567890abcdef&state=${STATE}`;
const AUTH = `${AUTHORIZE}?response_type=code&client_id=app&redirect_uri=${encodeURIComponent(`${APP}/callback`)}&launch=launch-1&scope=${encodeURIComponent('launch openid fhirUser user/Patient.read')}&state=${STATE}&aud=${encodeURIComponent(ISS)}`;

type Entry = Omit<ProxyEntry, 'startedDateTime'> & { startedDateTime?: string };

/** The launch up to its callback, then `rest`; entries 150 ms apart unless they say when. */
function launchHar(rest: Entry[], head: Entry[] = toCallback()): string {
  return proxyHar(
    [...head, ...rest].map((e, i) => ({
      startedDateTime: new Date(Date.UTC(2026, 11, 4, 9, 0, 0, i * 150)).toISOString(),
      ...e,
    })),
  );
}

function toCallback(): Entry[] {
  return [
    { url: `${APP}/launch.html?iss=${encodeURIComponent(ISS)}&launch=launch-1`, status: 200 },
    {
      url: `${ISS}/.well-known/smart-configuration`,
      status: 200,
      type: 'fetch',
      body: JSON.stringify({ authorization_endpoint: AUTHORIZE, token_endpoint: TOKEN }),
    },
    { url: AUTH, status: 302, location: CALLBACK },
    { url: CALLBACK, status: 200 },
  ];
}

const tokenPost = (status: number, response: Record<string, unknown> = {}): Entry => ({
  method: 'POST',
  url: TOKEN,
  status,
  type: 'fetch',
  post: `grant_type=authorization_code&code=code-1234567890abcdef&redirect_uri=${encodeURIComponent(`${APP}/callback`)}&client_id=app`,
  response,
});

function only(text: string): Launch {
  const launches = analyze(importHar(text, 'tool.har', 'imp'));
  expect(launches).toHaveLength(1);
  return launches[0]!;
}

describe('HAR import: a request that got no answer, as each tool writes it', () => {
  it.each([
    ['Playwright: status -1 and _failureText', -1, { _failureText: 'net::ERR_FAILED' }],
    ['Playwright: status 0 and _failureText', 0, { _failureText: 'net::ERR_FAILED' }],
    ['Chrome: status 0 and _error', 0, { _error: 'net::ERR_FAILED' }],
    [
      'Safari: the refusal in its words',
      0,
      {
        _error:
          'Origin https://app.example-clinic.org is not allowed by Access-Control-Allow-Origin. Status code: 200',
      },
    ],
    ['Firefox: status 0 and no reason', 0, {}],
  ])('%s: the token request failed, blocked by CORS', (_name, status, response) => {
    const l = only(launchHar([tokenPost(status, response)]));
    expect(l.status).toBe('failed');
    expect(l.findings[0]).toMatchObject({ ruleId: 'cors-failure', title: 'Blocked by CORS' });
    const token = l.steps.find((s) => s.kind === 'token')!;
    expect(token.exchange.status).toBeUndefined();
    expect(token.exchange.error).toBe(
      (response as { _error?: string; _failureText?: string })._error ??
        (response as { _failureText?: string })._failureText ??
        'no response (status 0)',
    );
  });

  it("a frame's page loads (DevTools: document) are told by Sec-Fetch-Dest: a sign-in that does not stick there is said after one round", () => {
    const frame = {
      requestHeaders: { 'Sec-Fetch-Dest': 'iframe', Origin: 'https://app.example-clinic.org' },
    };
    const login = `https://authorization.cerner.com/idp/realm/${TENANT}/login?to=${encodeURIComponent(AUTH)}`;
    const session = `${SESSION_API}?to=${encodeURIComponent(AUTH)}`;
    const har = launchHar(
      [
        { ...frame, url: session, status: 303, location: login },
        { ...frame, url: login, status: 200 },
        {
          ...frame,
          method: 'POST',
          url: `https://authorization.cerner.com/idp/realm/${TENANT}/login`,
          post: 'username=portal&password=portal',
          status: 303,
          location: AUTH,
          response: { cookies: [{ name: 'idp-session', value: 'x' }] },
        },
        { ...frame, url: AUTH, status: 302, location: session },
        { ...frame, url: session, status: 303, location: login },
        { ...frame, url: login, status: 200 },
      ],
      [
        { url: `${APP}/launch?iss=${encodeURIComponent(ISS)}&launch=launch-1`, status: 200 },
        { ...frame, url: AUTH, status: 200 },
      ],
    );
    const [l] = analyze(importHar(har, 'iframe.har', 'frame'));
    expect(l!.steps.filter((s) => s.exchange.type === 'sub_frame').length).toBeGreaterThanOrEqual(7);
    expect(l!.findings.map((f) => f.title)).toEqual(['Sign-in does not stick in a frame']);
    // Without the header, the same file is a sign-in in the tab, whose cookies the file does not show: no claim.
    const top = analyze(importHar(har.replaceAll('"Sec-Fetch-Dest"', '"X-Other"'), 'tab.har', 'tab'))[0]!;
    expect(top.steps.some((s) => s.exchange.type === 'sub_frame')).toBe(false);
    expect(top.findings.map((f) => f.ruleId)).not.toContain('redirect-loop');
  });

  it('Playwright without a reason: status -1 is said as it was', () => {
    const l = only(launchHar([tokenPost(-1)]));
    expect(l.steps.find((s) => s.kind === 'token')!.exchange.error).toBe('no response (status -1)');
    expect(l.findings[0]!.ruleId).toBe('cors-failure');
  });
});

describe('HAR import: a redirect loop, as each browser writes it', () => {
  const loop = (n: number, last: Entry): Entry[] => [
    ...Array.from({ length: n }, () => ({
      url: `${SESSION_API}?to=${encodeURIComponent(AUTH)}&forceAuthn=true`,
      status: 302,
      location: AUTH,
    })),
    last,
  ];
  const head = toCallback().slice(0, 2);

  it('Firefox: the last hop got status 0 and no reason; the loop is the status reason', () => {
    const l = only(
      launchHar(
        loop(10, { url: `${SESSION_API}?to=${encodeURIComponent(AUTH)}&forceAuthn=true`, status: 0 }),
        head,
      ),
    );
    expect(l.status).toBe('failed');
    expect(l.statusReason).toMatch(
      /^Redirect loop during sign-in: The browser went through session-api .* 11 times\./,
    );
  });

  it('Safari: one entry for the whole chain, its error in words', () => {
    const l = only(
      launchHar(
        [
          {
            url: `${SESSION_API}?to=${encodeURIComponent(AUTH)}&forceAuthn=true`,
            status: 0,
            error: 'too many HTTP redirects',
          },
        ],
        head,
      ),
    );
    expect(l.findings[0]).toMatchObject({ ruleId: 'redirect-loop' });
    expect(l.findings[0]!.summary).toMatch(
      /^The browser gave up on session-api .* after too many redirects \(too many HTTP redirects\); the file does not hold the hops themselves\./,
    );
  });
});

describe('HAR import: an entry without a usable start time', () => {
  it.each([
    ['empty (Safari, a resource it has no time for)', ''],
    ['not a date', 'yesterday-ish'],
  ])('%s: skipped and counted, not placed in 1970', (_name, date) => {
    const text = launchHar([
      {
        ...tokenPost(200),
        body: JSON.stringify({
          access_token: 'at-1234567890',
          token_type: 'Bearer',
          scope: 'launch openid fhirUser user/Patient.read',
          patient: '1',
          expires_in: 570,
        }),
      },
      {
        url: `${ISS}/Patient/1`,
        status: 200,
        type: 'fetch',
        body: '{"resourceType":"Patient"}',
        startedDateTime: date,
      },
      { url: `${ISS}/Observation?patient=1`, status: 200, type: 'fetch', body: '{"resourceType":"Bundle"}' },
    ]);
    const read = readHar(text, 'tool.har', 'imp');
    expect(read.skipped.count).toBe(1);
    expect(read.skipped.first[0]).toBe('log.entries.5.startedDateTime: not a date and time');
    const launches = analyze(read.exchanges);
    expect(launches.map((l) => l.status)).toEqual(['succeeded']);
    expect(Math.min(...read.exchanges.map((e) => e.startedAt))).toBe(Date.UTC(2026, 11, 4, 9, 0, 0));
  });
});

describe('HAR import: Safari keeps one entry per redirect chain, so the authorize request is not in the file', () => {
  const errorUri = (urn: string) =>
    encodeURIComponent(
      `https://authorization.cerner.com/errors/${encodeURIComponent(urn)}/instances/fc6f04ba-a595-143b-2490-be49ffdca0f6`,
    );
  const head = toCallback().slice(0, 2);

  it("an error sent back to the app's /launch/auth joins the launch it ends: failed for the server's reason", () => {
    const l = only(
      launchHar(
        [
          {
            url: `${APP.replace('/smart', '')}/launch/auth?error=invalid_request&error_uri=${errorUri('urn:cerner:error:authorization-server:smart-v1:grant:launch:audience-not-white-listed')}&state=${STATE}`,
            status: 200,
          },
        ],
        head,
      ),
    );
    expect(l.steps.map((s) => s.kind)).toEqual(['ehr-launch', 'discovery', 'callback']);
    expect(l.status).toBe('failed');
    expect(l.findings[0]!.title).toBe('aud not allowed');
  });

  it('a standalone launch (discovery read by the app’s page) refused for its persona: named without a persona the file does not show', () => {
    const l = only(
      launchHar(
        [
          {
            url: `${ISS}/.well-known/smart-configuration`,
            status: 200,
            type: 'fetch',
            body: JSON.stringify({ authorization_endpoint: AUTHORIZE, token_endpoint: TOKEN }),
            requestHeaders: { Origin: 'https://app.example-clinic.org' },
          },
          {
            url: `https://app.example-clinic.org/launch/auth?error=unauthorized_client&error_uri=${errorUri('urn:cerner:error:authorization-server:oauth2:grant:client-persona-mismatch')}&state=${STATE}`,
            status: 200,
          },
        ],
        [],
      ),
    );
    expect(l.steps.map((s) => s.kind)).toEqual(['discovery', 'callback']);
    expect(l.findings[0]).toMatchObject({ ruleId: 'persona-mismatch' });
    expect(l.findings[0]!.summary).not.toContain('unknown persona');
  });

  it("Oracle's error page for an unknown client joins the launch that had named no client yet", () => {
    const l = only(
      launchHar(
        [
          {
            url: `https://authorization.cerner.com/errors/${encodeURIComponent('urn:cerner:error:authorization-server:oauth2:grant:unknown-client')}/instances/6816e7a8-292e-dcbe-1ed3-ef9533f1ca3d?persona=provider&client=my-app-dev-typo&tenant=${TENANT}`,
            status: 200,
          },
        ],
        head,
      ),
    );
    expect(l.steps.map((s) => s.kind)).toEqual(['ehr-launch', 'discovery', 'error-page']);
    expect(l.findings[0]!.title).toBe('Unknown client');
  });
});

describe('HAR import: requests a service worker answered', () => {
  const token = JSON.stringify({
    access_token: 'at-1234567890',
    token_type: 'Bearer',
    scope: 'launch openid fhirUser user/Patient.read',
    patient: '1',
    expires_in: 570,
  });
  const at = (ms: number) => new Date(Date.UTC(2026, 11, 4, 9, 0, 1, ms)).toISOString();

  it("Chrome's two entries of one request (the page's, marked, and the worker's to the network) are one", () => {
    const l = only(
      launchHar([
        { ...tokenPost(200), body: token, startedDateTime: at(0), entry: { _fetchedViaServiceWorker: true } },
        { ...tokenPost(200), body: token, startedDateTime: at(3) },
        {
          url: `${ISS}/Patient/1`,
          status: 200,
          type: 'fetch',
          body: '{"resourceType":"Patient"}',
          startedDateTime: at(400),
        },
      ]),
    );
    expect(l.steps.filter((s) => s.kind === 'token')).toHaveLength(1);
    expect(l.status).toBe('succeeded');
    expect(l.findings.map((f) => f.ruleId)).not.toContain('code-reuse');
  });

  it('the same request sent twice, neither through a worker, stays two', () => {
    const l = only(
      launchHar([
        { ...tokenPost(200), body: token, startedDateTime: at(0) },
        { ...tokenPost(200), body: token, startedDateTime: at(3), response: { _transferSize: 812 } },
      ]),
    );
    expect(l.steps.filter((s) => s.kind === 'token')).toHaveLength(2);
  });
});

describe('HAR import: files that are no HAR text', () => {
  const refusal = (text: string) => {
    try {
      importHar(text, 'f.har', 'imp');
    } catch (error) {
      return (error as Error).message;
    }
    return 'read';
  };
  const latin1 = (bytes: number[]) => new TextDecoder('utf-8').decode(new Uint8Array(bytes));

  it('a ZIP (Playwright), gzip, or UTF-16 file is named as what it is, its bytes not echoed', () => {
    expect(refusal(`PK\u0003\u0004\u0014\u0000\u0008\u0000har.har${'x'.repeat(50)}`)).toBe(
      'f.har is not a HAR file: it is a ZIP archive read as text. Import the .zip file as it is (the log page and the CLI read the .zip Playwright saves, the HAR and its bodies), or the .har file inside it.',
    );
    expect(refusal(latin1([0x1f, 0x8b, 0x08, 0x00, 0x12, 0x34, 0x56, 0x78, 0x00, 0x03]))).toBe(
      'f.har is not a HAR file: it is gzip-compressed. Decompress it (gunzip) and import the .har file.',
    );
    const utf16 = [0xff, 0xfe, ...[...'{"log":{"version":"1.2"}}'].flatMap((c) => [c.charCodeAt(0), 0])];
    expect(refusal(latin1(utf16))).toMatch(
      /^f\.har is not a HAR file: it looks like UTF-16 text; HAR files are UTF-8/,
    );
  });

  it("a Charles session or mitmproxy's flow file: named, with how to save a HAR from it", () => {
    const chlsj = JSON.stringify([
      { status: 'COMPLETE', method: 'GET', scheme: 'https', host: 'smart.cerner.com', path: '/' },
    ]);
    expect(refusal(chlsj)).toBe(
      'f.har is a Charles session (JSON), not a HAR file. In Charles use File → Export Session… and choose HTTP Archive (.har).',
    );
    expect(refusal('2398:7:version;2:20#4:type;4:http;2:id;36:\u0000\u0001')).toMatch(
      /^f\.har is not a HAR file: it is a mitmproxy flow file\. Save a HAR from it \(mitmdump -nr <flows> --set hardump=<file>\.har\)/,
    );
    expect(refusal('{"hello":"world"}')).toMatch(/it has no "log" object/);
  });

  it("one Cookie header per cookie (HTTP/2's crumbs): every cookie counted", () => {
    const l = only(
      launchHar(
        [
          {
            url: `https://authorization.cerner.com/session-api/realm/${TENANT}?to=${encodeURIComponent(AUTH)}&forceAuthn=true`,
            status: 400,
            requestHeaders: { cookie: 'JSESSIONID=abc123', Cookie: 'sso-session=def456' },
          },
        ],
        toCallback().slice(0, 2),
      ),
    );
    const hop = l.steps.find((s) => s.kind === 'session-api')!;
    expect(hop.exchange.requestCookies?.count).toBe(2);
  });
});

describe('HAR import: a file without the token response (Playwright minimal, bodies left out)', () => {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const issued = Date.UTC(2026, 11, 4, 9, 0, 0) / 1000;
  const jwt = `${b64({ alg: 'ES256', kid: 'k1' })}.${b64({ iat: issued, exp: issued + 570, aud: ISS })}.c2lnbmF0dXJlLW9mLXRoZS1hY2Nlc3MtdG9rZW4`;

  it("the 401's bearer JWT says how old the token was and for how long it held", () => {
    const text = launchHar([
      { ...tokenPost(200), startedDateTime: new Date((issued + 1) * 1000).toISOString() },
      {
        url: `${ISS}/Observation?patient=1`,
        status: 401,
        type: 'fetch',
        requestHeaders: { Authorization: `Bearer ${jwt}` },
        startedDateTime: new Date((issued + 641) * 1000).toISOString(),
      },
    ]);
    const l = only(text);
    const f = l.findings.find((x) => x.ruleId === 'token-expired')!;
    expect(f.title).toBe('Access token expired');
    expect(f.summary).toBe(
      'The FHIR server refused the token 641 s (10 min 41 s) after it was issued; it was valid for 570 s (by the iat and exp of the token the request sent).',
    );
    // Times are kept; the token is not.
    expect(JSON.stringify(l)).not.toContain(jwt.split('.')[2]!.slice(0, 12));
  });
});

describe('HAR import: granted scopes from the access token when the token response has no body', () => {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const bearer = (scope: object) =>
    `${b64({ alg: 'ES256', kid: 'k1' })}.${b64({ iat: 1_800_000_000, exp: 1_800_000_570, ...scope })}.c2lnbmF0dXJlLW9mLXRoZS1hY2Nlc3MtdG9rZW4`;
  const read = (status: number, token: string) =>
    launchHar([
      { ...tokenPost(200) },
      {
        url: `${ISS}/Patient/1`,
        status,
        type: 'fetch',
        requestHeaders: { Authorization: `Bearer ${token}` },
        ...(status === 403 ? { body: JSON.stringify({ resourceType: 'OperationOutcome' }) } : {}),
      },
    ]);

  it('a 403 for a type the app asked for and the token does not carry: trimmed, said from the scope claim', () => {
    // Asked: launch openid fhirUser user/Patient.read; the token carries no Patient scope.
    const l = only(read(403, bearer({ scope: 'launch user/Observation.read' })));
    const f = l.findings.find((x) => x.ruleId === 'scopes-trimmed')!;
    expect(f.title).toBe('Scopes trimmed: FHIR requests refused');
    const granted = f.evidence.find((e) => e.label.startsWith('granted'))!;
    expect(granted.label).toBe("granted (the access token's scope claim)");
    expect(granted.value).toBe('launch user/Observation.read');
    // A claim may leave identity scopes out: only the refused type is said to be missing.
    expect(f.evidence.find((e) => e.label === 'dropped')!.value).toBe('user/Patient.read');
    expect(f.summary).toBe(
      "The access token the app sent does not carry user/Patient.read, which the app requested: the server left it out of the grant (read from the token's scope claim; the token response was not recorded).",
    );
  });

  it("Entra's scp list is read as well; a token that carries the type makes the refusal the server's own", () => {
    const trimmed = only(read(403, bearer({ scp: ['user/Observation.read'] })));
    expect(trimmed.findings.find((x) => x.ruleId === 'scopes-trimmed')!.title).toBe(
      'Scopes trimmed: FHIR requests refused',
    );
    const policy = only(read(403, bearer({ scp: ['user/Patient.read'] })));
    expect(policy.findings.map((x) => x.ruleId)).not.toContain('scopes-trimmed');
    expect(policy.findings.find((x) => x.ruleId === 'fhir-refused')!.summary).toContain(
      'not for lack of scope',
    );
  });

  it('reads that succeed: no finding from a claim that leaves identity scopes out, and the Scopes tab lists no grant', () => {
    const l = only(read(200, bearer({ scope: 'user/Patient.read' })));
    expect(l.status).toBe('succeeded');
    expect(l.findings.filter((x) => x.ruleId === 'scopes-trimmed')).toEqual([]);
    expect(grantedScopes(l)).toBeUndefined();
    // Scopes are no secret; the token is.
    expect(JSON.stringify(l)).not.toContain('c2lnbmF0dXJl');
  });
});

describe('HAR import: the size bound of live recording', () => {
  it('a 2 MB URL and its redirect are cut as the recorder cuts them, the marker keeping the length sent', () => {
    const huge = `${ISS}/.well-known/smart-configuration?pad=${'a'.repeat(2_000_000)}`;
    const exchanges = importHar(
      proxyHar([
        {
          url: huge,
          status: 302,
          location: huge,
          type: 'fetch',
          startedDateTime: '2026-12-04T09:00:00.000Z',
        },
      ]),
      'big.har',
      'imp',
    );
    expect(exchanges).toHaveLength(1);
    const ex = exchanges[0]!;
    expect(ex.url.length).toBeLessThan(MAX_URL_CHARS + 100);
    expect(ex.url).toMatch(/…\[URL of \d+ characters cut to 65536\]$/);
    expect(urlLengthOf(ex.url)).toBe(huge.length);
    expect(ex.location!.length).toBeLessThan(MAX_URL_CHARS + 100);
  });
});

describe('HAR import: entries without a duration (time -1, as Playwright minimal writes it)', () => {
  it('are answered steps with no duration shown, not 0 ms, and an export keeps them so', () => {
    const text = launchHar(
      [
        { ...tokenPost(200) },
        { url: `${ISS}/Patient/1`, status: 200, type: 'fetch', body: '{"resourceType":"Patient"}' },
      ],
      toCallback(),
    );
    const har = JSON.parse(text);
    for (const e of har.log.entries) e.time = -1;
    delete har.log.entries[0].time;
    const l = only(JSON.stringify(har));
    expect(l.status).toBe('succeeded');
    expect(l.steps.length).toBeGreaterThan(3);
    expect(l.steps.map((s) => s.durationMs)).toEqual(l.steps.map(() => undefined));
    const again = analyze(importHar(launchToHarText(l), 'again.har', 'again'));
    expect(again.map((x) => x.status)).toEqual(['succeeded']);
    expect(again[0]!.steps.map((s) => s.durationMs)).toEqual(l.steps.map(() => undefined));
    // A file that gives durations keeps them.
    expect(only(text).steps.every((s) => s.durationMs === 80)).toBe(true);
  });
});

describe("Playwright's .zip whose body files cannot be inflated", () => {
  it('reads the HAR without those bodies instead of failing', () => {
    const har = {
      log: {
        version: '1.2',
        entries: [
          {
            startedDateTime: '2026-12-04T09:00:00.000Z',
            time: 5,
            request: { method: 'GET', url: `${ISS}/.well-known/smart-configuration`, headers: [] },
            response: {
              status: 200,
              headers: [],
              content: { mimeType: 'application/json', _file: 'b.json' },
            },
          },
        ],
      },
    };
    const body = strToU8(JSON.stringify({ issuer: 'x'.repeat(5000), n: 0.123456789 }));
    const zip = zipSync({
      'har.har': [strToU8(JSON.stringify(har)), { level: 0 }],
      'b.json': [body, { level: 9 }],
    });
    // Spoil the deflated body: the bytes after the second local file header.
    let second = -1;
    for (let i = 4; i < zip.length - 4 && second === -1; i++)
      if (zip[i] === 0x50 && zip[i + 1] === 0x4b && zip[i + 2] === 3 && zip[i + 3] === 4) second = i;
    zip.fill(0xff, second + 40, second + 60);
    const read = JSON.parse(harTextFromZip(zip, 'z.zip'));
    expect(read.log.entries[0].response.content).toEqual({ mimeType: 'application/json', _file: 'b.json' });
    expect(importHar(JSON.stringify(read), 'z.zip', 'z')).toHaveLength(1);
  });
});

describe('HAR import: SMART Backend Services (client_credentials with a signed client assertion)', () => {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const assertion = `${b64({ alg: 'RS384', kid: 'k1' })}.${b64({ iss: 'backend-app', sub: 'backend-app', aud: TOKEN, jti: 'j1', exp: 1_900_000_000 })}.c2lnbmF0dXJlLW9mLXRoZS1jbGllbnQtYXNzZXJ0aW9u`;

  it('discovery, the token request and the reads are one launch of the client the assertion names; the assertion is masked', () => {
    const text = launchHar(
      [
        {
          ...tokenPost(200),
          post: `grant_type=client_credentials&scope=${encodeURIComponent('system/Patient.rs')}&client_assertion_type=${encodeURIComponent('urn:ietf:params:oauth:client-assertion-type:jwt-bearer')}&client_assertion=${assertion}`,
          body: JSON.stringify({
            access_token: 'at-backend-0123456789',
            token_type: 'Bearer',
            expires_in: 570,
            scope: 'system/Patient.rs',
          }),
        },
        { url: `${ISS}/Patient/1`, status: 200, type: 'fetch', body: '{"resourceType":"Patient"}' },
      ],
      toCallback().slice(1, 2),
    );
    const l = only(text);
    expect(l.steps.map((s) => s.kind)).toEqual(['discovery', 'token', 'fhir']);
    expect(l.clientId).toBe('backend-app');
    expect(l.status).toBe('succeeded');
    expect(JSON.stringify(l)).not.toContain(assertion.split('.')[1]!.slice(0, 16));
  });

  it('an assertion already past its exp, refused with invalid_client: said so, with by how much', () => {
    const issued = Date.UTC(2026, 11, 4, 9, 0, 0) / 1000;
    const stale = `${b64({ alg: 'RS384' })}.${b64({ iss: 'backend-app', sub: 'backend-app', aud: TOKEN, jti: 'j2', exp: issued - 600 })}.c2lnbmF0dXJlLW9mLXRoZS1zdGFsZS1hc3NlcnRpb24`;
    const l = only(
      launchHar(
        [
          {
            ...tokenPost(401),
            post: `grant_type=client_credentials&scope=${encodeURIComponent('system/Patient.rs')}&client_assertion_type=${encodeURIComponent('urn:ietf:params:oauth:client-assertion-type:jwt-bearer')}&client_assertion=${stale}`,
            body: JSON.stringify({ error: 'invalid_client' }),
            startedDateTime: new Date(issued * 1000).toISOString(),
          },
        ],
        toCallback().slice(1, 2),
      ),
    );
    expect(l.status).toBe('failed');
    expect(l.statusReason).toContain(
      'The client_assertion had expired: its exp was 600 s before the request',
    );
    // The fix is a new assertion, not the client secret or key the generic invalid_client advice names.
    const advice = l.findings.flatMap((f) => f.fixes).map((f) => f.label);
    expect(advice).toContainEqual(
      expect.stringMatching(/^Sign a new client_assertion for every token request/),
    );
    expect(advice.join(' ')).not.toMatch(/client secret/i);
  });
});

describe('HAR import: a query written only in queryString (some tools leave it out of url)', () => {
  it('the URL is read with that query, as the browser sent it', () => {
    const har = {
      log: {
        version: '1.2',
        creator: { name: 'Fiddler', version: '5' },
        entries: [
          {
            startedDateTime: '2026-12-04T09:00:00.000Z',
            time: 40,
            request: {
              method: 'GET',
              url: 'https://authorization.cerner.com/session-api/realm/t1',
              headers: [],
              queryString: [
                {
                  name: 'to',
                  value: 'https://authorization.cerner.com/tenants/t1/authorize?client_id=c&state=s',
                },
                { name: 'forceAuthn', value: 'true' },
              ],
            },
            response: { status: 400, headers: [] },
          },
        ],
      },
    };
    const [ex] = importHar(JSON.stringify(har), 'q.har', 'imp');
    expect(ex!.url).toBe(
      `https://authorization.cerner.com/session-api/realm/t1?to=${encodeURIComponent('https://authorization.cerner.com/tenants/t1/authorize?client_id=c&state=s')}&forceAuthn=true`,
    );
  });
});

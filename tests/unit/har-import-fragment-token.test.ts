import { describe, expect, it } from 'vitest';
import { verifierChallenge } from '../../utils/capture';
import { importHar } from '../../utils/har';
import { analyze } from '../../utils/launch/analyze';
import type { Launch } from '../../utils/model';

/**
 * HARs in shapes our recorder never makes, and what only a HAR's request headers and bodies show:
 * - authorization responses sent in the fragment (`response_mode=fragment`, seen only in the redirect's
 *   Location: browsers send no fragment), the implicit flow's access token among them, and responses
 *   posted to the redirect URI (`response_mode=form_post`);
 * - FHIR calls tied to their launch by the bearer token they sent: launches side by side with no tabs
 *   to tell them apart (a proxy's HAR), a read to a misspelled host, a read the next morning;
 * - what the bearer token and the code_verifier were (`Bearer undefined`, the id_token, a replaced
 *   token; a verifier of standard Base64);
 * - entries a file holds twice (a HAR merged with itself).
 */

const ISS = 'https://ehr.example.org/fhir';
const AUTHORIZE = 'https://ehr.example.org/auth/authorize';
const TOKEN = 'https://ehr.example.org/auth/token';
const APP = 'https://vitals.example.com';
const CALLBACK = `${APP}/callback`;
const DISCOVERY = JSON.stringify({
  authorization_endpoint: AUTHORIZE,
  token_endpoint: TOKEN,
  code_challenge_methods_supported: ['S256'],
  scopes_supported: ['launch', 'openid', 'fhirUser', 'patient/Patient.rs', 'patient/Observation.rs'],
});

interface Entry {
  startedDateTime: string;
  request: { method: string; url: string; headers: { name: string; value: string }[]; postData?: unknown };
  response: {
    status: number;
    headers: { name: string; value: string }[];
    redirectURL?: string;
    content?: { mimeType: string; text: string };
  };
  _resourceType: string;
}

class Har {
  readonly entries: Entry[] = [];
  private t = Date.UTC(2026, 11, 4, 9, 0, 0);

  add(
    method: string,
    url: string,
    status: number,
    more: {
      type?: string;
      location?: string;
      body?: string;
      form?: string;
      headers?: Record<string, string>;
    } = {},
  ): this {
    this.t += 50;
    const headers = Object.entries(more.headers ?? {}).map(([name, value]) => ({ name, value }));
    const entry: Entry = {
      startedDateTime: new Date(this.t).toISOString(),
      request: { method, url, headers },
      response: { status, headers: [] },
      _resourceType: more.type ?? 'document',
    };
    if (more.location) {
      entry.response.headers.push({ name: 'Location', value: more.location });
      entry.response.redirectURL = more.location;
    }
    if (more.body !== undefined) entry.response.content = { mimeType: 'application/json', text: more.body };
    if (more.form) {
      entry.request.postData = { mimeType: 'application/x-www-form-urlencoded', text: more.form };
    }
    this.entries.push(entry);
    return this;
  }

  /** The next entry starts `ms` later than it would (each starts 50 ms after the one before). */
  wait(ms: number): this {
    this.t += ms;
    return this;
  }

  text(): string {
    return JSON.stringify({
      log: { version: '1.2', creator: { name: 'test', version: '1' }, entries: this.entries },
    });
  }
}

const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

function authorizeUrl(
  launch: string,
  state: string,
  mode: 'fragment' | 'query' | 'form_post' = 'fragment',
): string {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: 'vitals',
    launch,
    redirect_uri: CALLBACK,
    scope: 'launch openid fhirUser patient/Patient.rs',
    state,
    aud: ISS,
    code_challenge: verifierChallenge(VERIFIER),
    code_challenge_method: 'S256',
  });
  if (mode !== 'query') q.set('response_mode', mode);
  return `${AUTHORIZE}?${q}`;
}

function launchStart(har: Har, launch: string): void {
  har.add('GET', `${APP}/launch?iss=${encodeURIComponent(ISS)}&launch=${launch}`, 200);
  har.add('GET', `${ISS}/.well-known/smart-configuration`, 200, { type: 'fetch', body: DISCOVERY });
}

/**
 * A new HAR with the launch up to its callback: the launch URL and discovery, the authorize request
 * (`authorize`, by default the query-mode one for `state`) redirected to the callback with `code`.
 */
function atCallback(state: string, code: string, authorize = authorizeUrl(LAUNCH, state, 'query')): Har {
  const har = new Har();
  launchStart(har, LAUNCH);
  const callback = `${CALLBACK}?code=${code}&state=${state}`;
  har.add('GET', authorize, 302, { location: callback });
  har.add('GET', callback, 200);
  return har;
}

function tokenPost(har: Har, code: string, accessToken: string, more: Record<string, unknown> = {}): void {
  har.add('POST', TOKEN, 200, {
    type: 'fetch',
    form: `grant_type=authorization_code&code=${code}&redirect_uri=${encodeURIComponent(CALLBACK)}&client_id=vitals&code_verifier=${VERIFIER}`,
    body: JSON.stringify({
      access_token: accessToken,
      token_type: 'Bearer',
      scope: 'launch openid fhirUser patient/Patient.rs',
      patient: 'p',
      ...more,
    }),
    headers: { Origin: APP },
  });
}

function fhirGet(har: Har, path: string, status: number, accessToken: string | undefined): void {
  har.add('GET', `${ISS}/${path}`, status, {
    type: 'fetch',
    body: status === 200 ? '{"resourceType":"Patient"}' : '{"resourceType":"OperationOutcome"}',
    headers: { Origin: APP, ...(accessToken ? { Authorization: `Bearer ${accessToken}` } : {}) },
  });
}

const LAUNCH = 'L1';

const kinds = (l: Launch) => l.steps.map((s) => s.kind);

describe('HAR import: authorization responses in the fragment', () => {
  it('the implicit flow: the access token in the fragment is the callback, the launch succeeds, the token masked', () => {
    const state = 'st-implicit-0123456789abcdef';
    const token = 'IMPLICIT-ACCESS-TOKEN-0123456789abcdef';
    const har = new Har();
    launchStart(har, LAUNCH);
    const callback = `${CALLBACK}#access_token=${token}&token_type=Bearer&expires_in=3600&state=${state}`;
    const authorize = authorizeUrl(LAUNCH, state).replace('response_type=code', 'response_type=token');
    har.add('GET', authorize, 302, { location: callback });
    har.add('GET', CALLBACK, 200);
    fhirGet(har, 'Patient/p', 200, token);
    const [launch, ...more] = analyze(importHar(har.text(), 'implicit.har', 'imp'));
    expect(more).toEqual([]);
    expect(kinds(launch!)).toEqual(['ehr-launch', 'discovery', 'authorize', 'callback', 'fhir']);
    expect(launch!.steps[3]!.label).toBe('callback (access token)');
    expect(launch!.steps[4]!.exchange.secretFacts?.tokenFingerprint).toBe(
      launch!.steps[3]!.exchange.secretFacts?.tokenFingerprint,
    );
    expect(launch!.status).toBe('succeeded');
    expect(launch!.findings.filter((f) => f.severity !== 'info').map((f) => f.title)).toEqual([
      'Implicit flow (response_type=token)',
    ]);
    expect(JSON.stringify(launch)).not.toContain(token);
    // Refused at its FHIR read, it failed there, as a launch of the code flow would.
    const refused = new Har();
    launchStart(refused, LAUNCH);
    refused.add('GET', authorize, 302, { location: callback });
    refused.add('GET', CALLBACK, 200);
    fhirGet(refused, 'Patient/p', 401, token);
    const [failed] = analyze(importHar(refused.text(), 'implicit.har', 'imp'));
    expect(failed!.status).toBe('failed');
    expect(failed!.failedAt).toBe(failed!.steps.at(-1)!.exchange.id);
  });

  it('an error sent in the fragment fails the launch at its callback, in the server’s words', () => {
    const state = 'st-fragment-error-0123456789';
    const har = new Har();
    launchStart(har, LAUNCH);
    const callback = `${CALLBACK}#error=invalid_scope&error_description=Unknown%20scope%20patient%2F*.rs&state=${state}`;
    har.add('GET', authorizeUrl(LAUNCH, state), 302, { location: callback });
    // The page load's request URL has no fragment, as DevTools records it.
    har.add('GET', CALLBACK, 200);
    const exchanges = importHar(har.text(), 'f.har', 'imp');
    expect(exchanges.at(-1)!.url).toBe(callback);
    const [launch] = analyze(exchanges);
    expect(kinds(launch!)).toEqual(['ehr-launch', 'discovery', 'authorize', 'callback']);
    expect(launch!.status).toBe('failed');
    expect(launch!.steps.at(-1)!.label).toBe('callback error=invalid_scope');
    expect(launch!.statusReason).toContain('The server said: “Unknown scope patient/*.rs”.');
    const finding = launch!.findings[0]!;
    expect(finding.evidence).toContainEqual(
      expect.objectContaining({ label: 'error_description', value: 'Unknown scope patient/*.rs' }),
    );
  });

  it('a consent form answered with the callback is kept, so the callback is found', () => {
    const state = 'st-consent-denied-0123456789';
    const har = new Har();
    launchStart(har, LAUNCH);
    const consent = `${AUTHORIZE}-app?state=${state}`;
    har.add('GET', authorizeUrl(LAUNCH, state), 302, { location: consent });
    har.add('GET', consent, 200);
    const callback = `${CALLBACK}#error=access_denied&error_description=The%20user%20denied%20access&state=${state}`;
    // The form itself names nothing of a launch (no OAuth parameter a request is kept for).
    har.add('POST', `${AUTHORIZE}-app`, 302, { location: callback, form: 'decision=deny' });
    har.add('GET', CALLBACK, 200);
    const [launch] = analyze(importHar(har.text(), 'c.har', 'imp'));
    expect(kinds(launch!)).toEqual([
      'ehr-launch',
      'discovery',
      'authorize',
      'idp-login',
      'idp-login',
      'callback',
    ]);
    expect(launch!.status).toBe('cancelled');
    expect(launch!.statusReason).toContain('The server said: “The user denied access”.');
  });

  it('a code in the fragment pairs with its token request and is not kept in clear', () => {
    const state = 'st-fragment-code-0123456789';
    const code = 'FRAGMENT-CODE-abcdefghijklmnop';
    const har = new Har();
    launchStart(har, LAUNCH);
    har.add('GET', authorizeUrl(LAUNCH, state), 302, { location: `${CALLBACK}#code=${code}&state=${state}` });
    har.add('GET', CALLBACK, 200);
    tokenPost(har, code, 'access-token-fragment-0123456789');
    const exchanges = importHar(har.text(), 'c.har', 'imp');
    expect(JSON.stringify(exchanges)).not.toContain(code);
    const [launch] = analyze(exchanges);
    expect(kinds(launch!)).toEqual(['ehr-launch', 'discovery', 'authorize', 'callback', 'token']);
    expect(launch!.status).toBe('succeeded');
    const [callback, token] = [launch!.steps[3]!, launch!.steps[4]!];
    expect(callback.exchange.secretFacts?.codeFingerprint).toBeDefined();
    expect(token.exchange.secretFacts?.codeFingerprint).toBe(callback.exchange.secretFacts?.codeFingerprint);
  });
});

describe('HAR import: launches side by side, told apart by their tokens', () => {
  /** Two launches of one app interleaved, as a proxy records two tabs; each then reads FHIR. */
  function twoLaunches(withTokens: boolean): Launch[] {
    const har = new Har();
    const a = {
      launch: 'LA',
      state: 'st-launch-a-0123456789',
      code: 'CODE-A-0123456789abcdef',
      token: 'token-a-0123456789abcdef',
    };
    const b = {
      launch: 'LB',
      state: 'st-launch-b-0123456789',
      code: 'CODE-B-0123456789abcdef',
      token: 'token-b-0123456789abcdef',
    };
    launchStart(har, a.launch);
    launchStart(har, b.launch);
    for (const l of [a, b]) {
      const callback = `${CALLBACK}?code=${l.code}&state=${l.state}`;
      har.add('GET', authorizeUrl(l.launch, l.state, 'query'), 302, { location: callback });
      har.add('GET', callback, 200);
    }
    tokenPost(har, a.code, a.token);
    tokenPost(har, b.code, b.token);
    // A's reads come after B's token: the newest launch is B's.
    fhirGet(har, 'Patient/a', 200, withTokens ? a.token : undefined);
    fhirGet(har, 'Patient/b', 200, withTokens ? b.token : undefined);
    fhirGet(har, 'Observation?patient=a', 403, withTokens ? a.token : undefined);
    const exchanges = importHar(har.text(), 'two.har', 'imp');
    for (const secret of [a.token, b.token, a.code, b.code])
      expect(JSON.stringify(exchanges)).not.toContain(secret);
    return analyze(exchanges).sort((x, y) => x.startedAt - y.startedAt);
  }

  const fhirPaths = (l: Launch) =>
    l.steps.filter((s) => s.kind === 'fhir').map((s) => new URL(s.exchange.url).pathname.split('/').pop());

  it('each FHIR call goes with the launch whose token it sent', () => {
    const [a, b] = twoLaunches(true);
    expect(fhirPaths(a!)).toEqual(['a', 'Observation']);
    expect(fhirPaths(b!)).toEqual(['b']);
    // The refused read is A's: its launch is the one to diagnose, B's has nothing refused.
    const refused = (l: Launch) => l.steps.filter((s) => s.exchange.status === 403).length;
    expect([refused(a!), refused(b!)]).toEqual([1, 0]);
  });

  it('without the tokens, time and place are all there is: the newest launch takes the calls', () => {
    const [a, b] = twoLaunches(false);
    expect(fhirPaths(a!)).toEqual([]);
    expect(fhirPaths(b!)).toEqual(['a', 'b', 'Observation']);
  });
});

describe('HAR import: a FHIR read sent to a host that does not resolve', () => {
  it('joins its launch by the token it sent, which fails there, the two hosts named', () => {
    const state = 'st-typo-host-0123456789abcdef';
    const code = 'TYPO-HOST-CODE-abcdefghijklmnop';
    const har = atCallback(state, code);
    tokenPost(har, code, 'access-token-typo-0123456789');
    fhirGet(har, 'Patient/p', 200, 'access-token-typo-0123456789');
    const typo = ISS.replace('//', '//typo-');
    har.add('GET', `${typo}/Observation?patient=p`, 0, {
      type: 'fetch',
      headers: { Origin: APP, Authorization: 'Bearer access-token-typo-0123456789' },
    });
    Object.assign(har.entries.at(-1)!.response, { _error: 'net::ERR_NAME_NOT_RESOLVED' });
    const [launch, ...more] = analyze(importHar(har.text(), 'typo.har', 'imp'));
    expect(more).toEqual([]);
    expect(launch!.status).toBe('failed');
    expect(launch!.findings[0]).toMatchObject({ title: 'FHIR server unreachable', severity: 'error' });
    expect(launch!.statusReason).toContain(
      `could not be found (DNS) (net::ERR_NAME_NOT_RESOLVED). The launch's FHIR server is ${new URL(ISS).host} (iss): the app sent this request to another host.`,
    );
  });
});

describe('HAR import: a FHIR read the next morning with the token of the day before', () => {
  it('joins its launch by the token it sent, however late: expired, its age in hours too', () => {
    const state = 'st-next-morning-0123456789abcdef';
    const code = 'NEXT-MORNING-CODE-abcdefghijklmnop';
    const har = atCallback(state, code);
    tokenPost(har, code, 'access-token-next-morning-0123456789', { expires_in: 3600 });
    fhirGet(har, 'Patient/p', 200, 'access-token-next-morning-0123456789');
    // The laptop slept with the app open; its poller wakes up 15 h 50 min later.
    har.wait((15 * 60 + 50) * 60_000);
    fhirGet(har, 'Observation?patient=p', 401, 'access-token-next-morning-0123456789');
    const [launch, ...more] = analyze(importHar(har.text(), 'morning.har', 'imp'));
    expect(more).toEqual([]);
    expect(kinds(launch!).slice(-2)).toEqual(['fhir', 'fhir']);
    expect(launch!.status).toBe('failed');
    expect(launch!.findings[0]).toMatchObject({ ruleId: 'token-expired', title: 'Access token expired' });
    expect(launch!.findings[0]!.summary).toBe(
      'The FHIR server refused the token 57000 s (15 h 50 min) after it was issued; it was valid for 3600 s.',
    );
  });
});

describe('HAR import: a code_verifier of standard Base64 (+ / =)', () => {
  const BAD = 'K1x+Zq/8Rt+w3Ma9Lp2Nv7Bc4Dx6Fy0GhJ1kL2mN3o=';
  function verifierLaunch(form: string): Launch {
    const state = 'st-base64-verifier-0123456789';
    const code = 'BASE64-VERIFIER-CODE-abcdefgh';
    const authorize = authorizeUrl(LAUNCH, state, 'query').replace(
      encodeURIComponent(verifierChallenge(VERIFIER)),
      verifierChallenge(BAD),
    );
    const har = atCallback(state, code, authorize);
    har.add('POST', TOKEN, 400, {
      type: 'fetch',
      form: `grant_type=authorization_code&code=${code}&client_id=vitals&code_verifier=${form}`,
      body: '{"error":"invalid_grant","error_description":"PKCE verification failed"}',
      headers: { Origin: APP },
    });
    const [launch] = analyze(importHar(har.text(), 'pkce.har', 'imp'));
    return launch!;
  }

  it('its "+" sent unencoded (read as a space): said as that, not as another authorization’s verifier', () => {
    const l = verifierLaunch(BAD);
    expect(l.status).toBe('failed');
    expect(l.findings[0]).toMatchObject({ ruleId: 'pkce', title: 'PKCE mismatch: token request refused' });
    expect(l.findings[0]!.summary).toMatch(
      /^The code_verifier reached the token endpoint with a space where the verifier behind the code_challenge has a "\+".* \("\+", "\/", "="\).*not standard Base64\. The server refused the token request for it\.$/,
    );
    expect(l.findings[0]!.summary).not.toContain('another authorization');
    expect(JSON.stringify(l)).not.toContain(BAD.slice(0, 12));
  });

  it('sent encoded, it matches: a warning that RFC 7636 allows none of those characters', () => {
    const l = verifierLaunch(encodeURIComponent(BAD));
    const f = l.findings.find((x) => x.ruleId === 'pkce');
    expect(f).toMatchObject({
      severity: 'warning',
      title: 'code_verifier of characters PKCE does not allow',
    });
    expect(f!.summary).toMatch(
      /^The code_verifier has characters RFC 7636 §4\.1 does not allow \("\+", "\/", "="\)/,
    );
  });
});

describe('HAR import: a FHIR request refused for the bearer token it sent', () => {
  const ACCESS = 'access-token-sent-0123456789abcdef';
  const ID_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJlLW9mLXRoZS1pZC10b2tlbg';
  /** A launch that got ACCESS (and ID_TOKEN), then `more`, then a read sending `bearer` refused with 401. */
  function refusedWith(bearer: string, more: (har: Har) => void = () => {}): Launch {
    const state = 'st-bearer-sent-0123456789abcd';
    const code = 'BEARER-SENT-CODE-abcdefghijklm';
    const har = atCallback(state, code);
    har.add('POST', TOKEN, 200, {
      type: 'fetch',
      form: `grant_type=authorization_code&code=${code}&redirect_uri=${encodeURIComponent(CALLBACK)}&client_id=vitals&code_verifier=${VERIFIER}`,
      body: JSON.stringify({
        access_token: ACCESS,
        id_token: ID_TOKEN,
        refresh_token: 'refresh-token-sent-0123456789',
        token_type: 'Bearer',
        expires_in: 3600,
        scope: 'launch openid fhirUser offline_access patient/Patient.rs',
        patient: 'p',
      }),
      headers: { Origin: APP },
    });
    fhirGet(har, 'Patient/p', 200, ACCESS);
    more(har);
    fhirGet(har, 'Patient/p', 401, bearer);
    har.entries
      .at(-1)!
      .response.headers.push({ name: 'WWW-Authenticate', value: 'Bearer error="invalid_token"' });
    const [launch] = analyze(importHar(har.text(), 'bearer.har', 'imp'));
    expect(launch!.status).toBe('failed');
    return launch!;
  }

  it('"Bearer undefined": no token at all, said so', () => {
    const l = refusedWith('undefined');
    expect(l.findings[0]).toMatchObject({
      ruleId: 'token-expired',
      title: 'FHIR request without its access token',
    });
    expect(l.findings[0]!.summary).toMatch(/sent "Authorization: Bearer undefined", no token/);
  });

  it('the id_token as the bearer: named', () => {
    const l = refusedWith(ID_TOKEN);
    expect(l.findings[0]).toMatchObject({ title: 'id_token sent instead of the access token' });
    expect(JSON.stringify(l)).not.toContain(ID_TOKEN.slice(-20));
  });

  it('the token a refresh replaced: named, with the refresh', () => {
    const l = refusedWith(ACCESS, (har) =>
      har.add('POST', TOKEN, 200, {
        type: 'fetch',
        form: 'grant_type=refresh_token&refresh_token=refresh-token-sent-0123456789&client_id=vitals',
        body: JSON.stringify({
          access_token: 'access-token-new-9876543210',
          token_type: 'Bearer',
          expires_in: 3600,
        }),
        headers: { Origin: APP },
      }),
    );
    expect(l.findings[0]).toMatchObject({ title: 'Old access token sent after a refresh' });
    expect(l.findings[0]!.summary).toMatch(
      /sent the access token of token \(authorization_code\), which the token refresh .* replaced/,
    );
    // The current token refused is still read as before.
    const current = refusedWith(ACCESS);
    expect(current.findings[0]!.title).not.toMatch(/Old access token|id_token|without its access token/);
  });
});

describe('HAR import: entries the file holds twice', () => {
  /** The launch of these tests: its read of the patient sent twice. */
  const READ_TWICE = ['ehr-launch', 'discovery', 'authorize', 'callback', 'token', 'fhir', 'fhir'];

  it('a copy of an entry, field for field, is one exchange; a request sent twice stays two', () => {
    const state = 'st-copies-0123456789abcdef';
    const code = 'COPIED-CODE-abcdefghijklmnop';
    const har = atCallback(state, code);
    tokenPost(har, code, 'access-token-copies-0123456789');
    fhirGet(har, 'Patient/p', 200, 'access-token-copies-0123456789');
    fhirGet(har, 'Patient/p', 200, 'access-token-copies-0123456789');
    // Two files joined: every entry again, as it was.
    const joined = { log: { version: '1.2', entries: [...har.entries, ...structuredClone(har.entries)] } };
    const exchanges = importHar(JSON.stringify(joined), 'joined.har', 'imp');
    expect(exchanges).toHaveLength(har.entries.length);
    const [launch] = analyze(exchanges);
    expect(kinds(launch!)).toEqual(READ_TWICE);
    expect(launch!.status).toBe('succeeded');
    expect(launch!.findings.map((f) => f.ruleId)).not.toContain('code-reuse');
  });

  it('a copy shifted by less than its entry took (a file merged with itself) is one exchange; a request sent again after its answer stays two', () => {
    const state = 'st-shifted-0123456789abcdef';
    const code = 'SHIFTED-CODE-abcdefghijklmnop';
    const har = atCallback(state, code);
    tokenPost(har, code, 'access-token-shifted-0123456789');
    // The same read twice, the second sent 50 ms after the first, which took 40 ms.
    fhirGet(har, 'Patient/p', 200, 'access-token-shifted-0123456789');
    fhirGet(har, 'Patient/p', 200, 'access-token-shifted-0123456789');
    for (const e of har.entries) Object.assign(e, { time: 40 });
    const shifted = structuredClone(har.entries).map((e) => ({
      ...e,
      startedDateTime: new Date(Date.parse(e.startedDateTime) + 3).toISOString(),
    }));
    const merged = { log: { version: '1.2', entries: [...har.entries, ...shifted] } };
    const exchanges = importHar(JSON.stringify(merged), 'merged.har', 'imp');
    expect(exchanges).toHaveLength(har.entries.length);
    const [launch, ...more] = analyze(exchanges);
    expect(more).toEqual([]);
    expect(kinds(launch!)).toEqual(READ_TWICE);
    expect(launch!.status).toBe('succeeded');
    expect(launch!.findings.map((f) => f.ruleId)).not.toContain('code-reuse');
    // A second later, the copies are requests of their own.
    const later = structuredClone(har.entries).map((e) => ({
      ...e,
      startedDateTime: new Date(Date.parse(e.startedDateTime) + 1000).toISOString(),
    }));
    const twice = { log: { version: '1.2', entries: [...har.entries, ...later] } };
    expect(importHar(JSON.stringify(twice), 'twice.har', 'imp')).toHaveLength(2 * har.entries.length);
  });
});

describe('HAR import: authorization responses posted as a form (response_mode=form_post)', () => {
  /** The server's sign-in page, then its auto-submitted form to the redirect URI with `fields`. */
  function formPost(state: string, fields: string): Har {
    const har = new Har();
    launchStart(har, LAUNCH);
    har.add('GET', authorizeUrl(LAUNCH, state, 'form_post'), 200);
    har.add('POST', CALLBACK, 200, { form: `${fields}&state=${state}` });
    return har;
  }

  it('a code posted to the redirect URI is the callback: the launch goes on to its token, the code masked', () => {
    const state = 'st-form-post-code-0123456789';
    const har = formPost(state, 'code=SECRET-FORM-CODE-4711');
    tokenPost(har, 'SECRET-FORM-CODE-4711', 'at-form-post');
    fhirGet(har, 'Patient/p', 200, 'at-form-post');
    const exchanges = importHar(har.text(), 'f.har', 'imp');
    const [launch, ...more] = analyze(exchanges);
    expect(more).toEqual([]);
    expect(kinds(launch!)).toEqual(['ehr-launch', 'discovery', 'authorize', 'callback', 'token', 'fhir']);
    const callback = launch!.steps[3]!;
    expect(callback.label).toBe('callback (code)');
    expect(callback.exchange.form?.state).toEqual([state]);
    expect(launch!.status).toBe('succeeded');
    expect(JSON.stringify(launch)).not.toContain('SECRET-FORM-CODE-4711');
  });

  it('a denial posted to the redirect URI cancels the launch at its callback, in the server’s words', () => {
    const state = 'st-form-post-deny-0123456789';
    const har = formPost(state, 'error=access_denied&error_description=The%20user%20denied%20access');
    const [launch] = analyze(importHar(har.text(), 'f.har', 'imp'));
    expect(kinds(launch!).at(-1)).toBe('callback');
    expect(launch!.steps.at(-1)!.label).toBe('callback error=access_denied');
    expect(launch!.status).toBe('cancelled');
    expect(launch!.statusReason).toContain('The user denied access');
  });

  it("the app's own fetch of a code to its backend stays no callback", () => {
    const state = 'st-form-post-fetch-0123456789';
    const har = new Har();
    launchStart(har, LAUNCH);
    har.add('GET', authorizeUrl(LAUNCH, state, 'form_post'), 200);
    har.add('POST', `${APP}/api/session`, 200, { type: 'fetch', form: `code=C1&state=${state}` });
    const [launch] = analyze(importHar(har.text(), 'f.har', 'imp'));
    expect(kinds(launch!)).not.toContain('callback');
  });
});

describe('HAR import: token requests that are no urlencoded form', () => {
  const CODE = 'SECRET-BODY-CODE-8812345';
  /** The launch up to its callback, then a token POST refused with `postData` as the file writes it. */
  function refusedToken(postData: Record<string, unknown>, contentType: string): Launch {
    const state = 'st-body-shape-0123456789abc';
    const har = atCallback(state, CODE);
    har.add('POST', TOKEN, 400, {
      type: 'fetch',
      body: JSON.stringify({ error: 'invalid_request' }),
      headers: { Origin: APP, 'Content-Type': contentType },
    });
    har.entries.at(-1)!.request.postData = postData;
    const [launch, ...more] = analyze(importHar(har.text(), 'f.har', 'imp'));
    expect(more).toEqual([]);
    return launch!;
  }
  const json = JSON.stringify({
    grant_type: 'authorization_code',
    code: CODE,
    redirect_uri: CALLBACK,
    client_id: 'vitals',
    code_verifier: VERIFIER,
  });

  it.each([
    // DevTools writes a JSON body sent under a form's Content-Type as one field named by the whole JSON.
    ['JSON under a form type, text and params', { text: json, params: [{ name: json, value: '' }] }],
    ['JSON under a form type, params only', { params: [{ name: json, value: '' }] }],
    ['JSON under a form type, text only', { text: json }],
  ])('%s: read as JSON, its code and verifier masked, the JSON named as the cause', (_name, post) => {
    const launch = refusedToken(
      { mimeType: 'application/x-www-form-urlencoded', ...post },
      'application/x-www-form-urlencoded',
    );
    const token = launch.steps.at(-1)!;
    expect(token.kind).toBe('token');
    expect(token.exchange.formFormat).toBe('json');
    expect(Object.keys(token.exchange.form ?? {})).toEqual([
      'grant_type',
      'code',
      'redirect_uri',
      'client_id',
      'code_verifier',
    ]);
    const text = JSON.stringify(launch);
    expect(text).not.toContain(CODE);
    expect(text).not.toContain(VERIFIER.slice(4, 20));
    expect(launch.status).toBe('failed');
    expect(launch.findings[0]!.title).toBe('Token request sent as JSON');
    expect(launch.findings.map((f) => f.title)).not.toContain('PKCE incomplete');
  });

  it('multipart/form-data: its fields read from the text, the multipart body named as the cause', () => {
    const boundary = '----WebKitFormBoundary5JsKGgP4F9IjXZKi';
    const fields = {
      grant_type: 'authorization_code',
      code: CODE,
      client_id: 'vitals',
      code_verifier: VERIFIER,
    };
    const text = `${Object.entries(fields)
      .map(([n, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`)
      .join('')}--${boundary}--\r\n`;
    const type = `multipart/form-data; boundary=${boundary}`;
    const launch = refusedToken({ mimeType: type, text }, type);
    const token = launch.steps.at(-1)!;
    expect(token.exchange.formFormat).toBe('multipart');
    expect(token.exchange.form?.grant_type).toEqual(['authorization_code']);
    expect(JSON.stringify(launch)).not.toContain(CODE);
    expect(launch.findings[0]!.title).toBe('Token request sent as multipart/form-data');
  });
});

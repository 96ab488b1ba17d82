import { describe, expect, it } from 'vitest';
import { analyze } from '../../utils/launch/analyze';
import type { Exchange, Finding, Launch } from '../../utils/model';
import { fhirGet, Recorder, tokenBody, tokenPost } from '../fixtures/exchanges/oracle-flow';
import { toCallback } from '../fixtures/exchanges/outcomes';
import { loadExchanges } from '../fixtures/load';

/** Oracle's answer to a FHIR request the token has no scope for (reference, section 4). */
const INSUFFICIENT = {
  'www-authenticate':
    'Bearer realm="fhir-ehr-code.cerner.com", error="insufficient_scope", error_uri="urn:cerner:error:oauth2:resource-access:insufficient-scopes"',
};
const OUTCOME = JSON.stringify({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: 'forbidden', details: { text: 'insufficient_scope' } }],
});
const BASE = ['launch', 'openid', 'fhirUser'];

/**
 * An Oracle launch that asked for `requested`, was granted `granted` (the token body left out when
 * null), read the patient, then read `path`, refused with 403 insufficient_scope (or answered `status`).
 */
function refused(
  requested: string[],
  granted: string[] | null,
  path = 'Observation?patient=12724066&category=laboratory',
  status = 403,
): Exchange[] {
  const r = new Recorder();
  toCallback(r, undefined, { scopes: [...BASE, ...requested] });
  r.wait(120);
  const token = tokenPost(r, { body: tokenBody([...BASE, ...(granted ?? [])]) });
  if (granted === null) delete token.body;
  fhirGet(r, 'Patient/12724066');
  fhirGet(r, path, status, status === 403 ? INSUFFICIENT : {}, status === 403 ? OUTCOME : undefined);
  return r.out;
}

/** The 403 answered without a reason: a bare OperationOutcome, no WWW-Authenticate. */
function withoutReason(exchanges: Exchange[]): Exchange[] {
  return exchanges.map((e) =>
    e.status === 403
      ? {
          ...e,
          responseHeaders: { 'content-type': 'application/fhir+json' },
          body: { text: '{"resourceType":"OperationOutcome"}', truncated: false },
        }
      : e,
  );
}

function only(exchanges: Exchange[]): Launch {
  const launches = analyze(exchanges);
  expect(launches).toHaveLength(1);
  return launches[0]!;
}
const scopes = (l: Launch): Finding => {
  const f = l.findings.filter((x) => x.ruleId === 'scopes-trimmed');
  expect(f).toHaveLength(1);
  return f[0]!;
};
const fixText = (f: Finding) => f.fixes.map((x) => x.label).join(' | ');
const evidence = (f: Finding, label: string) => f.evidence.find((e) => e.label === label)?.value;

describe('rule scopes-trimmed: why a FHIR request lacked its scope', () => {
  it('granted exactly what was requested, the resource never requested: no trimming claimed', () => {
    const l = only(refused(['user/Patient.rs'], ['user/Patient.rs']));
    const f = scopes(l);
    expect(f).toMatchObject({ severity: 'error', title: 'Scope not requested: FHIR requests refused' });
    expect(f.summary).toBe(
      'FHIR GET Observation was refused for lack of scope (403 insufficient_scope): no requested scope covers Observation, so the token has none. The token grants every scope requested: nothing was dropped.',
    );
    expect(f.summary).not.toMatch(/trimmed|silently dropped/);
    expect(evidence(f, 'dropped')).toBe('(none)');
    expect(evidence(f, 'requested for Observation')).toBe('(none)');
    expect(fixText(f)).toBe(
      "Request user/Observation.rs (the v2 spelling the app's other scopes use) and register it for the app in Code Console (Oracle grants only the scopes an app is registered for).",
    );
    expect(fixText(f)).not.toContain('without wildcards');
    expect(l.status).toBe('failed');
    expect(l.statusReason).toMatch(/^Scope not requested: FHIR requests refused: /);
  });

  it('a 403 that names no reason, for a type no requested or granted scope covers: the same reading', () => {
    const plain = (requested: string[]) => only(withoutReason(refused(requested, requested)));
    const l = plain(['user/Patient.rs']);
    const f = scopes(l);
    expect(f).toMatchObject({ severity: 'error', title: 'Scope not requested: FHIR requests refused' });
    expect(f.summary).toMatch(
      /^FHIR GET Observation was refused \(403\): no requested scope covers Observation, so the token has none\./,
    );
    expect(evidence(f, 'FHIR refused')).toBe('FHIR GET Observation → 403');
    expect(l.findings.some((x) => x.ruleId === 'fhir-refused')).toBe(false);
    // A type the scopes cover, refused without a reason: the server's policy (fhir-refused), not scope.
    const covered = plain(['user/Patient.rs', 'user/Observation.rs']);
    expect(covered.findings.some((x) => x.ruleId === 'scopes-trimmed')).toBe(false);
    expect(covered.findings[0]).toMatchObject({ ruleId: 'fhir-refused', title: 'FHIR request refused' });
  });

  it('a 403 that names no reason, for a type requested but left out of the grant: trimmed, not a policy', () => {
    const l = only(withoutReason(refused(['user/Patient.rs', 'user/Observation.rs'], ['user/Patient.rs'])));
    expect(scopes(l)).toMatchObject({ severity: 'error', title: 'Scopes trimmed: FHIR requests refused' });
    expect(l.findings.some((x) => x.ruleId === 'fhir-refused')).toBe(false);
  });

  it("the suggested scope follows the app's version and context: v1 patient/ → patient/Observation.read", () => {
    const f = scopes(only(refused(['patient/Patient.read'], ['patient/Patient.read'])));
    expect(fixText(f)).toMatch(/^Request patient\/Observation\.read \(the v1 spelling/);
  });

  it('other scopes dropped, none for the refused resource: still "not requested", the drops named as well', () => {
    const f = scopes(only(refused(['user/Patient.rs', 'user/Condition.read'], ['user/Patient.rs'])));
    expect(f.title).toBe('Scope not requested: FHIR requests refused');
    expect(f.summary).toContain(
      'The server dropped 1 other requested scope(s) (user/Condition.read), none of them for Observation.',
    );
    expect(evidence(f, 'dropped')).toBe('user/Condition.read');
    expect(fixText(f)).toMatch(
      /^Request user\/Observation\.rs .*\| Request only scopes the app is registered for/,
    );
  });

  it('launch left out of the granted scope while its patient and encounter came: not dropped (many servers do not echo it)', () => {
    const withoutLaunch = (context: Record<string, unknown>) =>
      refused(['patient/Patient.read'], ['patient/Patient.read'], 'Patient/1', 200).map((e) => {
        if (!e.form?.grant_type || !e.body) return e;
        const body = { ...JSON.parse(e.body.text), ...context } as Record<string, unknown>;
        body.scope = 'openid fhirUser patient/Patient.read';
        for (const k of Object.keys(context)) if (context[k] === undefined) delete body[k];
        return { ...e, body: { ...e.body, text: JSON.stringify(body) } };
      });
    const delivered = only(withoutLaunch({}));
    expect(delivered.findings.filter((f) => f.ruleId === 'scopes-trimmed')).toEqual([]);
    // No patient and no encounter: the launch context did not come, launch was dropped.
    const lost = only(withoutLaunch({ patient: undefined, encounter: undefined }));
    expect(scopes(lost).summary).toMatch(/launch was silently dropped/);
  });

  it('scopes granted that were not requested are not counted as granted ones, and are named apart', () => {
    const l = only(
      refused(
        ['patient/Patient.read', 'patient/Observation.read'],
        ['user/Patient.read', 'online_access'],
        'Patient/1',
        200,
      ),
    );
    expect(scopes(l).summary).toBe(
      'The token grants 3 of the 5 requested scopes; patient/Patient.read and patient/Observation.read were silently dropped. It grants user/Patient.read and online_access instead, which were not requested.',
    );
  });

  it('a dropped scope covered the refused resource: trimmed, as before', () => {
    const l = only(refused(['user/Patient.rs', 'user/Observation.rs'], ['user/Patient.rs']));
    const f = scopes(l);
    expect(f).toMatchObject({ severity: 'error', title: 'Scopes trimmed: FHIR requests refused' });
    expect(f.summary).toBe(
      'The token grants 4 of the 5 requested scopes; user/Observation.rs was silently dropped.',
    );
    expect(evidence(f, 'dropped')).toBe('user/Observation.rs');
    expect(fixText(f)).toBe(
      'Request only scopes the app is registered for, without wildcards, in the version (v1 .read or v2 .rs) of its registration. | Equivalent spellings to try: user/Observation.read',
    );
    expect(l.statusReason).toMatch(/^Scopes trimmed: FHIR requests refused: /);
  });

  it('a wildcard granted as the explicit scopes it stands for: expanded, not dropped', () => {
    const l = only(
      refused(
        ['patient/*.read'],
        ['patient/Patient.read', 'patient/Observation.read'],
        'Observation?patient=12724066',
        200,
      ),
    );
    expect(l.findings.filter((x) => x.ruleId === 'scopes-trimmed')).toEqual([]);
    // With another scope really left out, the wildcard is said as expanded, not counted as dropped.
    const both = only(
      refused(
        ['patient/*.read', 'user/Practitioner.read'],
        ['patient/Patient.read', 'patient/Observation.read'],
        'Observation?patient=12724066',
        200,
      ),
    );
    const f = scopes(both);
    expect(f.summary).toMatch(
      /user\/Practitioner\.read was silently dropped\. patient\/\*\.read was granted as the 2 explicit scopes it stands for\.$/,
    );
    expect(f.summary).toMatch(/^The token grants \d+ of the \d+ requested scopes/);
    expect(f.summary).not.toContain('not requested');
  });

  it('the whole type asked for, granted only for a category: the narrowing is named, and no patient id', () => {
    const f = scopes(
      only(
        refused(
          ['patient/Observation.rs'],
          ['patient/Observation.rs?category=laboratory'],
          'Observation?patient=12724066&category=vital-signs',
        ),
      ),
    );
    expect(f.summary).toBe(
      'FHIR GET Observation was refused for lack of scope (403 insufficient_scope). The app asked for patient/Observation.rs, and the server granted only patient/Observation.rs?category=laboratory: it narrowed the scope to category=laboratory, and this request asks for more (category=vital-signs).',
    );
  });

  it('a dropped wildcard covered it: trimmed, with the wildcard hint', () => {
    const f = scopes(only(refused(['patient/*.read'], [])));
    expect(f.title).toBe('Scopes trimmed: FHIR requests refused');
    expect(f.summary).toContain('(wildcard scopes are not granted by Oracle)');
  });

  it('v1 scopes answered in v2 spelling, one left out: no claim that v1 scopes were dropped', () => {
    const f = scopes(
      only(
        refused(
          ['user/Patient.read', 'user/Observation.read', 'user/Condition.read'],
          ['user/Patient.rs', 'user/Observation.rs'],
          'Condition?patient=12724066',
        ),
      ),
    );
    expect(f.summary).toContain('user/Condition.read was silently dropped');
    expect(f.summary).not.toContain('v1 .read scopes are dropped');
    // Every v1 scope left out while v2 scopes were granted: the hint stays.
    const all = scopes(
      only(
        refused(
          ['user/Patient.rs', 'user/Condition.read'],
          ['user/Patient.rs'],
          'Condition?patient=12724066',
        ),
      ),
    );
    expect(all.summary).toContain('(v1 .read scopes are dropped for apps registered for v2)');
  });

  it('the recorded trimming fixture keeps its finding', () => {
    const f = only(loadExchanges('scopes-trimmed')).findings[0]!;
    expect(f).toMatchObject({
      ruleId: 'scopes-trimmed',
      severity: 'error',
      title: 'Scopes trimmed: FHIR requests refused',
    });
    expect(f.summary).toMatch(
      /^The token grants 3 of the 5 requested scopes; patient\/\*\.read and user\/Observation\.read were silently dropped/,
    );
    expect(evidence(f, 'dropped')).toBe('patient/*.read user/Observation.read');
  });

  it('names what was dropped, and counts every scope left out, offline_access too', () => {
    const four = scopes(
      only(
        refused(
          [
            'user/Patient.rs',
            'offline_access',
            'user/Observation.rs',
            'user/Condition.rs',
            'user/Encounter.rs',
            'user/Procedure.rs',
          ],
          ['user/Patient.rs'],
          'Observation?patient=1',
          200,
        ),
      ),
    );
    expect(four.summary).toBe(
      'The token grants 4 of the 9 requested scopes; user/Observation.rs, user/Condition.rs, user/Encounter.rs and user/Procedure.rs were silently dropped, and offline_access was not granted either.',
    );
    const many = ['Observation', 'Condition', 'Encounter', 'Procedure', 'Immunization'].map(
      (t) => `user/${t}.rs`,
    );
    const five = scopes(only(refused(['user/Patient.rs', ...many], ['user/Patient.rs'], 'Patient/1', 200)));
    expect(five.summary).toContain(
      'user/Observation.rs, user/Condition.rs, user/Encounter.rs and 2 more were silently dropped.',
    );
  });

  it('fewer scopes granted and no FHIR request refused: the warning, unchanged', () => {
    const l = only(
      refused(['user/Patient.rs', 'user/Observation.rs'], ['user/Patient.rs'], 'Observation?patient=1', 200),
    );
    const f = scopes(l);
    expect(f).toMatchObject({ severity: 'warning', title: 'Fewer scopes granted than requested' });
    expect(f.summary).toBe(
      'The token grants 4 of the 5 requested scopes; user/Observation.rs was silently dropped.',
    );
    expect(l.status).toBe('succeeded');
  });

  it('token response not recorded, the resource requested: cannot tell whether it was trimmed', () => {
    const f = scopes(only(refused(['patient/Observation.read'], null)));
    expect(f).toMatchObject({ severity: 'error', title: 'FHIR requests refused for lack of scope' });
    expect(f.summary).toBe(
      'FHIR GET Observation was refused for lack of scope (403 insufficient_scope). The app requested patient/Observation.read for Observation, but the token response was not recorded, so whether the server dropped it cannot be told.',
    );
    expect(evidence(f, 'granted')).toBe('(token body not captured)');
    expect(evidence(f, 'dropped')).toBe('(unknown)');
  });

  it('token response not recorded, the resource never requested: the authorize request is enough to tell', () => {
    const f = scopes(only(refused(['patient/Patient.read'], null)));
    expect(f.title).toBe('Scope not requested: FHIR requests refused');
    expect(f.summary).toBe(
      'FHIR GET Observation was refused for lack of scope (403 insufficient_scope): no requested scope covers Observation, so the token has none.',
    );
  });

  it('the token grants a scope for the type and the server still refuses: neither trimmed nor unrequested', () => {
    const granular = 'patient/Observation.rs?category=vital-signs';
    const f = scopes(only(refused([granular], [granular])));
    expect(f.title).toBe('FHIR requests refused for lack of scope');
    expect(f.summary).toContain(`though the token grants ${granular}`);
  });

  it('a read by id needs read, a search needs search: a read-only v2 scope does not cover a search', () => {
    const f = scopes(only(refused(['patient/Observation.r'], ['patient/Observation.r'])));
    expect(f.title).toBe('Scope not requested: FHIR requests refused');
    const byId = scopes(
      only(refused(['patient/Observation.r'], ['patient/Observation.r'], 'Observation/42')),
    );
    expect(byId.title).toBe('FHIR requests refused for lack of scope');
    // The type was requested, the permission was not: said so, not that nothing covers the type.
    expect(f.summary).toContain(
      'the requested scopes for Observation (patient/Observation.r) do not allow search (s), which this request needs',
    );
    expect(f.summary).not.toContain('no requested scope covers Observation');
  });

  it('another server: no Code Console in the advice', () => {
    const ex = loadExchanges('lint-generic');
    const last = ex.at(-1)!;
    const forbidden: Exchange = {
      ...last,
      id: 'webRequest:forbidden:0',
      requestId: 'forbidden',
      url: 'https://fhir.example.org/r4/Observation?patient=p1',
      startedAt: last.startedAt + 100,
      completedAt: last.startedAt + 150,
      status: 403,
      responseHeaders: { 'www-authenticate': 'Bearer error="insufficient_scope"' },
    };
    const f = scopes(only([...ex, forbidden]));
    expect(f.title).toBe('Scope not requested: FHIR requests refused');
    expect(fixText(f)).toBe(
      "Request patient/Observation.rs (the v2 spelling the app's other scopes use) and make sure the app's registration with the server allows it.",
    );
  });
});

describe('rule scopes-trimmed: a refresh scope the server declined', () => {
  /** An Oracle launch that asked for `requested`, was granted `granted` (with `extra` in the token body), read the patient. */
  function read(requested: string[], granted: string[], extra: Record<string, unknown> = {}): Launch {
    const r = new Recorder();
    toCallback(r, undefined, { scopes: [...BASE, ...requested] });
    r.wait(120);
    tokenPost(r, { body: tokenBody([...BASE, ...granted], extra) });
    fhirGet(r, 'Patient/12724066');
    return only(r.out);
  }

  it('offline_access asked for, neither granted nor a refresh token: said as information, the launch succeeded', () => {
    const l = read(['user/Patient.rs', 'offline_access'], ['user/Patient.rs']);
    const f = scopes(l);
    expect(f).toMatchObject({ severity: 'info', title: 'No refresh token: refresh scope not granted' });
    expect(f.summary).toBe(
      "The app asked for offline_access; the token response neither grants it nor carries a refresh_token. The app cannot refresh: when the access token expires (after 570 s, as this one was given) it must launch again. A server may decline this scope (the user's choice, a policy, or the app's registration).",
    );
    expect(evidence(f, 'refresh_token')).toBe('(none)');
    expect(fixText(f)).toMatch(/registration allows offline_access/);
    expect(l.status).toBe('succeeded');
  });

  it('granted, or declined with a refresh token all the same, or never asked for: nothing said', () => {
    const none = (l: Launch) => expect(l.findings.filter((x) => x.ruleId === 'scopes-trimmed')).toEqual([]);
    none(read(['user/Patient.rs', 'offline_access'], ['user/Patient.rs', 'offline_access']));
    none(read(['user/Patient.rs', 'online_access'], ['user/Patient.rs'], { refresh_token: 'r'.repeat(40) }));
    none(read(['user/Patient.rs'], ['user/Patient.rs']));
  });

  it('other scopes dropped too: one warning, which names the refresh scope among the others', () => {
    const f = scopes(read(['user/Patient.rs', 'user/Observation.rs', 'online_access'], ['user/Patient.rs']));
    expect(f.severity).toBe('warning');
    expect(f.summary).toContain('user/Observation.rs was silently dropped');
    expect(f.summary).toContain('online_access was not granted either');
  });
});

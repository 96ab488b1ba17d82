import { describe, expect, it } from 'vitest';
import { jsonForm, MAX_JSON_FORM_CHARS, rawJsonForm } from '../../utils/capture/json-form';
import { launchToHar } from '../../utils/har/export';
import { importHar } from '../../utils/har/import';
import { analyze } from '../../utils/launch/analyze';
import type { Launch } from '../../utils/model';
import { loadExchanges } from '../fixtures/load';

/**
 * A token request written by hand sends its fields as JSON. RFC 6749 §4.1.3 has them as a form; the
 * log reads them anyway (no false "no code_verifier"), and says the format is the likely cause of a refusal.
 */

describe('jsonForm', () => {
  it('a JSON object’s top-level fields as a form’s; nested objects and nulls left out', () => {
    expect(jsonForm(' {"a":"1","b":[2,true,{"x":1}],"c":{"d":1},"e":null}')).toEqual({
      a: ['1'],
      b: ['2', 'true'],
    });
  });
  it.each([
    ['not JSON', 'grant_type=x'],
    ['broken JSON', '{"grant_type":'],
    ['an array', '[{"grant_type":"x"}]'],
    ['no field', '{}'],
    ['empty', ''],
    ['too long', `{"grant_type":"${'x'.repeat(MAX_JSON_FORM_CHARS)}"}`],
  ])('%s: undefined', (_, text) => {
    expect(jsonForm(text)).toBeUndefined();
  });
  it('bytes: UTF-8 text only, one part only', () => {
    const bytes = (t: string) => ({ bytes: new TextEncoder().encode(t).buffer });
    expect(rawJsonForm([bytes('{"grant_type":"é"}')])).toEqual({ grant_type: ['é'] });
    expect(rawJsonForm([{ bytes: new Uint8Array([0x7b, 0xff, 0x7d]).buffer }])).toBeUndefined();
    expect(rawJsonForm([bytes('{"a":"1"}'), bytes('{"b":"2"}')])).toBeUndefined();
    expect(rawJsonForm(undefined)).toBeUndefined();
  });
});

/** RFC 7636's example verifier, whose S256 challenge the fixture's authorize request sends. */
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

/** The Oracle success fixture exported as a HAR, its token request's body turned into JSON. */
function jsonHar(answer?: { status: number; text: string }): string {
  const [launch] = analyze(loadExchanges('success-oracle'));
  const har = launchToHar(launch!, { redact: false });
  const token = har.log.entries.find((e) => e.request.postData?.text?.includes('grant_type'))!;
  const fields = Object.fromEntries(new URLSearchParams(token.request.postData!.text));
  fields.code_verifier = VERIFIER;
  (token.request as { postData?: unknown }).postData = {
    mimeType: 'application/json',
    text: JSON.stringify(fields),
  };
  if (answer) {
    Object.assign(token.response, { status: answer.status });
    Object.assign(token.response.content, { mimeType: 'application/json', text: answer.text });
  }
  return JSON.stringify(har);
}

const shape = (l: Launch) => l.findings.filter((f) => f.ruleId === 'oauth-request-shape');

const read = (text: string): Launch => {
  const launches = analyze(importHar(text, 'json.har', 'imp'));
  expect(launches).toHaveLength(1);
  return launches[0]!;
};

describe('a token request sent as JSON', () => {
  it('accepted: its grant and verifier are read (no "no code_verifier"), and the format is a warning', () => {
    const l = read(jsonHar());
    expect(l.status).toBe('succeeded');
    const token = l.steps.find((s) => s.kind === 'token')!;
    expect(token.exchange.formFormat).toBe('json');
    expect(token.exchange.form?.grant_type).toEqual(['authorization_code']);
    // Redacted on import, like a form's.
    expect(JSON.stringify(l)).not.toContain(VERIFIER);
    expect(shape(l).map((f) => f.title)).toEqual(['Token request sent as JSON']);
    // Nothing reads the JSON body as a token request without a verifier or a grant.
    expect(l.findings.filter((f) => f.severity !== 'info').map((f) => f.ruleId)).toEqual([
      'oauth-request-shape',
    ]);
    expect(shape(l)[0]).toMatchObject({ ruleId: 'oauth-request-shape', severity: 'warning' });
    expect(shape(l)[0]!.summary).toMatch(/This server accepted it; a server that follows the RFC refuses it/);
  });

  it('refused: the failure, said as the likely cause, with the server’s words', () => {
    const l = read(
      jsonHar({
        status: 400,
        text: '{"error":"invalid_request","error_description":"Missing grant_type parameter"}',
      }),
    );
    expect(l.status).toBe('failed');
    expect(l.statusReason).toMatch(
      /^Token request sent as JSON: .*The server refused the request \(HTTP 400, invalid_request\): most likely for this reason\. The server said: “Missing grant_type parameter”\.$/,
    );
  });

  it('exported again as JSON, and read back the same', () => {
    const l = read(jsonHar());
    const har = launchToHar(l);
    const post = har.log.entries.find((e) => e.request.postData?.text?.includes('grant_type'))!.request
      .postData!;
    expect(post.mimeType).toBe('application/json');
    expect(JSON.parse(post.text).grant_type).toBe('authorization_code');
    const again = read(JSON.stringify(har));
    expect(again.steps.find((s) => s.kind === 'token')!.exchange.formFormat).toBe('json');
    expect(shape(again).map((f) => f.title)).toEqual(['Token request sent as JSON']);
  });
});

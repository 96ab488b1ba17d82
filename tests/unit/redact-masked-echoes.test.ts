/**
 * A secret masked once (a login form's password, a client secret) is masked again where a server echoes
 * it in its own words, which name it nowhere and give it no shape a pattern could find.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { CaptureEvent } from '../../utils/capture/events';
import { redactEvent } from '../../utils/capture/redact-event';
import { redactBodyText } from '../../utils/redact/body';
import { redactForm } from '../../utils/redact/form';
import { forgetMaskedSecrets, mask, maskEchoes } from '../../utils/redact/mask';
import { redactProse } from '../../utils/redact/text';

beforeEach(forgetMaskedSecrets);

describe('secrets echoed in a server’s words', () => {
  it('a login form’s password, echoed in an error description, is masked', () => {
    redactForm({ username: ['bob'], j_password: ['hunter2x'] });
    expect(redactProse("Invalid password 'hunter2x' for bob")).toBe("Invalid password '…[8]' for bob");
  });

  it('only where it stands alone: inside a longer word it is left, every lone occurrence is masked', () => {
    mask('Pa55word');
    expect(maskEchoes('xPa55word Pa55word, (Pa55word) Pa55wordy')).toBe('xPa55word …[8], (…[8]) Pa55wordy');
  });

  it('after a percent escape (a value in an encoded URL: `%3D…`), as after any separator', () => {
    mask('Pa55word');
    expect(maskEchoes('to=cb%3Fx%3DPa55word%26y%3D1 id3DPa55word')).toBe(
      'to=cb%3Fx%3D…[8]%26y%3D1 id3DPa55word',
    );
  });

  it('short values, and short words without a digit, are not remembered (too many words match)', () => {
    mask('abc12');
    mask('letmein');
    mask('s3cret');
    mask('continue');
    mask('correcthorse');
    expect(maskEchoes('abc12 letmein s3cret continue correcthorse')).toBe(
      'abc12 letmein …[6] continue cor…[12]',
    );
  });

  it('an error page or message body that quotes a code masked earlier: masked there too (HTML, text, JSON)', () => {
    redactForm({ grant_type: ['authorization_code'], code: ['Zx81Qp0aLm4Rt7Yu2Io9'] });
    expect(
      redactBodyText('<p>The authorization code Zx81Qp0aLm4Rt7Yu2Io9 was already used.</p>', 'text/html'),
    ).toBe('<p>The authorization code Zx8…[20] was already used.</p>');
    expect(redactBodyText('code Zx81Qp0aLm4Rt7Yu2Io9 expired', 'text/plain')).toBe('code Zx8…[20] expired');
    expect(redactBodyText('{"message":"code Zx81Qp0aLm4Rt7Yu2Io9 used"}', 'application/json')).toBe(
      '{"message":"code Zx8…[20] used"}',
    );
  });

  it('nothing masked before: the text is unchanged', () => {
    expect(maskEchoes('The code was already used.')).toBe('The code was already used.');
  });

  it('keeps the most recent 128 secrets', () => {
    for (let i = 0; i < 129; i++) mask(`secret-${String(i).padStart(3, '0')}`);
    expect(maskEchoes('secret-000')).toBe('secret-000');
    expect(maskEchoes('secret-001 secret-128')).toBe('…[10] …[10]');
  });

  it('as the recorder sees them: a login POST, then a callback whose error_description echoes the password', () => {
    const login = redactEvent({
      kind: 'request',
      requestId: '1',
      tabId: 1,
      timeStamp: 1,
      method: 'POST',
      url: 'https://authorization.cerner.com/tenants/t/login',
      form: { username: ['bob'], password: ['Tr0ub4dor-x9'] },
    } as CaptureEvent) as { form: Record<string, string[]> };
    expect(login.form.password).toEqual(['Tr0…[12]']);
    const callback = redactEvent({
      kind: 'nav-before',
      tabId: 1,
      frameId: 0,
      timeStamp: 2,
      url: `https://app.example/cb?error=access_denied&error_description=${encodeURIComponent("Invalid password 'Tr0ub4dor-x9' for bob")}&state=s`,
    } as CaptureEvent) as { url: string };
    expect(decodeURIComponent(callback.url)).toContain("Invalid password 'Tr0…[12]' for bob");
    expect(callback.url).not.toContain('ub4dor');
  });

  it('a body the DevTools page redacted already (it never saw the code masked here) gets the echo pass in the worker', () => {
    redactEvent({
      kind: 'request',
      requestId: '2',
      tabId: 1,
      timeStamp: 1,
      method: 'POST',
      url: 'https://auth.example/token',
      form: { grant_type: ['authorization_code'], code: ['LIVEechocodeE9z8y7x6w5v4'] },
    } as CaptureEvent);
    const body = redactEvent({
      kind: 'body',
      tabId: 1,
      timeStamp: 2,
      url: 'https://auth.example/token',
      method: 'POST',
      status: 400,
      mimeType: 'text/html',
      text: '<p>The authorization code LIVEechocodeE9z8y7x6w5v4 was already used.</p>',
      redacted: true,
    } as unknown as CaptureEvent) as { text: string };
    expect(body.text).toBe('<p>The authorization code LIV…[24] was already used.</p>');
  });
});

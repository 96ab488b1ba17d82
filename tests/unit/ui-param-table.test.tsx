// @vitest-environment jsdom
/**
 * The decoded parameters of a step as a developer reads them: a URL-valued parameter shows its value as
 * sent (decoded, host case, userinfo and fragment kept, selectable), its own parameters open in a row of
 * their own under it; pairs without a name say so.
 */
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { ParamTable } from '../../components/launch/ParamTable';
import { StepDetail } from '../../components/launch/StepDetail';
import type { Step } from '../../utils/model';
import { decodeUrl } from '../../utils/url';

afterEach(cleanup);

const AUD = 'https://FHIR-EHR-CODE.Cerner.com/r4/T';
const REDIRECT = 'https://app.example.org/cb?tenant=t1&x=a%20b#frag';
const AUTHORIZE = `https://authorization.cerner.com/tenants/T/authorize?response_type=code&aud=${encodeURIComponent(AUD)}&redirect_uri=${encodeURIComponent(REDIRECT)}&=x&state=s`;

/** A step of `kind` at `url`, decoded as analysis decodes it (`decoded`), with more exchange fields. */
function stepAt(
  url: string,
  kind: Step['kind'],
  more: Partial<Step['exchange']> = {},
  decoded = decodeUrl(url),
): Step {
  return {
    kind,
    label: kind,
    offsetMs: 0,
    failed: false,
    decoded,
    exchange: {
      id: 'e1',
      source: 'webRequest',
      hop: 0,
      tabId: 1,
      type: 'main_frame',
      method: 'GET',
      url,
      startedAt: 0,
      phase: 'complete',
      responseHeaders: {},
      ...more,
    },
  } as Step;
}

describe('ParamTable', () => {
  it('a URL-valued parameter shows the value as sent, and its parameters under it', async () => {
    render(<ParamTable params={decodeUrl(AUTHORIZE).params} caption="Query parameters" />);
    // Verbatim: the upper-case host and the fragment the tree's base leaves out.
    expect(screen.getByText(AUD).tagName).toBe('CODE');
    expect(screen.getByText(REDIRECT).tagName).toBe('CODE');
    const toggle = screen.getByRole('button', { name: '▾ 2 parameters of https://app.example.org/cb' });
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    // The nested table is in a row of its own across both columns, not inside the value cell.
    const nested = screen.getByRole('group', { name: 'Parameters of https://app.example.org/cb' });
    expect(nested.closest('td')?.getAttribute('colspan')).toBe('2');
    expect(within(nested).getByText('a b')).toBeTruthy();
    await userEvent.click(toggle);
    expect(screen.queryByRole('group', { name: 'Parameters of https://app.example.org/cb' })).toBeNull();
    // `=x`: a pair without a name says so.
    expect(screen.getByText('(no name)')).toBeTruthy();
  });

  it("the query's own warning (too many parameters) is its row, named as the query's", () => {
    const many = `https://a.example/x?${Array.from({ length: 1002 }, (_, i) => `p${i}=${i}`).join('&')}`;
    render(<ParamTable params={decodeUrl(many).params} />);
    const note = screen.getByRole('note');
    expect(note.textContent).toMatch(/more than 1000 parameters/);
    expect(note.closest('tr')?.querySelector('th')?.textContent).toBe('(query)');
  });

  it('a name sent alone (`flag`) reads differently from an empty value (`flag=`)', () => {
    render(<ParamTable params={decodeUrl('https://a.example/x?flag&empty=').params} />);
    const cell = (name: string) =>
      screen.getByRole('rowheader', { name }).closest('tr')!.querySelector('td')!.textContent;
    expect(cell('flag')).toBe('(no value: the name alone, without =)');
    expect(cell('empty')).toBe('');
  });
});

describe('StepDetail', () => {
  // A callback; a fragment response's parameters are read with the query (utils/launch/classify.ts).
  const step = (url: string): Step =>
    stepAt(url, 'callback', { source: 'webNavigation' }, decodeUrl(url.replace('#', '?')));

  it('says when the parameters came from the fragment (an authorization response sent as #code=…)', () => {
    render(<StepDetail step={step('https://app.example.org/cb#code=c…[10]&state=s')} />);
    expect(screen.getByRole('table', { name: 'Query and fragment (#) parameters' })).toBeTruthy();
    cleanup();
    render(<StepDetail step={step('https://app.example.org/cb?code=c…[10]&state=s')} />);
    expect(screen.getByRole('table', { name: 'Query parameters' })).toBeTruthy();
  });

  it('gives the length the URL had when sent, not the length it was cut to', () => {
    const long = `https://a.example/x?v=${'a'.repeat(2_000_000)}`;
    const cut = `${long.slice(0, 65_536)}…[URL of ${long.length} characters cut to 65536]`;
    render(<StepDetail step={step(cut)} />);
    expect(screen.getByText(`(${long.length} characters)`, { exact: false })).toBeTruthy();
  });
});

describe('a URL cut to the capture bound', () => {
  it('counts as long as it was sent when its size is judged (an authorize request refused for size)', async () => {
    const { oversizedSignIn } = await import('../../utils/diagnose/session-api');
    const { boundUrl } = await import('../../utils/capture/bounds');
    const sent = `https://idp.example/authorize?scope=${'a'.repeat(200_000)}`;
    const facts = oversizedSignIn(stepAt(boundUrl(sent), 'authorize', { status: 400 }));
    expect(facts?.urlLength).toBe(sent.length);
  });
});

describe('a URL-valued parameter without parameters', () => {
  it('is its value, with nothing to open', () => {
    render(
      <ParamTable params={decodeUrl(`https://as.example/authorize?aud=${encodeURIComponent(AUD)}`).params} />,
    );
    expect(screen.getByText(AUD)).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
  });
});

describe("an Oracle error page's URL as a value (error_uri)", () => {
  it('says its URN readable under the value', () => {
    const urn = 'urn:cerner:error:authorization-server:grant:session-service:authentication:cancelled';
    const page = `https://authorization.cerner.com/errors/${encodeURIComponent(urn)}/instances/1?persona=provider`;
    render(
      <ParamTable
        params={
          decodeUrl(`https://app.example/cb?error=access_denied&error_uri=${encodeURIComponent(page)}`).params
        }
      />,
    );
    expect(screen.getByText(urn).tagName).toBe('CODE');
    // A URL without a URN says nothing more.
    cleanup();
    render(
      <ParamTable params={decodeUrl(`https://as.example/authorize?aud=${encodeURIComponent(AUD)}`).params} />,
    );
    expect(screen.queryByText(/^URN:/)).toBeNull();
  });
});

describe('warnings inside nested URLs', () => {
  it('are said at the top of the step, where a closed level would hide them', () => {
    // A redirect_uri inside to=, encoded twice more than it needed: its warning is two levels down.
    const inner = `https://as.example/authorize?client_id=a&redirect_uri=${encodeURIComponent(encodeURIComponent('https://app.example/cb?x=1'))}`;
    const url = `https://as.example/session-api/realm/T?to=${encodeURIComponent(inner)}`;
    const s = stepAt(url, 'session-api');
    render(<StepDetail step={s} />);
    const note = screen.getAllByRole('note')[0]!;
    expect(note.textContent).toContain('In nested URLs:');
    expect(note.textContent).toContain('to › redirect_uri: value was percent-encoded 2 times');
  });
});

describe("a redirect's Location", () => {
  it('opens, on demand, into its parameters', async () => {
    const location = 'https://app.example/cb?code=c%E2%80%A6%5B10%5D&state=xyz';
    const url = 'https://as.example/authorize?client_id=a';
    const s = stepAt(url, 'authorize', { status: 302, location, responseHeaders: { location } });
    render(<StepDetail step={s} />);
    const headers = screen.getByRole('table', { name: 'Response headers' });
    const toggle = within(headers).getByRole('button', { name: '▸ 2 parameters of https://app.example/cb' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await userEvent.click(toggle);
    const nested = within(headers).getByRole('group', { name: 'Parameters of https://app.example/cb' });
    expect(within(nested).getByText('xyz')).toBeTruthy();
    expect(within(nested).getByText('c…[10]')).toBeTruthy();
  });
});

describe('a long URL and a long value', () => {
  // A session-api hop as Oracle sends it: the authorize request, encoded, in `to=` (about 700 characters).
  const authorize = `https://authorization.cerner.com/tenants/T/protocols/oauth2/profiles/smart-v1/personas/provider/authorize?response_type=code&client_id=c&redirect_uri=${encodeURIComponent('https://app.example/cb')}&scope=${encodeURIComponent('launch openid fhirUser online_access patient/Patient.rs patient/Observation.rs patient/Condition.rs patient/MedicationRequest.rs')}&state=${'s'.repeat(40)}&aud=${encodeURIComponent('https://fhir-ehr-code.cerner.com/r4/T')}&code_challenge=${'c'.repeat(43)}&code_challenge_method=S256&launch=${'l'.repeat(36)}`;
  const hop = `https://authorization.cerner.com/session-api/realm/T?to=${encodeURIComponent(authorize)}&forceAuthn=true`;

  it('fold to three lines with a button that shows them whole; the text is all in the page either way', async () => {
    render(<StepDetail step={stepAt(hop, 'session-api')} />);
    const url = screen.getByText(hop);
    expect(url.className).toBe('sld-folded');
    const show = screen.getByRole('button', { name: 'Show the whole URL' });
    expect(show.getAttribute('aria-controls')).toBe(url.id);
    // The length note stays with the URL, on the button's line.
    expect(show.parentElement?.textContent).toBe(`Show the whole URL (${hop.length} characters)`);
    await userEvent.click(show);
    expect(url.className).not.toBe('sld-folded');
    expect(screen.getByRole('button', { name: 'Fold the URL' }).getAttribute('aria-expanded')).toBe('true');
    // The `to=` value folds too, with its parameters open under it.
    const value = screen.getByText(authorize);
    expect(value.className).toBe('sld-folded');
    expect(screen.getByRole('button', { name: 'Show the whole value' })).toBeTruthy();
    expect(screen.getByRole('button', { name: /^▾ \d+ parameters of / })).toBeTruthy();
  });

  it('a short one is shown as it is, with nothing to press', () => {
    render(<StepDetail step={stepAt(AUTHORIZE, 'authorize')} />);
    expect(screen.getByText(AUTHORIZE).className).toBe('');
    expect(screen.queryByRole('button', { name: /Show the whole/ })).toBeNull();
  });
});

import type { DiscoveryFacts, LaunchFacts } from './facts';
import { scopeVersion } from './scopes';
import { orDash, plural, yesNo } from './text';
import type { FactRow, FactSection } from './types';

type Read = (f: LaunchFacts) => string;

const row = (label: string, a: LaunchFacts, b: LaunchFacts, read: Read): FactRow => {
  const va = read(a);
  const vb = read(b);
  return { label, a: va, b: vb, differs: va !== vb };
};

function section(title: string, a: LaunchFacts, b: LaunchFacts, reads: [string, Read][]): FactSection {
  return { title, rows: reads.map(([label, read]) => row(label, a, b, read)) };
}

const scopesSummary: Read = (f) => {
  const r = f.authorize?.requested;
  if (!r) return '—';
  const v = scopeVersion(r);
  return `${plural(r.length, 'scope')}${v ? ` (${v === 'mixed' ? 'v1 and v2' : v})` : ''}`;
};

const cookies: Read = (f) => {
  const c = f.sessionHop?.cookies;
  if (!f.sessionHop) return '—';
  if (!c) return 'not recorded';
  return `${plural(c.count, 'cookie')}, ${c.bytes.toLocaleString('en-US')} bytes${c.names.length ? `: ${c.names.join(', ')}` : ''}`;
};

/** A discovery document field; "not captured" when the request was seen without its body. */
const document =
  (read: (d: DiscoveryFacts) => string): Read =>
  (f) =>
    !f.discovery ? '—' : f.discovery.captured ? read(f.discovery) : 'not captured';

const granted: Read = (f) => {
  const g = f.token?.granted;
  return g ? plural(g.length, 'scope') : f.token ? 'not captured' : '—';
};

/** The side-by-side facts, in the order of a launch; values are what the analysis read, never secrets. */
export function factSections(a: LaunchFacts, b: LaunchFacts): FactSection[] {
  const sections = [
    section('Launch', a, b, [
      ['status', (f) => f.launch.status],
      ['status reason', (f) => orDash(f.launch.statusReason)],
      ['authorization server', (f) => orDash(f.launch.authHost)],
    ]),
    section('Authorize request', a, b, [
      ['client_id', (f) => orDash(f.authorize?.clientId)],
      ['redirect_uri', (f) => orDash(f.authorize?.redirectUri)],
      ['response_type', (f) => orDash(f.authorize?.responseType)],
      ['scope', scopesSummary],
      ['aud', (f) => orDash(f.authorize?.aud)],
      ['iss', (f) => orDash(f.authorize?.iss)],
      ['launch present', (f) => (f.authorize ? yesNo(f.authorize.launchPresent) : '—')],
      ['state length', (f) => orDash(f.authorize?.stateLength)],
      ['PKCE method', (f) => orDash(f.authorize?.pkceMethod)],
      ['persona path', (f) => orDash(f.authorize?.persona)],
    ]),
    section('Session-api hop', a, b, [
      ['status', (f) => orDash(f.sessionHop?.status)],
      [
        'forceAuthn',
        (f) => (f.sessionHop ? String(f.sessionHop.forceAuthn || f.sessionHop.nestedForceAuthn) : '—'),
      ],
      ['cookies sent', cookies],
      ['URL length', (f) => orDash(f.sessionHop?.urlLength)],
      ['Cookie bytes', (f) => orDash(f.sessionHop?.cookies?.bytes)],
    ]),
    section('Discovery', a, b, [
      ['status', (f) => orDash(f.discovery?.status)],
      ['authorization_endpoint', document((d) => orDash(d.authorizationEndpoint))],
      ['token_endpoint', document((d) => orDash(d.tokenEndpoint))],
      ['capabilities', document((d) => d.capabilities.join(', ') || '(none)')],
      ['code_challenge_methods', document((d) => d.codeChallengeMethods.join(', ') || '(none)')],
    ]),
    section('Token response', a, b, [
      ['status', (f) => orDash(f.token?.error ? `${f.token.status} ${f.token.error}` : f.token?.status)],
      ['granted scopes', granted],
      ['patient', (f) => yesNo(f.token?.patient)],
      ['encounter', (f) => yesNo(f.token?.encounter)],
      ['need_patient_banner', (f) => yesNo(f.token?.needPatientBanner)],
      ['expires_in', (f) => orDash(f.token?.expiresIn)],
      ['refresh token', (f) => yesNo(f.token?.refreshToken)],
      ['token_type', (f) => orDash(f.token?.tokenType)],
    ]),
  ];
  const calls = Math.max(a.fhir.length, b.fhir.length);
  const fhir: [string, Read][] = [];
  for (let i = 0; i < calls; i++) {
    fhir.push([
      `call ${i + 1}`,
      (f) => {
        const c = f.fhir[i];
        return c ? `${c.method} ${c.path} → ${c.status}` : '—';
      },
    ]);
  }
  if (fhir.length) sections.push(section('First FHIR calls', a, b, fhir));
  sections.push(
    section('Findings', a, b, [
      ['findings', (f) => f.launch.findings.map((x) => `${x.severity}: ${x.title}`).join('; ') || '(none)'],
    ]),
  );
  return sections;
}

/**
 * A minimal hand-written SMART client served by the sandbox at companion.smartdebugger.test/probe/ so the
 * browser tests do not depend on the companion app: `/probe/launch?iss&launch[&client_id][&scope]
 * [&credentials=include][&frame=1]` runs discovery and redirects to authorize with PKCE S256 (with `frame=1`
 * it opens authorize in a frame of its own page instead); `/probe/callback` shows
 * code/state (or error) and, for public clients, exchanges the code (with fetch credentials `include` when
 * asked: Oracle's `Access-Control-Allow-Origin: *` then makes the browser refuse the answer) and reads
 * the Patient.
 */
import { esc, page } from '../html';

export const PROBE_CLIENT_ID = 'sandbox-probe';
export const PROBE_DEFAULT_SCOPE =
  'launch openid fhirUser online_access patient/Patient.rs patient/Observation.rs';

const B64URL = `function b64url(bytes){let s='';for(const b of bytes)s+=String.fromCharCode(b);return btoa(s).replace(/\\+/g,'-').replace(/\\//g,'_').replace(/=+$/,'');}`;

const LAUNCH_SCRIPT = `${B64URL}
(async () => {
  const q = new URLSearchParams(location.search);
  const iss = q.get('iss');
  if (!iss) throw new Error('missing iss');
  const clientId = q.get('client_id') || ${JSON.stringify(PROBE_CLIENT_ID)};
  const scope = q.get('scope') || ${JSON.stringify(PROBE_DEFAULT_SCOPE)};
  const credentials = ['include', 'omit'].includes(q.get('credentials')) ? q.get('credentials') : 'same-origin';
  const conf = await (await fetch(iss.replace(/\\/$/, '') + '/.well-known/smart-configuration')).json();
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = b64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
  const redirectUri = location.origin + '/probe/callback';
  sessionStorage.setItem('probe', JSON.stringify({ state, verifier, iss, clientId, redirectUri, credentials, tokenEndpoint: conf.token_endpoint }));
  const p = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope, state, aud: iss, code_challenge: challenge, code_challenge_method: 'S256' });
  if (q.get('launch')) p.set('launch', q.get('launch'));
  const authorize = conf.authorization_endpoint + '?' + p;
  if (q.get('frame') !== '1') return location.assign(authorize);
  // Sign-in in a frame of this page, as an EHR page or an app embedding it does.
  const frame = document.createElement('iframe');
  frame.id = 'authframe';
  frame.title = 'Sign-in';
  frame.style.cssText = 'width: 100%; height: 480px; border: 1px solid #888';
  frame.src = authorize;
  document.body.append(frame);
})().catch((e) => { document.getElementById('status').textContent = 'Probe launch failed: ' + e.message; });`;

const CALLBACK_SCRIPT = `(async () => {
  const out = (id, text) => { document.getElementById(id).textContent = text; };
  const q = new URLSearchParams(location.search);
  const saved = JSON.parse(sessionStorage.getItem('probe') || 'null');
  if (!q.get('code')) return out('exchange', 'no code');
  if (!saved || saved.state !== q.get('state')) return out('exchange', 'state mismatch');
  const body = new URLSearchParams({ grant_type: 'authorization_code', code: q.get('code'), redirect_uri: saved.redirectUri, code_verifier: saved.verifier, client_id: saved.clientId });
  const res = await fetch(saved.tokenEndpoint, { method: 'POST', credentials: saved.credentials || 'same-origin', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
  const token = await res.json();
  out('exchange', 'token ' + res.status);
  out('granted', token.scope || token.error || '');
  if (!token.access_token) return;
  const fhir = await fetch(saved.iss + '/Patient/' + token.patient, { headers: { Authorization: 'Bearer ' + token.access_token, Accept: 'application/fhir+json' } });
  out('patient', 'patient ' + fhir.status + ' ' + ((await fhir.json()).id || ''));
})().catch((e) => { document.getElementById('exchange').textContent = 'failed: ' + e.message; });`;

export function probeLaunchPage(): string {
  return page(
    'Probe launch',
    `<h1>Probe app</h1><p id="status">Launching…</p><script>${LAUNCH_SCRIPT}</script>`,
  );
}

export function probeCallbackPage(query: URLSearchParams): string {
  const row = (id: string, label: string) =>
    `<tr><th>${label}</th><td><code id="${id}">${esc(query.get(id) ?? '')}</code></td></tr>`;
  return page(
    'Probe callback',
    `<h1>Probe callback</h1><table>${row('code', 'code')}${row('state', 'state')}${row('error', 'error')}${row('error_uri', 'error_uri')}</table>
<p id="exchange">…</p><p id="granted"></p><p id="patient"></p><script>${CALLBACK_SCRIPT}</script>`,
  );
}

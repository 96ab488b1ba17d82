/** The Code Console page of smart.cerner.com: registered apps, synthetic patients, quirk switch. */
import { fhirBase, HOSTS, QUIRK_DESCRIPTIONS, QUIRKS } from '../config';
import type { FhirResource } from '../data';
import { esc, page } from '../html';
import type { RegisteredApp } from '../registry';
import type { SandboxState } from '../state';

function patientName(p: FhirResource): string {
  const name = (p.name as { text?: string }[] | undefined)?.[0];
  return name?.text ?? p.id;
}

function launchCell(sandbox: SandboxState, app: RegisteredApp, tenant: string, user: string): string {
  if (app.persona === 'patient') {
    const url = new URL(app.launchUri);
    url.searchParams.set('iss', fhirBase(HOSTS.myrecord, tenant));
    return `<a class="launch" href="${esc(url)}">Launch standalone</a>`;
  }
  return sandbox.data
    .all('Patient')
    .map((p) => {
      const encounter = sandbox.data
        .all('Encounter')
        .find((e) => (e.subject as { reference?: string })?.reference === `Patient/${p.id}`);
      const q = new URLSearchParams({
        PAT_PersonId: p.id,
        VIS_EncntrId: encounter?.id ?? '',
        USR_PersonId: user,
      });
      const href = `/smart/${tenant}/apps/${encodeURIComponent(app.appId)}?${q}`;
      return `<a class="launch" data-patient="${esc(p.id)}" href="${esc(href)}">Launch · ${esc(patientName(p))}</a>`;
    })
    .join(' ');
}

export function consolePage(sandbox: SandboxState, tenant: string): string {
  const provider = sandbox.data.users.find((u) => u.persona === 'provider');
  const rows = sandbox.registry.apps
    .map(
      (
        a,
      ) => `<tr data-client-id="${esc(a.clientId)}"><td><strong>${esc(a.name)}</strong><br><code>${esc(a.clientId)}</code>${a.description ? `<br><small>${esc(a.description)}</small>` : ''}</td>
<td>${esc(a.persona)} · ${esc(a.type)} · SMART ${esc(a.smartVersion)}</td><td>${launchCell(sandbox, a, tenant, provider?.id ?? '')}</td></tr>`,
    )
    .join('\n');
  const quirks = QUIRKS.map(
    (q) =>
      `<label><input type="radio" name="quirk" value="${q}"${q === sandbox.quirk ? ' checked' : ''}> <code>${q}</code> — ${esc(QUIRK_DESCRIPTIONS[q])}</label><br>`,
  ).join('\n');
  return page(
    'Code Console (sandbox)',
    `<h1>Code Console — SMART Launch Debugger sandbox</h1>
<p>Tenant <code>${esc(tenant)}</code> · provider FHIR <code>${esc(fhirBase(HOSTS.ehr, tenant))}</code> · patient FHIR <code>${esc(fhirBase(HOSTS.myrecord, tenant))}</code></p>
<p>Logins: provider <code>portal</code>/<code>portal</code>, patient <code>nancysmart</code>/<code>Cerner01</code>.</p>
<h2>Quirk mode: <code id="quirk">${esc(sandbox.quirk)}</code></h2>
<form method="post" action="/sandbox/quirk">${quirks}<button type="submit">Switch</button></form>
<h2>Applications</h2>
<table><thead><tr><th>App</th><th>Registration</th><th>Launch</th></tr></thead><tbody>
${rows}
</tbody></table>`,
  );
}

/**
 * The companion app (web/dist, served by the sandbox at companion.smartdebugger.test/launch/) launched
 * in Chromium against the sandbox's Oracle hosts: EHR launch from the console, standalone patient launch,
 * a denied launch, a cancelled sign-in and a scope-trimmed launch. Needs `npm run build:web`
 * (npm run test:e2e does it).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCompanionBuilt, type Harness, startHarness } from './harness';

const CONSOLE = 'https://smart.cerner.com/';
const LAUNCHER = 'https://companion.smartdebugger.test/launch/';

let h: Harness;

beforeAll(async () => {
  assertCompanionBuilt();
  h = await startHarness({ quirk: 'none', loadExtension: false });
});
afterAll(async () => {
  await h?.close();
});

/** The standalone launcher with the local sandbox's provider preset picked. */
async function chooseSandboxProvider(page: Page): Promise<void> {
  await page.goto(LAUNCHER);
  await page
    .getByRole('radio', { name: 'Local sandbox — provider (fhir-ehr-code) (provider)', exact: true })
    .check();
}

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.waitForSelector('#username', { timeout: 30_000 });
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('#signin');
}

/** A fresh page in a fresh session: each scenario signs in on its own. */
async function newPage(): Promise<Page> {
  await h.context.clearCookies();
  return h.context.newPage();
}

async function smokeStatuses(page: Page): Promise<Record<string, string | null>> {
  const smoke = page.getByRole('region', { name: 'Smoke reads' });
  await smoke.getByText(/^(\d+) of \1 done\.$/).waitFor({ timeout: 30_000 });
  const rows = smoke.locator('tr[data-resource]');
  const out: Record<string, string | null> = {};
  for (const row of await rows.all())
    out[(await row.getAttribute('data-resource')) ?? '?'] = await row.getAttribute('data-status');
  return out;
}

describe('companion app against the sandbox', () => {
  it('EHR launch from the console: patient, granted scopes, green smoke reads', async () => {
    const page = await newPage();
    await page.goto(CONSOLE);
    const row = page.locator('tr[data-client-id="smart-debugger-companion"]');
    const launch = row.locator('a.launch').first();
    const patientId = await launch.getAttribute('data-patient');
    const patientName = ((await launch.textContent()) ?? '').replace(/^Launch · /, '').trim();
    expect(patientId).toBeTruthy();
    await launch.click();
    await signIn(page, 'portal', 'portal');
    await page.waitForURL(/\/launch\/auth/, { timeout: 30_000 });

    const patient = page.getByRole('region', { name: /^Patient (banner|in context)$/ });
    await expect.poll(() => patient.textContent(), { timeout: 30_000 }).toContain(patientName);
    expect(await patient.textContent()).toContain(patientId);

    const scopes = page.getByRole('region', { name: 'Scopes: requested vs granted' });
    expect(await scopes.textContent()).toContain('Every requested scope was granted.');
    const granted = (await page.getByTestId('granted-scope').textContent()) ?? '';
    expect(granted.split(' ')).toEqual(
      expect.arrayContaining(['launch', 'openid', 'fhirUser', 'user/Patient.rs']),
    );

    const statuses = await smokeStatuses(page);
    expect(Object.keys(statuses)).toEqual(
      expect.arrayContaining(['Patient', 'Observation', 'Condition', 'Practitioner']),
    );
    expect(Object.entries(statuses).filter(([, s]) => s !== 'ok')).toEqual([]);

    const context = page.getByRole('region', { name: 'Launch context' });
    expect(await context.textContent()).toMatch(/Practitioner\/\S+/);
    // Tokens stay masked until revealed.
    const token = page.getByRole('region', { name: 'Token', exact: true });
    expect(await token.textContent()).toMatch(/…\[\d+\]/);
    // online_access was granted, so a refresh token came with it: Refresh gets a new access token.
    await token.getByRole('button', { name: 'Reveal access token', exact: true }).click();
    const accessToken = () => token.locator('.mono').first().textContent();
    const before = await accessToken();
    expect(before).not.toMatch(/…\[\d+\]/);
    await token.getByRole('button', { name: 'Refresh', exact: true }).click();
    await expect.poll(accessToken, { timeout: 15_000 }).not.toBe(before);
    await page.close();
  });

  it('standalone patient launch (nancysmart): banner with the signed-in patient', async () => {
    const page = await newPage();
    await page.goto(CONSOLE);
    await page.locator('tr[data-client-id="smart-debugger-companion-patient"] a.launch').click();
    expect(await page.getByRole('radio', { name: /Local sandbox — patient/ }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Launch' }).click();
    await signIn(page, 'nancysmart', 'Cerner01');
    await page.waitForURL(/\/launch\/auth/, { timeout: 30_000 });
    const banner = page.getByRole('region', { name: 'Patient banner' });
    await expect.poll(() => banner.textContent(), { timeout: 30_000 }).toMatch(/Nancy/);
    const statuses = await smokeStatuses(page);
    expect(statuses.Patient).toBe('ok');
    expect(statuses.Observation).toBe('ok');
    // A patient's fhirUser is the Patient, so there is no Practitioner to read: skipped, never failed.
    expect(Object.entries(statuses).filter(([, s]) => s !== 'ok' && s !== 'skipped')).toEqual([]);
    await page.close();
  });

  it('denied launch: patient scopes without a patient come back as access_denied + missing-patient', async () => {
    const page = await newPage();
    await chooseSandboxProvider(page);
    await page.getByLabel('Scopes').fill('openid fhirUser patient/Patient.rs patient/Observation.rs');
    await page.getByRole('button', { name: 'Launch' }).click();
    await signIn(page, 'portal', 'portal');
    await page.waitForURL(/\/launch\/auth\?.*error=access_denied/, { timeout: 30_000 });
    const alert = page.getByRole('alert');
    expect(await alert.getByRole('heading', { level: 2 }).textContent()).toBe('No patient in context');
    expect(await alert.textContent()).toContain(
      'urn:cerner:error:authorization-server:oauth2:grant:missing-patient',
    );
    await page.close();
  });

  it('sends a crypto-strength state (32 random bytes, base64url) and gets it back on the callback', async () => {
    const page = await newPage();
    const states: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname.endsWith('/authorize') && url.searchParams.has('state'))
        states.push(url.searchParams.get('state') ?? '');
    });
    await chooseSandboxProvider(page);
    await page.getByRole('button', { name: 'Launch' }).click();
    await signIn(page, 'portal', 'portal');
    await page.waitForURL(/\/launch\/auth/, { timeout: 30_000 });
    // The extension's state-entropy rule wants 22+ characters; fhirclient's own default is 16.
    expect(states.length).toBeGreaterThan(0);
    expect(states[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new URL(page.url()).searchParams.get('state')).toBe(states[0]);
    await page.close();
  });

  it('cancelled sign-in comes back as access_denied with the session-service cancelled URN, explained', async () => {
    const page = await newPage();
    await chooseSandboxProvider(page);
    await page.getByRole('button', { name: 'Launch' }).click();
    await page.waitForSelector('#cancel', { timeout: 30_000 });
    await page.click('#cancel');
    await page.waitForURL(/\/launch\/auth\?.*error=access_denied/, { timeout: 30_000 });
    const alert = page.getByRole('alert');
    expect(await alert.getByRole('heading', { level: 2 }).textContent()).toBe('Sign-in cancelled');
    expect(await alert.textContent()).toContain(
      'urn:cerner:error:authorization-server:grant:session-service:authentication:cancelled',
    );
    await page.close();
  });

  it('opening the redirect page directly explains that no launch is in progress', async () => {
    const page = await newPage();
    await page.goto(`${LAUNCHER}auth`);
    const alert = page.getByRole('alert');
    expect(await alert.getByRole('heading', { level: 2 }).textContent()).toBe('No launch in progress');
    expect(await alert.textContent()).toContain('localhost vs 127.0.0.1');
    await page.close();
  });

  it('scope-trimmed launch: v1 .read scopes on the v2 registration are dropped and the reads answer 403', async () => {
    const page = await newPage();
    await chooseSandboxProvider(page);
    await page.getByRole('button', { name: 'SMART v1 preset' }).click();
    await page.getByRole('button', { name: 'Launch' }).click();
    await signIn(page, 'portal', 'portal');
    await page.waitForURL(/\/launch\/auth/, { timeout: 30_000 });
    const scopes = page.getByRole('region', { name: 'Scopes: requested vs granted' });
    await expect
      .poll(() => scopes.textContent(), { timeout: 30_000 })
      .toMatch(/requested scopes were not granted/);
    expect(await scopes.textContent()).toContain(
      'Oracle silently drops v1 scopes (.read/.write) for v2 apps',
    );
    expect(await scopes.locator('tr.trimmed').count()).toBeGreaterThan(0);
    const statuses = await smokeStatuses(page);
    expect(Object.values(statuses)).toContain('expected-denial');
    expect(Object.values(statuses)).not.toContain('ok');
    await page.close();
  });
});

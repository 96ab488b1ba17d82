// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { fhirclient } from 'fhirclient/lib/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseServersConfigText } from '../../web/src/lib/config';
import { readLaunchRecord } from '../../web/src/lib/launch-record';
import { LaunchPage } from '../../web/src/pages/LaunchPage';

// jsdom's import.meta.url is not a file URL; vitest runs from the repository root.
const shipped = readFileSync(resolve('web/config/servers.json'), 'utf8');
const TENANT = 'ec2458f2-1e24-41c8-b71b-0e701af7583d';
const ORIGIN = 'https://companion.smartdebugger.test';

afterEach(cleanup);
beforeEach(() => {
  sessionStorage.clear();
  localStorage.clear();
});

function renderPage(
  url: string,
  configText = shipped,
  authorize?: (o: fhirclient.AuthorizeParams) => Promise<unknown>,
  fetchImpl?: typeof fetch,
) {
  const calls: fhirclient.AuthorizeParams[] = [];
  render(
    <LaunchPage
      loadConfig={async () => parseServersConfigText(configText)}
      configSource="/launch/config/servers.json"
      authorize={authorize ?? (async (o) => void calls.push(o))}
      url={new URL(url)}
      session={sessionStorage}
      local={localStorage}
      {...(fetchImpl ? { fetch: fetchImpl } : {})}
    />,
  );
  return calls;
}

describe('launch page', () => {
  it('shows which field of an invalid config is wrong, and why', async () => {
    const broken = JSON.parse(shipped);
    broken.servers[2].clientId = '';
    broken.servers[3].pkceMode = 'sometimes';
    renderPage(`${ORIGIN}/launch/`, JSON.stringify(broken));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading').textContent).toBe('The server configuration is invalid');
    const items = within(alert)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(items).toEqual([
      'servers[2].clientId (entry sandbox-patient): must not be empty',
      'servers[3].pkceMode (entry oracle-provider): must be one of ifSupported, required, disabled, unsafeV1',
    ]);
    expect(alert.textContent).toContain('/launch/config/servers.json has 2 problems');
  });

  it('shows a JSON syntax error instead of a blank page', async () => {
    renderPage(`${ORIGIN}/launch/`, '{ "servers": [ }');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/\(file\): not valid JSON/);
  });

  it('EHR launch: authorizes once with the entry whose issMatch fits the iss', async () => {
    const iss = `https://fhir-ehr-code.cerner.com/r4/${TENANT}`;
    const calls = renderPage(`${ORIGIN}/launch/?iss=${encodeURIComponent(iss)}&launch=ctx-1`);
    await screen.findByText(/redirecting to the authorization server/);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      clientId: 'smart-debugger-companion',
      redirectUri: `${ORIGIN}/launch/auth`,
      pkceMode: 'ifSupported',
    });
    expect(calls[0]?.iss).toBeUndefined(); // fhirclient takes iss + launch from the URL itself
    expect(readLaunchRecord(sessionStorage)).toMatchObject({
      kind: 'ehr',
      serverId: 'sandbox-provider',
      iss,
    });
  });

  it('EHR launch from an unconfigured server explains what to add', async () => {
    const calls = renderPage(
      `${ORIGIN}/launch/?iss=https%3A%2F%2Ffhir-open.cerner.com%2Fr4%2F${TENANT}&launch=x`,
    );
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading', { level: 2 }).textContent).toBe(
      'No configuration for this FHIR server',
    );
    expect(calls).toHaveLength(0);
  });

  it('standalone launch with a preset server and the v2 scope preset', async () => {
    const user = userEvent.setup();
    const calls = renderPage(`${ORIGIN}/launch/`);
    await user.click(await screen.findByRole('radio', { name: /Local sandbox — patient/ }));
    expect((screen.getByLabelText('FHIR base (iss)') as HTMLInputElement).value).toBe(
      `https://fhir-myrecord.cerner.com/r4/${TENANT}`,
    );
    await user.click(screen.getByRole('button', { name: 'SMART v2 preset' }));
    await user.click(screen.getByRole('button', { name: 'Launch' }));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      iss: `https://fhir-myrecord.cerner.com/r4/${TENANT}`,
      clientId: 'smart-debugger-companion-patient',
      redirectUri: `${ORIGIN}/launch/auth`,
    });
    expect(calls[0]?.scope?.split(' ')).toEqual(
      expect.arrayContaining(['launch/patient', 'patient/Observation.rs']),
    );
    expect(calls[0]?.scope).not.toMatch(/\.read\b/);
  });

  it('preselects the preset matching ?iss= (a standalone launch link)', async () => {
    const iss = `https://fhir-myrecord.cerner.com/r4/${TENANT}`;
    renderPage(`${ORIGIN}/launch/?iss=${encodeURIComponent(iss)}`);
    const radio = (await screen.findByRole('radio', { name: /Local sandbox — patient/ })) as HTMLInputElement;
    expect(radio.checked).toBe(true);
    expect((screen.getByLabelText('FHIR base (iss)') as HTMLInputElement).value).toBe(iss);
  });

  it('offers only the presets meant for this origin', async () => {
    renderPage('https://apps.example.org/launch/');
    const radios = await screen.findAllByRole('radio');
    expect(radios.map((r) => r.closest('label')?.textContent)).toEqual([
      'Oracle public sandbox — provider (fhir-ehr-code) (provider)',
      'Oracle public sandbox — patient (fhir-myrecord) (patient)',
      'SMART Health IT launcher (R4) (patient)',
    ]);
  });

  it('explains a discovery failure raised by authorize()', async () => {
    const user = userEvent.setup();
    renderPage(`${ORIGIN}/launch/`, shipped, async () => {
      throw new Error(
        'Failed to fetch the conformance statement from "https://x/metadata". TypeError: Failed to fetch',
      );
    });
    await user.click(await screen.findByRole('button', { name: 'Launch' }));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading', { level: 2 }).textContent).toBe('SMART discovery failed');
  });

  it('a discovery failure is read again: which read failed and how, not Oracle advice', async () => {
    const user = userEvent.setup();
    const asked: string[] = [];
    const blocked = (async (input: RequestInfo | URL) => {
      asked.push(String(input));
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    renderPage(
      `${ORIGIN}/launch/`,
      shipped,
      async () => {
        throw new Error(
          'Failed to fetch the well-known json from "https://x/.well-known/smart-configuration".',
        );
      },
      blocked,
    );
    await user.click(await screen.findByRole('button', { name: 'Launch' }));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading', { level: 2 }).textContent).toBe('SMART discovery failed');
    expect(asked.some((u) => u.endsWith('/.well-known/smart-configuration'))).toBe(true);
    expect(asked.some((u) => u.endsWith('/metadata'))).toBe(true);
    expect(alert.textContent).toMatch(/failed in the browser \("Failed to fetch"\): blocked by CORS/);
    expect(alert.textContent).toContain('Server side: serve .well-known/smart-configuration with CORS open');
  });

  it('toggles fhirclient debug logs through localStorage.debug', async () => {
    const user = userEvent.setup();
    renderPage(`${ORIGIN}/launch/`);
    const toggle = await screen.findByRole('switch', { name: 'fhirclient debug logs' });
    expect(toggle.getAttribute('aria-describedby')).toBeTruthy();
    await user.click(toggle);
    expect(localStorage.getItem('debug')).toBe('FHIR*');
    await user.click(toggle);
    expect(localStorage.getItem('debug')).toBeNull();
  });
});

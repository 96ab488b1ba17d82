/**
 * Cancelling the sandbox IdP login: the authorization server answers the app with `error=access_denied`,
 * the session-service `authentication:cancelled` URN in `error_uri` and the original `state`, and no code.
 * The login page is parsed with jsdom and submitted the way a browser would (FormData with the submitter).
 */
import { randomBytes } from 'node:crypto';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { explainError, findOracleUrn } from '../../utils/smart/oracle-errors';
import { sandboxForFile } from './sandbox';
import { CookieJar, type Reply, send } from './sandbox-client';
import {
  type AuthorizeInput,
  authorizeUrl,
  consoleLaunch,
  launchToCallback,
  MYRECORD,
  PROBE_REDIRECT,
  pkcePair,
  sessionServiceUri,
  TENANT,
} from './sandbox-flow';

const sandbox = sandboxForFile('sandbox-cancel');

const CANCELLED = 'urn:cerner:error:authorization-server:grant:session-service:authentication:cancelled';
const AUTH = 'https://authorization.cerner.com';
const PATIENT_REDIRECT = 'https://companion.smartdebugger.test/launch/auth';
const SESSION_COOKIES = ['cerner-authz-session', 'cloud-session-iframe', 'idp-session', 'cerner-sso'];

interface LoginPage {
  reply: Reply;
  state: string;
  document: Document;
  form: HTMLFormElement;
  window: JSDOM['window'];
}

/** authorize → Loading page → session-api → the IdP login page, as a fresh browser (no session) sees it. */
async function openLogin(jar: CookieJar, input: AuthorizeInput): Promise<LoginPage> {
  const state = input.state ?? randomBytes(16).toString('hex');
  const loading = await send(sandbox(), authorizeUrl({ ...input, state }), { jar });
  expect(loading.status).toBe(200);
  const sessionApi = await send(sandbox(), sessionServiceUri(loading.body), { jar });
  expect(sessionApi.status).toBe(303);
  expect(sessionApi.location).toMatch(/^https:\/\/authorization\.cerner\.com\/idp\/realm\/[^/]+\/login\?to=/);
  const reply = await send(sandbox(), sessionApi.location ?? '', { jar });
  expect(reply.status).toBe(200);
  const { window } = new JSDOM(reply.body, { url: reply.url });
  const form = window.document.querySelector('form');
  if (!form) throw new Error('no form on the login page');
  return { reply, state, document: window.document, form, window };
}

async function providerLogin(jar: CookieJar): Promise<LoginPage> {
  const ctx = await consoleLaunch(sandbox());
  return openLogin(jar, { launch: ctx.launch, aud: ctx.iss, challenge: pkcePair().challenge });
}

/** Submits the form as a browser does when `submitter` is activated (or on Enter, without one). */
function submit(page: LoginPage, jar: CookieJar, submitter?: HTMLElement | null): Promise<Reply> {
  const body = new page.window.URLSearchParams(
    new page.window.FormData(page.form, submitter ?? undefined) as unknown as Record<string, string>,
  ).toString();
  expect(page.form.method).toBe('post');
  return send(sandbox(), page.form.action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    jar,
  });
}

function fill(page: LoginPage, username: string, password: string): void {
  (page.document.getElementById('username') as HTMLInputElement).value = username;
  (page.document.getElementById('password') as HTMLInputElement).value = password;
}

describe('the IdP login page offers Cancel', () => {
  it('is a submit button of the login form, keyboard reachable after Sign in, not the default button', async () => {
    const page = await providerLogin(new CookieJar());
    const cancel = page.document.getElementById('cancel');
    expect(cancel?.tagName).toBe('BUTTON');
    expect((cancel as HTMLButtonElement).type).toBe('submit');
    expect((cancel as HTMLButtonElement).form).toBe(page.form);
    expect(cancel?.textContent?.trim()).toBe('Cancel');
    // Tab order: every focusable control in document order (none has a positive tabindex).
    const focusable = [...page.form.querySelectorAll<HTMLElement>('input, button, a[href], select, textarea')]
      .filter((el) => el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled)
      .filter((el) => (el as HTMLInputElement).type !== 'hidden')
      .map((el) => el.id);
    expect(focusable).toEqual(['username', 'password', 'signin', 'cancel']);
    // Enter in a field submits with the form's first submit button: that must stay Sign in.
    expect(page.form.querySelector('button[type="submit"], input[type="submit"]')?.id).toBe('signin');
  });
});

describe('cancelling sign-in', () => {
  it('returns to the app with access_denied, the cancelled URN and the state, and issues no code', async () => {
    const jar = new CookieJar();
    const page = await providerLogin(jar);
    const to = (page.form.elements.namedItem('to') as HTMLInputElement).value;

    const cancelled = await submit(page, jar, page.document.getElementById('cancel'));
    expect(cancelled.status).toBe(303);
    expect(cancelled.location).toBe(to);
    expect(cancelled.headers['set-cookie']).toBeUndefined();

    const back = await send(sandbox(), cancelled.location ?? '', { jar });
    expect(back.status).toBe(302);
    const location = new URL(back.location ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(PROBE_REDIRECT);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe(page.state);
    expect(location.searchParams.has('code')).toBe(false);
    expect([...location.searchParams.keys()].sort()).toEqual(['error', 'error_uri', 'state']);

    const errorUri = location.searchParams.get('error_uri') ?? '';
    expect(errorUri).toMatch(
      new RegExp(`^${AUTH}/errors/${encodeURIComponent(CANCELLED)}/instances/[0-9a-f-]{36}$`),
    );
    expect(findOracleUrn(errorUri)).toBe(CANCELLED);
    expect(explainError('access_denied', errorUri)?.title).toBe('Sign-in cancelled');
    // The error_uri is a page the authorization server actually serves.
    const errorPage = await send(sandbox(), errorUri);
    expect(errorPage.status).toBe(200);
    expect(errorPage.body).toContain(CANCELLED);

    // No session was created.
    expect(jar.names('authorization.cerner.com').filter((n) => SESSION_COOKIES.includes(n))).toEqual([]);
    const status = await send(sandbox(), `${AUTH}/my-session/status`, { jar });
    expect(status.json()).toEqual({ activeSession: false });

    // The cancellation is used once: the same authorize URL now asks for sign-in again, still without a code.
    const again = await send(sandbox(), to, { jar });
    expect(again.status).toBe(302);
    expect(again.location).toMatch(/^https:\/\/authorization\.cerner\.com\/session-api\/realm\//);
  });

  it('sends the state back exactly, special characters included', async () => {
    const jar = new CookieJar();
    const ctx = await consoleLaunch(sandbox());
    const state = 'a b&c=d/é+%';
    const page = await openLogin(jar, { launch: ctx.launch, aud: ctx.iss, state });
    const cancelled = await submit(page, jar, page.document.getElementById('cancel'));
    const back = await send(sandbox(), cancelled.location ?? '', { jar });
    expect(new URL(back.location ?? '').searchParams.get('state')).toBe(state);
  });

  it('ignores typed credentials: Cancel never signs in', async () => {
    const jar = new CookieJar();
    const page = await providerLogin(jar);
    fill(page, 'portal', 'portal');
    const cancelled = await submit(page, jar, page.document.getElementById('cancel'));
    expect(cancelled.headers['set-cookie']).toBeUndefined();
    const back = await send(sandbox(), cancelled.location ?? '', { jar });
    const location = new URL(back.location ?? '');
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.has('code')).toBe(false);
  });

  it('works on the patient realm too', async () => {
    const jar = new CookieJar();
    const page = await openLogin(jar, {
      clientId: 'smart-debugger-companion-patient',
      redirectUri: PATIENT_REDIRECT,
      persona: 'patient',
      aud: MYRECORD,
      scope: 'launch/patient openid fhirUser patient/Patient.rs',
    });
    expect(page.form.action).toContain(`/idp/realm/${TENANT}-ch/login`);
    const cancelled = await submit(page, jar, page.document.getElementById('cancel'));
    const back = await send(sandbox(), cancelled.location ?? '', { jar });
    const location = new URL(back.location ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(PATIENT_REDIRECT);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(findOracleUrn(location.searchParams.get('error_uri') ?? '')).toBe(CANCELLED);
    expect(location.searchParams.get('state')).toBe(page.state);
    expect(location.searchParams.has('code')).toBe(false);
  });

  it('leaves signing in unchanged: Enter (no submitter) with credentials still yields a code', async () => {
    const jar = new CookieJar();
    const page = await providerLogin(jar);
    fill(page, 'portal', 'portal');
    const signedIn = await submit(page, jar);
    expect(signedIn.status).toBe(303);
    const back = await send(sandbox(), signedIn.location ?? '', { jar });
    const location = new URL(back.location ?? '');
    expect(location.searchParams.get('code')).toBeTruthy();
    expect(location.searchParams.get('state')).toBe(page.state);
    expect(location.searchParams.has('error')).toBe(false);
  });

  it('does not affect the next launch in the same browser', async () => {
    const jar = new CookieJar();
    const page = await providerLogin(jar);
    const cancelled = await submit(page, jar, page.document.getElementById('cancel'));
    await send(sandbox(), cancelled.location ?? '', { jar });
    const next = await launchToCallback(sandbox(), jar);
    expect(next.callback.searchParams.get('code')).toBeTruthy();
    expect(next.callback.searchParams.has('error')).toBe(false);
  });

  it('refuses to cancel towards a URL that is not an authorize request of this server', async () => {
    const page = await providerLogin(new CookieJar());
    const action = page.form.action;
    const post = (to: string) =>
      send(sandbox(), action, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ to, action: 'cancel' }).toString(),
      });
    const elsewhere = await post(`${PROBE_REDIRECT}?initialRequestId=x`);
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.location).toBeUndefined();
    const noRequestId = await post(authorizeUrl({}));
    expect(noRequestId.status).toBe(400);
    expect(noRequestId.location).toBeUndefined();
  });
});

/**
 * smart.cerner.com: a small Code Console (apps × synthetic patients with Launch buttons, quirk switch) and
 * Cerner's launch chain `/smart/<tenant>/apps/<appId>?PAT_PersonId&VIS_EncntrId&USR_PersonId`
 * → 302 `/smart/user/preauth?context_id&tenant` (header SMART-Launch) → 302 app launch URL `?iss&launch`.
 */
import { randomUUID } from 'node:crypto';
import { type Context, Hono } from 'hono';
import {
  fhirBase,
  fhirHostFor,
  isQuirk,
  QUIRK_DESCRIPTIONS,
  QUIRKS,
  SMART_ORIGIN,
  TENANT,
  TENANTS,
} from '../config';
import { esc, page } from '../html';
import { remember, type SandboxState } from '../state';
import { consolePage } from './console-page';

function problem(c: Context, status: 400 | 404, message: string) {
  return c.html(
    page('SMART launch error', `<h1>Launch failed</h1><p class="error">${esc(message)}</p>`),
    status,
  );
}

function launch(c: Context, sandbox: SandboxState): Response {
  const tenant = c.req.param('tenant') ?? '';
  if (!TENANTS.has(tenant)) return problem(c, 404, 'Unknown tenant.');
  const app = sandbox.registry.byAppId(c.req.param('appId') ?? '');
  if (!app) return problem(c, 404, 'Unknown application.');
  const q = new URL(c.req.url).searchParams;
  const patient = q.get('PAT_PersonId') || undefined;
  const encounter = q.get('VIS_EncntrId') || undefined;
  const user = q.get('USR_PersonId') || undefined;
  if (patient && !sandbox.data.read('Patient', patient)) return problem(c, 400, 'Unknown PAT_PersonId.');
  if (encounter && !sandbox.data.read('Encounter', encounter))
    return problem(c, 400, 'Unknown VIS_EncntrId.');
  const id = randomUUID();
  remember(sandbox.launches, id, {
    id,
    tenant,
    clientId: app.clientId,
    iss: fhirBase(fhirHostFor(app.persona), tenant),
    createdAt: sandbox.now(),
    ...(patient ? { patient } : {}),
    ...(encounter ? { encounter } : {}),
    ...(user ? { user } : {}),
  });
  c.header('SMART-Launch', id);
  return c.redirect(
    `${SMART_ORIGIN}/smart/user/preauth?context_id=${id}&tenant=${encodeURIComponent(tenant)}`,
    302,
  );
}

function preauth(c: Context, sandbox: SandboxState): Response {
  const q = new URL(c.req.url).searchParams;
  const ctx = sandbox.launches.get(q.get('context_id') ?? '');
  if (!ctx || ctx.tenant !== q.get('tenant')) return problem(c, 400, 'Unknown or expired launch context.');
  const app = sandbox.registry.byClientId(ctx.clientId);
  if (!app) return problem(c, 400, 'The application is no longer registered.');
  const target = new URL(app.launchUri);
  target.searchParams.set('iss', ctx.iss);
  target.searchParams.set('launch', ctx.id);
  return c.redirect(target.toString(), 302);
}

export function smartHost(sandbox: SandboxState): Hono {
  const app = new Hono();
  app.get('/', (c) => c.html(consolePage(sandbox, TENANT)));
  app.get('/smart/:tenant/apps/:appId', (c) => launch(c, sandbox));
  app.get('/smart/user/preauth', (c) => preauth(c, sandbox));
  app.post('/sandbox/quirk', async (c) => {
    const quirk = new URLSearchParams(await c.req.text()).get('quirk');
    if (!isQuirk(quirk)) return problem(c, 400, `Unknown quirk; use one of ${QUIRKS.join(', ')}.`);
    sandbox.quirk = quirk;
    return c.redirect('/', 303);
  });
  app.get('/sandbox/api/quirk', (c) => c.json({ quirk: sandbox.quirk, quirks: QUIRK_DESCRIPTIONS }));
  app.post('/sandbox/api/quirk', async (c) => {
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return c.json({ error: 'body must be JSON like {"quirk":"none"}' }, 400);
    }
    const quirk = (body as { quirk?: unknown } | null)?.quirk;
    if (!isQuirk(quirk)) return c.json({ error: `quirk must be one of ${QUIRKS.join(', ')}` }, 400);
    sandbox.quirk = quirk;
    return c.json({ quirk });
  });
  app.get('/styles/smart-v1.json', (c) =>
    c.json(
      {
        color_background: '#edeae3',
        color_error: '#9e2d2d',
        color_highlight: '#69b5ce',
        color_modal_backdrop: '',
        color_success: '#498e49',
        color_text: '#303030',
        dim_border_radius: '6px',
        dim_font_size: '13px',
        dim_spacing_size: '20px',
        font_family_body: 'Georgia, Times, serif',
        font_family_heading: '"HelveticaNeue-Light", Helvetica, Arial, sans-serif',
      },
      200,
      { 'Access-Control-Allow-Origin': '*' },
    ),
  );
  app.notFound((c) => problem(c, 404, 'Not found.'));
  return app;
}

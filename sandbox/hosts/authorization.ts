/** authorization.cerner.com: authorize, session-api + login, token family, `/jwk`, error pages. */
import { Hono } from 'hono';
import { explainOracleUrn } from '../../utils/smart/oracle-errors';
import { HEADER_LIMIT_BYTES } from '../config';
import { page } from '../html';
import type { SandboxState } from '../state';
import { authorize, errorPage } from './authorize';
import { mountSessionApi } from './session-api';
import { mountToken } from './token';

/** nginx's answer when the request line plus headers overflow its buffer. */
export const HEADER_TOO_LARGE_HTML =
  '<html><head><title>400 Request Header Or Cookie Too Large</title></head><body><center><h1>400 Bad Request</h1></center><center>Request Header Or Cookie Too Large</center></body></html>';

export function authorizationHost(sandbox: SandboxState): Hono {
  const app = new Hono();
  app.use('*', async (c, next) => {
    if (sandbox.quirk === 'header-size') {
      const size = c.req.url.length + (c.req.header('cookie') ?? '').length;
      if (size > HEADER_LIMIT_BYTES) return c.html(HEADER_TOO_LARGE_HTML, 400);
    }
    await next();
  });
  app.on(
    ['GET', 'POST'],
    '/tenants/:tenant/protocols/oauth2/profiles/smart-v1/personas/:persona/authorize',
    (c) => {
      const persona = c.req.param('persona');
      return persona === 'provider' || persona === 'patient' ? authorize(c, sandbox) : c.notFound();
    },
  );
  mountSessionApi(app, sandbox);
  mountToken(app, sandbox);
  app.get('/jwk', (c) =>
    c.json({ keys: [sandbox.signingKey.publicJwk] }, 200, { 'Access-Control-Allow-Origin': '*' }),
  );
  app.get('/errors/:urn/instances/:instance', (c) => {
    const urn = c.req.param('urn');
    const explained = explainOracleUrn(urn);
    return c.html(errorPage(urn, c.req.param('instance'), explained));
  });
  app.notFound((c) => c.html(page('Not Found', '<h1>Not Found</h1>'), 404));
  return app;
}

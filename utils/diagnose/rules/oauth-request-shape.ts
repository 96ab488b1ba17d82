import { normBase } from '../../launch/correlate';
import type { Finding, Launch, Step } from '../../model';
import { smartConfigOf } from '../../smart/smart-config';
import { getParam, hasParam } from '../../url';
import { formValue } from '../../url/query';
import { splitUrl } from '../../url/split';
import { tokenBody } from '../context';
import { errorDescription, saidByServer } from '../errors';
import { advice } from '../fixes';
import { ev, finding, type Rule, type RuleContext } from '../types';

/** Names a client's credential goes by; none belongs in a URL (RFC 6749 §2.3.1). */
const CREDENTIALS = ['client_secret', 'client_assertion'] as const;

/**
 * Requests SMART does not allow in this shape, whatever the server made of them: an authorization that
 * is not the code flow (SMART App Launch: `response_type=code` only; the implicit flow hands the token
 * over in the URL), the password grant (the app takes the user's password), a client credential in a
 * URL (RFC 6749 §2.3.1: the request body only), where history, logs and Referer headers keep it, and a
 * client authentication method the server's discovery does not list (token_endpoint_auth_methods_supported),
 * and a token request sent as JSON rather than as a form (RFC 6749 §4.1.3).
 */
export const oauthRequestShape: Rule = {
  id: 'oauth-request-shape',
  severity: 'warning',
  title: 'Request not allowed in this form',
  detect(launch, ctx) {
    const out: Finding[] = [];
    const responseType = ctx.authorize ? getParam(ctx.authParams, 'response_type') : undefined;
    if (ctx.authorize && responseType !== undefined && responseType !== 'code') {
      const implicit = /(?:^|\s)token(?:\s|$)/.test(responseType);
      out.push(
        finding(
          this,
          `The authorize request asks for response_type=${responseType}${implicit ? ': the implicit flow, which hands the access token over in the redirect URL' : ''}. SMART App Launch allows only the authorization code flow (response_type=code, with PKCE); a SMART server may refuse anything else (unsupported_response_type).`,
          [ev('response_type', responseType, ctx.authorize)],
          [
            advice(
              'Authorize with response_type=code and PKCE (S256), and exchange the code at the token endpoint.',
            ),
          ],
          { title: implicit ? 'Implicit flow (response_type=token)' : 'Not the authorization code flow' },
        ),
      );
    }
    const redirectUri = ctx.authorize ? getParam(ctx.authParams, 'redirect_uri') : undefined;
    const hash = redirectUri?.indexOf('#') ?? -1;
    if (ctx.authorize && redirectUri && hash !== -1) {
      out.push(
        finding(
          this,
          `The authorize request's redirect_uri has a fragment (${redirectUri.slice(hash)}). OAuth does not allow one (RFC 6749 §3.1.2: the redirection endpoint URI must not include a fragment): the server may refuse it, or add the code and state where the page does not look for them. Hash-routed apps (#/callback) meet this.`,
          [ev('redirect_uri', redirectUri, ctx.authorize)],
          [
            advice(
              `Register and send a redirect_uri without a fragment (${redirectUri.slice(0, hash) || 'a path such as /callback'}), and route to the callback in the app from there.`,
            ),
          ],
          { title: 'Redirect URI with a fragment' },
        ),
      );
    }
    const password = launch.steps.find(
      (s) => s.kind === 'token' && formValue(s.exchange.form, 'grant_type') === 'password',
    );
    if (password) {
      const status = password.exchange.status;
      const refused = status !== undefined && status >= 400;
      out.push(
        finding(
          this,
          `The token request uses the resource owner password grant (grant_type=password): the app collects the user's password itself. SMART App Launch does not use it, and the OAuth 2.0 Security Best Current Practice forbids it.${refused ? ` The server refused it (HTTP ${status}); for this grant, invalid_grant means the username or password (RFC 6749 §4.3, §5.2), not a code.` : ''}`,
          [ev('grant_type', 'password', password)],
          [
            advice(
              'Sign the user in at the authorization server: the authorization code flow with PKCE (response_type=code).',
            ),
          ],
          { title: 'Password grant', ...(refused ? { severity: 'error' as const } : {}) },
        ),
      );
    }
    const auth = authMethodMismatch(launch, ctx);
    if (auth) {
      const { step, method, listed } = auth;
      // Refused for it: invalid_client (RFC 6749 §5.2), or a 401 without a readable error.
      const status = step.exchange.status;
      const body = step.exchange.body ? tokenBody(step.exchange) : undefined;
      const error = body?.kind === 'error' ? body.value : undefined;
      // Not when the server's URN names the credentials themselves as wrong: that is the cause it gave.
      const credentialsWrong = /invalid_client_credentials|invalid_authorization_header/.test(
        `${error?.error_uri ?? ''} ${error?.error_description ?? ''}`,
      );
      const refused =
        !credentialsWrong &&
        status !== undefined &&
        status >= 400 &&
        (error ? error.error === 'invalid_client' : status === 401);
      const said = saidByServer(errorDescription(error?.error_description));
      out.push(
        finding(
          this,
          `The token request authenticates the client with ${method}, which the server's smart-configuration does not list in token_endpoint_auth_methods_supported (${listed.join(', ')}); ${refused ? `the server refused it (HTTP ${status}${error ? `, ${error.error}` : ''}), as a server does with a method it does not support.${said}` : 'a server may refuse a method it does not support (invalid_client).'}`,
          [
            ev('client authentication', method, credentialsWrong ? undefined : step),
            ev('methods the server lists', listed.join(', '), ctx.discovery),
          ],
          [
            advice(
              listed.includes('client_secret_basic')
                ? 'Send the client secret with HTTP Basic authentication (client_secret_basic) instead of in the form.'
                : `Authenticate the client with a method the server lists: ${listed.join(', ')}.`,
            ),
          ],
          {
            title: 'Client authentication the server does not list',
            ...(refused ? { severity: 'error' as const } : {}),
          },
        ),
      );
    }
    const elsewhere = tokenElsewhere(launch, ctx);
    if (elsewhere) out.push(elsewhereFinding(this, elsewhere.step, elsewhere.declared));
    const notForm = launch.steps.find(
      (s) => (s.kind === 'token' || s.kind === 'refresh') && s.exchange.formFormat !== undefined,
    );
    if (notForm) out.push(bodyNotForm(this, notForm));
    for (const step of launch.steps) {
      if (step.kind !== 'token' && step.kind !== 'refresh' && step.kind !== 'authorize') continue;
      const name = CREDENTIALS.find((n) => hasParam(step.decoded, n));
      if (!name) continue;
      out.push(
        finding(
          this,
          `The ${step.label} request carries ${name} in its URL. RFC 6749 §2.3.1 allows client credentials in the request body only: a URL is kept in browser history, server and proxy logs, and Referer headers.`,
          [ev('parameter in the URL', name, step)],
          [
            advice(
              'Send client credentials with HTTP Basic authentication (client_secret_basic) or in the form body of the token request, never in its URL.',
            ),
          ],
          { title: 'Client credential in a URL' },
        ),
      );
      break;
    }
    return out;
  },
};

/** The first token or refresh request sent elsewhere than the token_endpoint discovery names. */
function tokenElsewhere(launch: Launch, ctx: RuleContext): { step: Step; declared: string } | undefined {
  const declared = ctx.smartConfig?.token_endpoint;
  if (!declared) return undefined;
  const key = normBase(splitUrl(declared).base);
  const step = launch.steps.find(
    (s) => (s.kind === 'token' || s.kind === 'refresh') && normBase(splitUrl(s.exchange.url).base) !== key,
  );
  return step ? { step, declared } : undefined;
}

/**
 * A token request posted elsewhere than discovery's token_endpoint (a staging host, an old URL): a code
 * is good only at the server that issued it, so a refusal there is that; accepted, it is a warning.
 */
function elsewhereFinding(rule: Rule, step: Step, declared: string): Finding {
  const status = step.exchange.status;
  const refused = (status !== undefined && status >= 400) || (status === undefined && !!step.exchange.error);
  return finding(
    rule,
    `The ${step.label} request went to ${splitUrl(step.exchange.url).base}, while the server's smart-configuration names ${splitUrl(declared).base} as its token endpoint.${refused ? ' It was refused there: a code (or refresh token) is good only at the server that issued it.' : ' It was answered there; the endpoint discovery names is the one to use.'}`,
    [
      ev('token request to', splitUrl(step.exchange.url).base, step),
      ev('token_endpoint (discovery)', splitUrl(declared).base),
    ],
    [
      advice(
        "Post token requests to the token_endpoint of the server's smart-configuration (fhirclient does).",
      ),
    ],
    {
      title: 'Token request to another endpoint than discovery names',
      ...(refused ? { severity: 'error' as const } : {}),
    },
  );
}

/**
 * A token (or refresh) request whose body was a JSON object: RFC 6749 has the client send its
 * parameters as application/x-www-form-urlencoded (§4.1.3, §6), and a server that follows it finds no
 * grant_type in JSON. Refused, that is the likely cause; accepted, the next server may not be as lenient.
 */
/** A token or refresh request whose body was JSON or multipart/form-data, not a urlencoded form. */
function bodyNotForm(rule: Rule, step: Step): Finding {
  const status = step.exchange.status;
  const body = step.exchange.body ? tokenBody(step.exchange) : undefined;
  const error = body?.kind === 'error' ? body.value : undefined;
  const refused =
    status !== undefined && status >= 400 && status !== 401 && error?.error !== 'invalid_client';
  const fields = Object.keys(step.exchange.form ?? {}).join(', ');
  const said = saidByServer(errorDescription(error?.error_description));
  const json = step.exchange.formFormat === 'json';
  const sent = json ? 'as a JSON object' : 'as multipart/form-data';
  return finding(
    rule,
    `The ${step.label} request sent its parameters ${sent} (${fields}). OAuth's token endpoint takes them as a urlencoded form (Content-Type: application/x-www-form-urlencoded; RFC 6749 §4.1.3, §6): a server that follows it finds no grant_type ${json ? 'in a JSON body' : 'in a multipart body'}. ${refused ? `The server refused the request (HTTP ${status}${error ? `, ${error.error}` : ''}): most likely for this reason.${said}` : status !== undefined && status < 400 ? 'This server accepted it; a server that follows the RFC refuses it (invalid_request, unsupported_grant_type).' : 'A server that follows the RFC refuses it (invalid_request, unsupported_grant_type).'}`,
    [ev('request body', `${json ? 'JSON' : 'multipart/form-data'} (${fields})`, step)],
    [
      advice(
        'Send the token request as a form: Content-Type: application/x-www-form-urlencoded, with grant_type, code, redirect_uri and code_verifier as form fields (fhirclient and OAuth libraries do).',
      ),
    ],
    {
      title: json ? 'Token request sent as JSON' : 'Token request sent as multipart/form-data',
      ...(refused ? { severity: 'error' as const } : {}),
    },
  );
}

/**
 * A token request that authenticates the client in its form with a method discovery does not list in
 * token_endpoint_auth_methods_supported: a client_secret (client_secret_post) or a client_assertion
 * (private_key_jwt or client_secret_jwt). HTTP Basic cannot be told from here (no request headers).
 */
function authMethodMismatch(
  launch: Launch,
  ctx: RuleContext,
): { step: Step; method: string; listed: string[] } | undefined {
  const listed = ctx.discovery
    ? smartConfigOf(ctx.discovery.exchange.body)?.token_endpoint_auth_methods_supported
    : undefined;
  if (!listed?.length) return undefined;
  for (const step of launch.steps) {
    if (step.kind !== 'token' && step.kind !== 'refresh') continue;
    const form = step.exchange.form;
    if (formValue(form, 'client_secret') !== undefined && !listed.includes('client_secret_post'))
      return { step, method: 'client_secret_post (client_secret in the form)', listed };
    if (
      formValue(form, 'client_assertion') !== undefined &&
      !listed.includes('private_key_jwt') &&
      !listed.includes('client_secret_jwt')
    )
      return { step, method: 'a signed client assertion (private_key_jwt)', listed };
  }
  return undefined;
}

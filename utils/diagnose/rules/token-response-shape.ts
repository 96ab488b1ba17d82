import type { JWTPayload } from 'jose';
import type { Finding, Step } from '../../model';
import { grantsFhirUser, idTokenGaps } from '../../smart/id-token';
import { jwtClaims, jwtDecodeError } from '../../smart/jwt';
import type { ParsedTokenBody } from '../../smart/token-response';
import { getParam } from '../../url';
import { formValue } from '../../url/query';
import { splitUrl } from '../../url/split';
import { errorDescription, saidByServer } from '../errors';
import { advice } from '../fixes';
import { ev, finding, type Rule, type RuleContext } from '../types';

/** The token response is not what SMART specifies, or its id_token cannot be read. */
export const tokenResponseShape: Rule = {
  id: 'token-response-shape',
  severity: 'info',
  title: 'Token response details',
  detect(_launch, ctx) {
    const redirected = ctx.tokenSuccess ? undefined : ctx.tokens.find(isRedirect);
    if (redirected) return [redirectedFinding(this, redirected, ctx)];
    const t = ctx.tokenSuccess;
    if (!t) return [];
    if (!t.body) {
      // The body was not recorded, but its type was: a page (a proxy's sign-in or error page) is no token.
      const type = t.step.exchange.responseHeaders['content-type'];
      if (!type || !/^\s*text\/html\b/i.test(type)) return [];
      return [
        finding(
          this,
          `The token endpoint answered HTTP ${t.step.exchange.status} with a page (${type.trim()}), not the JSON of a token response, so the app got no token: a proxy or a sign-in page in front of the server answered, or the request went to a page rather than the token endpoint.`,
          [ev('content-type', type.trim(), t.step)],
          [
            advice(
              'Send the token request to the token_endpoint of discovery, and check what answers there (a proxy or gateway that needs its own sign-in). Open DevTools on the app’s tab and launch again to see the page.',
            ),
          ],
          { severity: 'error', title: 'Token request answered with a page' },
        ),
      ];
    }
    if (t.body.kind === 'invalid') {
      // A body cut to the capture bound is our limit, not the server's fault.
      const cut = t.step.exchange.body?.truncated === true;
      return [
        finding(
          this,
          cut
            ? `The token response was too large to keep whole, so it could not be read: ${t.body.error}.`
            : `The token response could not be read (${t.body.error}), so the app cannot use the token: SMART requires JSON with access_token, token_type and scope.`,
          [ev('body', t.step.exchange.body?.text.slice(0, 200), t.step)],
          cut
            ? []
            : [advice('Server side: answer the token request with a SMART token response (RFC 6749 §5.1).')],
          cut ? { title: 'Token response cut' } : { severity: 'error', title: 'Unreadable token response' },
        ),
      ];
    }
    if (t.body.kind === 'error') {
      // A success status with an error for a body (some gateways and servers): no token came.
      const { error, error_description } = t.body.value;
      return [
        finding(
          this,
          `The token endpoint answered HTTP ${t.step.exchange.status}, but its body is an OAuth error (${error}) and holds no access token, so the app got none. RFC 6749 §5.2 sends errors with HTTP 400 (401 for client authentication); an app that trusts the status takes this for a token.${saidByServer(errorDescription(error_description))}`,
          [ev('status', t.step.exchange.status, t.step), ev('error', error, t.step)],
          [
            advice(
              'Read the body, not only the status: treat a token response without access_token as failed. Server side: answer errors with HTTP 400.',
            ),
          ],
          { severity: 'error', title: 'Token error sent with a success status' },
        ),
      ];
    }
    if (t.body.kind !== 'token') return [];
    const out = [];
    const asText = t.body.expiresInText;
    if (asText !== undefined) {
      out.push(
        finding(
          this,
          `The token response sends expires_in as a string ("${asText.trim()}"), not a number (RFC 6749 §5.1: the lifetime in seconds). Clients that convert it read the right lifetime; fhirclient 2.x adds it to the current time as text, so it takes the token for one that never expires and never refreshes it before a request.`,
          [ev('expires_in', `"${asText.trim()}"`, t.step)],
          [
            advice(
              'Server side: send expires_in as a JSON number. Client side: convert it with Number() before use.',
            ),
          ],
          { severity: 'warning', title: 'expires_in sent as a string' },
        ),
      );
    }
    const unknown = t.body.unknownFields;
    if (unknown.length) {
      out.push(
        finding(
          this,
          `The token response has fields SMART does not define: ${unknown.join(', ')}.`,
          [ev('unknown fields', unknown.join(', '), t.step)],
          [],
          { title: 'Non-standard token response fields' },
        ),
      );
    }
    const expiresIn = t.body.value.expires_in;
    if (expiresIn !== undefined && expiresIn <= 0) {
      out.push(
        finding(
          this,
          `The token response says the access token expires in ${expiresIn} seconds: an app that trusts expires_in treats the token as expired at once (and may refresh or relaunch in a loop).`,
          [ev('expires_in', expiresIn, t.step)],
          [advice('Server side: send expires_in as the token’s lifetime in seconds (RFC 6749 §5.1).')],
          { severity: 'warning', title: 'Token expires at once' },
        ),
      );
    }
    const idToken = t.body.value.id_token;
    if (idToken) {
      const { error, claims } = readIdToken(t.body, idToken);
      if (error !== undefined && !/redacted/.test(error)) {
        out.push(
          finding(
            this,
            `The id_token cannot be decoded: ${error}.`,
            [ev('id_token', idToken.slice(0, 40), t.step)],
            [],
            { severity: 'warning', title: 'Broken id_token' },
          ),
        );
      } else if (claims) {
        out.push(...idTokenClaimFindings(this, claims, t.step, ctx));
      }
    }
    return out;
  },
};

/**
 * What an app reads from the id_token and may not find: its audience must name the app's client_id
 * (OpenID Connect Core §3.1.3.7: a library that validates it refuses the sign-in), and with `fhirUser`
 * granted SMART puts the user's FHIR resource in a `fhirUser` claim (`profile` in SMART v1), which is
 * how fhirclient's `client.user` finds who signed in.
 */
function idTokenClaimFindings(rule: Rule, claims: JWTPayload, step: Step, ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  const clientId = getParam(ctx.authParams, 'client_id') ?? formValue(step.exchange.form, 'client_id');
  // Granted as the token response says: a server that leaves `scope` out may not have granted it.
  const granted = ctx.granted?.map((s) => s.raw) ?? [];
  const gaps = idTokenGaps(claims, clientId, grantsFhirUser(granted));
  const aud = gaps.foreignAudience;
  if (aud && clientId) {
    out.push(
      finding(
        rule,
        `The id_token is addressed to ${aud.join(', ')}, not to the app's client_id ${clientId}: an OpenID Connect library that checks the audience refuses this sign-in.`,
        [ev('id_token aud', aud.join(' '), step), ev('client_id', clientId, ctx.authorize ?? step)],
        [
          advice(
            'Server side: issue the id_token with aud set to the client_id of the app that asked for it.',
          ),
        ],
        { severity: 'warning', title: 'id_token for another client' },
      ),
    );
  }
  if (gaps.noFhirUser) {
    out.push(
      finding(
        rule,
        'fhirUser was granted, but the id_token has no fhirUser claim (nor SMART v1’s profile): the app cannot tell which Practitioner, Patient or RelatedPerson signed in.',
        [ev('id_token claims', Object.keys(claims).join(', '), step)],
        [
          advice(
            'Server side: put the signed-in user’s FHIR resource URL in the id_token’s fhirUser claim when openid and fhirUser are granted (SMART App Launch, “Scopes for requesting identity data”).',
          ),
        ],
        { severity: 'warning', title: 'id_token without fhirUser' },
      ),
    );
  }
  return out;
}

/**
 * Why an id_token cannot be decoded (undefined when it can), and its claims when it can; neither
 * depends on the time. Kept per parsed token response, which the context shares across analyses of
 * the same captured body.
 */
const idTokens = new WeakMap<ParsedTokenBody, { token: string; error?: string; claims?: JWTPayload }>();

function readIdToken(body: ParsedTokenBody, token: string): { error?: string; claims?: JWTPayload } {
  const memo = idTokens.get(body);
  if (memo && memo.token === token) return memo;
  const claims = jwtClaims(token);
  const error = claims ? undefined : jwtDecodeError(token);
  const read = { token, ...(error !== undefined ? { error } : {}), ...(claims ? { claims } : {}) };
  idTokens.set(body, read);
  return read;
}

/** A token request answered with a redirect. */
function isRedirect(s: Step): boolean {
  const status = s.exchange.status;
  return status !== undefined && status >= 300 && status < 400;
}

/**
 * A token request answered with a redirect, and no token request of the launch succeeded: a token
 * endpoint answers with JSON (RFC 6749 §5.1, §5.2), so something in front of it sent the request
 * elsewhere (a gateway or SSO proxy that wants a browser session), or the app posted to another URL.
 */
function redirectedFinding(
  rule: Pick<Rule, 'id' | 'severity' | 'title'>,
  step: Step,
  ctx: RuleContext,
): Finding {
  const ex = step.exchange;
  const to = ex.location ? splitUrl(ex.location) : undefined;
  const target = to ? `${to.host}${to.path}` : 'another address';
  const declared = ctx.smartConfig?.token_endpoint;
  const elsewhere = declared && splitUrl(declared).base !== splitUrl(ex.url).base;
  return finding(
    rule,
    `The ${step.label} request was answered with a redirect (HTTP ${ex.status} to ${target}), not with JSON: a token endpoint answers with a token or an OAuth error (RFC 6749 §5.1, §5.2), never a redirect, so no token came. ${elsewhere ? `The app posted to ${splitUrl(ex.url).base}, while discovery names ${declared} as the token endpoint.` : 'Something in front of the token endpoint (a gateway, or an SSO proxy that wants a browser session) sent the request elsewhere.'}`,
    [ev('status', ex.status, step), ...(ex.location ? [ev('Location', ex.location, step)] : [])],
    [
      advice(
        elsewhere
          ? 'Post the token request to the token_endpoint of the server’s smart-configuration.'
          : 'Post the token request to the token endpoint itself: ask the operators of what is in front of it to let the token endpoint through without a browser session.',
      ),
    ],
    { severity: 'error', title: 'Token request redirected' },
  );
}

import { isOk } from '../../launch/correlate';
import type { Exchange, Finding, Step } from '../../model';
import { outcomeIssuesOfText } from '../../smart/operation-outcome';
import { splitUrl } from '../../url/split';
import { citedIds } from '../context';
import { challengeDescription } from '../errors';
import { advice, relaunch } from '../fixes';
import { ev, finding, type Rule, type RuleContext } from '../types';
import { INSUFFICIENT } from './scopes-trimmed';
import { noBearerInFile } from './token-expired';

/**
 * A FHIR request refused (401, 403) or failed by the server (5xx) that no rule before this one
 * explained: token-expired takes a 401 whose challenge says invalid_token (or that has none),
 * scopes-trimmed a 403 for lack of scope. What is left is said here, with the server's own words, so
 * that a launch whose app cannot read its data does not pass as succeeded. The refusal named is the
 * first one no successful FHIR request followed (an error: the app did not get past it), else the first
 * (a warning: it went on); the first server error is a warning of its own.
 */
export const fhirRefused: Rule = {
  id: 'fhir-refused',
  severity: 'error',
  title: 'FHIR request refused',
  detect(launch, ctx) {
    const tokenAt = ctx.tokenSuccess?.step.exchange.startedAt ?? Number.NEGATIVE_INFINITY;
    const cited = citedIds(ctx);
    // Refusals for lack of scope are scopes-trimmed's, also those it did not cite (it names the first).
    const scopeExplained = ctx.findings.some((f) => f.ruleId === 'scopes-trimmed' && f.severity === 'error');
    // Likewise token refusals (invalid_token, or no challenge) are token-expired's, which names the first.
    const tokenExplained = ctx.findings.some((f) => f.ruleId === 'token-expired');
    const refusals: Step[] = [];
    let serverError: Step | undefined;
    let unreachable: Step | undefined;
    for (const s of ctx.fhir) {
      const ex = s.exchange;
      const status = ex.status;
      if (ex.startedAt < tokenAt || cited.has(ex.id)) continue;
      if (status === undefined) {
        if (ex.error && !BLOCKED_OR_ABORTED.test(ex.error)) unreachable ??= s;
        continue;
      }
      if (status >= 500) serverError ??= s;
      else if (status === 401) {
        const challenge = ex.responseHeaders['www-authenticate'];
        if (!(tokenExplained && (challenge === undefined || /invalid_token/.test(challenge))))
          refusals.push(s);
      } else if (
        status === 403 &&
        !scopeExplained &&
        !INSUFFICIENT.test(`${ex.responseHeaders['www-authenticate'] ?? ''} ${ex.body?.text ?? ''}`)
      )
        refusals.push(s);
    }
    // The server's CapabilityStatement read after the token fails the same way (an app reading it for
    // the server's features); before the token it is discovery, whose failure discovery-failure names.
    for (const s of ctx.tokenSuccess ? launch.steps : []) {
      const ex = s.exchange;
      if (s.kind !== 'metadata' || ex.status === undefined || ex.status < 500) continue;
      if (ex.startedAt < tokenAt || cited.has(ex.id)) continue;
      if (!serverError || ex.startedAt < serverError.exchange.startedAt) serverError = s;
      break;
    }
    // The refusal that counts is the first the app never got past (no FHIR request succeeded after it);
    // when it got past every one, the first is worth a warning.
    const wentOn = (step: Step) =>
      ctx.fhir.some(
        (s) => !s.failed && s.exchange.startedAt > step.exchange.startedAt && isOk(s.exchange.status),
      );
    const stuck = refusals.find((s) => !wentOn(s));
    const refusal = stuck ?? refusals[0];
    const out: Finding[] = [];
    if (refusal) out.push(refusedFinding(this, refusal, !stuck, ctx));
    if (serverError) out.push(serverFailed(this, serverError));
    if (unreachable) out.push(unreachableFinding(this, unreachable, wentOn(unreachable), launch.iss));
    return out;
  },
};

/**
 * Network errors that are no server's answer and none of this rule's: a CORS refusal (cors-failure's:
 * net::ERR_FAILED, Firefox's status 0) and a request the page itself gave up (net::ERR_ABORTED).
 */
const BLOCKED_OR_ABORTED = /ERR_FAILED|CORS|status 0|ERR_ABORTED|NS_BINDING_ABORTED/i;

/**
 * A FHIR request after the token that got no answer at all: the host unknown (DNS), the connection
 * refused or timed out, its certificate refused. Said with the FHIR server's host when the request went
 * to another (a typo in the app's configuration); an error when the app never got a FHIR answer after it.
 */
function unreachableFinding(
  rule: Pick<Rule, 'id' | 'severity' | 'title'>,
  step: Step,
  passed: boolean,
  iss: string | undefined,
): Finding {
  const ex = step.exchange;
  const host = splitUrl(ex.url).host;
  const issHost = iss ? splitUrl(iss).host : '';
  const elsewhere = issHost && host && issHost.toLowerCase() !== host.toLowerCase();
  const why = /NAME_NOT_RESOLVED|ENOTFOUND|UNKNOWN_HOST/i.test(ex.error ?? '')
    ? `the host ${host} could not be found (DNS)`
    : /CERT|SSL/i.test(ex.error ?? '')
      ? `the browser refused the certificate of ${host}`
      : `the browser could not reach ${host}`;
  return finding(
    rule,
    `${step.label} got no answer: ${why} (${ex.error}).${elsewhere ? ` The launch's FHIR server is ${issHost} (iss): the app sent this request to another host.` : ''}${passed ? ' The app went on, and a later FHIR request succeeded.' : ''}`,
    [ev('network error', ex.error, step), ...(elsewhere ? [ev('iss host', issHost)] : [])],
    [
      advice(
        elsewhere
          ? 'Send FHIR requests to the iss of the launch (fhirclient: client.request() with a relative path does).'
          : 'Check that the FHIR server is up and reachable from this browser (DNS, VPN, proxy, certificate).',
      ),
    ],
    { title: 'FHIR server unreachable', ...(passed ? { severity: 'warning' as const } : {}) },
  );
}

/** What the server said: its error_description, its OperationOutcome (once when both say the same). */
function serverWords(ex: Exchange): string {
  const outcome = outcomeText(ex.body?.text);
  const parts = [challengeDescription(ex), outcome].filter((p): p is string => !!p);
  // Servers often say the same in the header and the body.
  const said = parts
    .filter((p, i) => parts.findIndex((q) => q.toLowerCase() === p.toLowerCase()) === i)
    .join(' — ');
  return said ? ` The server says: “${said}”.` : '';
}

function evidenceOf(step: Step) {
  const ex = step.exchange;
  const challenge = ex.responseHeaders['www-authenticate'];
  const outcome = outcomeText(ex.body?.text);
  return [
    ev('FHIR response', `${step.label} → ${ex.status}`, step),
    ...(challenge ? [ev('WWW-Authenticate', challenge, step)] : []),
    ...(outcome ? [ev('OperationOutcome', outcome, step)] : []),
  ];
}

function serverFailed(rule: Pick<Rule, 'id' | 'severity' | 'title'>, step: Step): Finding {
  return finding(
    rule,
    `The FHIR server failed on ${step.label} (HTTP ${step.exchange.status}): a fault of the server, not of the launch.${serverWords(step.exchange)}`,
    evidenceOf(step),
    [advice('Try the request again; if it keeps failing, report it to the server’s operators.')],
    { severity: 'warning', title: 'FHIR server error' },
  );
}

/** The finding of a 401 or 403; `passed`: the app went on past it (a later FHIR request succeeded). */
function refusedFinding(
  rule: Pick<Rule, 'id' | 'severity' | 'title'>,
  step: Step,
  passed: boolean,
  ctx: RuleContext,
): Finding {
  const ex = step.exchange;
  const challenge = ex.responseHeaders['www-authenticate'];
  const code = challenge ? /\berror="?([\w.-]+)"?/i.exec(challenge)?.[1] : undefined;
  const words = serverWords(ex);
  const evidence = evidenceOf(step);
  const severity = passed ? { severity: 'warning' as const } : {};
  if (ex.status === 401 && !code) {
    const sent = !!ex.secretFacts?.tokenFingerprint;
    return finding(
      rule,
      `The FHIR server answered ${step.label} with 401 and a challenge that names no error: by RFC 6750 §3.1 the request carried no access token it could use.${sentToken(step, ctx)}${words}`,
      evidence,
      [
        advice(
          sent
            ? 'Check the header: Authorization: Bearer followed by the access token this launch obtained, nothing else.'
            : 'Send the access token of the token response on every FHIR request, as the header Authorization: Bearer <access_token>.',
        ),
      ],
      { title: 'FHIR request without a usable access token', ...severity },
    );
  }
  if (ex.status === 401)
    return finding(
      rule,
      `The FHIR server refused ${step.label} with 401 (error=${code}).${words}`,
      evidence,
      [advice(adviceFor(code ?? '')), ...relaunch(ctx)],
      severity,
    );
  return finding(
    rule,
    `The FHIR server refused ${step.label} with 403 although the launch obtained a token, and not for lack of scope: a policy of the server refused it (the user’s rights, consent, a restricted record, a resource type not enabled for the app).${words}`,
    evidence,
    [
      advice(
        'Read the server’s message; when access depends on the user’s rights or the app’s registration, ask the server’s administrators.',
      ),
    ],
    severity,
  );
}

/**
 * What the request sent, when the capture shows it: a HAR keeps request headers (the fingerprint of a
 * bearer token sent); live, a FHIR call is recorded from its completion, without them.
 */
function sentToken(step: Step, ctx: RuleContext): string {
  const ex = step.exchange;
  const fingerprint = ex.secretFacts?.tokenFingerprint;
  const oddity = ex.secretFacts?.bearerOddity;
  if (oddity)
    return ` The request sent "Authorization: Bearer ${oddity === '(empty)' ? '' : oddity}": no token at all (the app did not have it in hand).`;
  if (ex.source !== 'har' && !fingerprint)
    return ' The app sent no token, or not as the header Authorization: Bearer <token>.';
  if (!fingerprint) return ` ${noBearerInFile(step, ctx.fhir)}`;
  const issued = ctx.tokenSuccess?.step.exchange.secretFacts?.tokenFingerprint;
  return issued && issued !== fingerprint
    ? ' The request sent a bearer token, but not the one this launch obtained.'
    : ' The request sent a bearer token that the server did not take as one.';
}

function adviceFor(code: string): string {
  if (code === 'insufficient_scope')
    return 'Request a scope that covers this request (SMART: patient/<Type>.rs or user/<Type>.rs), then relaunch.';
  if (code === 'invalid_request')
    return 'Check the form of the request: the token must travel once, in the Authorization header.';
  return 'Read the error and the server’s message, fix what it names, then relaunch.';
}

/** What the OperationOutcome of a response body says, shortened for a sentence. */
function outcomeText(text: string | undefined): string | undefined {
  return outcomeIssuesOfText(text)?.slice(0, 300);
}

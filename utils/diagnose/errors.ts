import type { CapturedBody, Exchange, Launch, Step } from '../model';
import { findOracleUrn } from '../smart/oracle-errors';
import { getParam } from '../url';
import type { RuleContext } from './types';

export interface StepError {
  step: Step;
  /** OAuth `error` code, when the step carried one. */
  error?: string;
  errorUri?: string;
  /** Oracle URN found in error_uri, the URL (error pages) or the body. */
  urn?: string;
  /** The server's own `error_description`, trimmed to a sentence's length. */
  description?: string;
}

/** Longest error_description kept (characters): a description is a sentence, not a document. */
const MAX_DESCRIPTION = 300;

/** A server's `error_description`, trimmed to a sentence's length; undefined when it gave none. */
export function errorDescription(text: string | undefined): string | undefined {
  const said = text?.trim();
  if (!said) return undefined;
  return said.length > MAX_DESCRIPTION ? `${said.slice(0, MAX_DESCRIPTION)}…` : said;
}

/**
 * What a server's own error page or plain error body says, in a sentence: a JSON error's
 * `error_description` (or `error`), else the text of an HTML page without its markup, scripts and
 * styles; undefined when there is nothing readable. The body was redacted when it was captured.
 */
export function pageWords(body: CapturedBody | undefined): string | undefined {
  const text = body?.text.trim();
  if (!text) return undefined;
  if (text.startsWith('{')) {
    try {
      const json = JSON.parse(text) as Record<string, unknown>;
      const said = json.error_description ?? json.error ?? json.message;
      return typeof said === 'string' ? errorDescription(said) : undefined;
    } catch {
      return undefined;
    }
  }
  const html = /<[a-z!][^>]*>/i.test(text);
  const words = html
    ? text
        .replace(/<(script|style|head|noscript|template)\b[\s\S]*?<\/\1\s*>/gi, ' ')
        .replace(/<[^>]*>/g, ' ')
        .replace(/&nbsp;/g, ' ')
        .replace(/&amp;/g, '&')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;|&apos;/g, "'")
    : text;
  return errorDescription(words.replace(/\s+/g, ' '));
}

/** The `error_description` of a response's WWW-Authenticate challenge (RFC 6750 §3), trimmed as errorDescription() does. */
export function challengeDescription(ex: Exchange): string | undefined {
  const challenge = ex.responseHeaders['www-authenticate'];
  return errorDescription(challenge ? /\berror_description="([^"]*)"/i.exec(challenge)?.[1] : undefined);
}

/** ` The server said: “…”.`, to end a finding's summary with; '' without a description. */
export function saidByServer(description: string | undefined): string {
  if (!description) return '';
  return ` The server said: “${description}”${/[.!?…]$/.test(description) ? '' : '.'}`;
}

function described(e: StepError, text: string | undefined): StepError {
  const description = errorDescription(text);
  if (description) e.description = description;
  return e;
}

/**
 * OAuth/Oracle errors reported by callbacks, error pages, token responses and FHIR responses; worked out
 * once per context: the rules of one launch run one after the other, each launch with its own context.
 */
let lastCtx: RuleContext | undefined;
let lastErrors: StepError[] = [];

export function stepErrors(launch: Launch, ctx: RuleContext): StepError[] {
  if (ctx === lastCtx) return lastErrors;
  lastErrors = collect(launch, ctx);
  lastCtx = ctx;
  return lastErrors;
}

function collect(launch: Launch, ctx: RuleContext): StepError[] {
  const out: StepError[] = [];
  for (const step of launch.steps) {
    if (step.kind === 'callback') {
      const error = getParam(step.decoded, 'error');
      if (!error) continue;
      const errorUri = getParam(step.decoded, 'error_uri');
      const e: StepError = { step, error };
      if (errorUri) e.errorUri = errorUri;
      const urn = step.decoded ? urnIn(step.decoded, errorUri) : findOracleUrn(errorUri);
      if (urn) e.urn = urn;
      out.push(described(e, getParam(step.decoded, 'error_description')));
    } else if (step.kind === 'error-page') {
      const urn = step.decoded ? urnIn(step.decoded, step.decoded.path) : undefined;
      out.push(urn ? { step, urn } : { step });
    } else if (step.kind === 'token' || step.kind === 'refresh') {
      const body = ctx.tokenBodies.get(step.exchange.id);
      if (body?.kind !== 'error') continue;
      const e: StepError = { step, error: body.value.error };
      if (body.value.error_uri) e.errorUri = body.value.error_uri;
      const urn = urnIn(body, body.value.error_uri) ?? urnIn(body.value, body.value.error_description);
      if (urn) e.urn = urn;
      out.push(described(e, body.value.error_description));
    }
  }
  return out;
}

/**
 * findOracleUrn(text), remembered per object the text came from (a decoded URL or a parsed token
 * body, both shared across analyses of the same exchange) while the text is the same.
 */
const urns = new WeakMap<object, { text: string | undefined; urn: string | undefined }>();

export function urnIn(source: object, text: string | undefined): string | undefined {
  const memo = urns.get(source);
  if (memo && memo.text === text) return memo.urn;
  const urn = findOracleUrn(text);
  urns.set(source, { text, urn });
  return urn;
}

export function findError(
  launch: Launch,
  ctx: RuleContext,
  pred: (e: StepError) => boolean,
): StepError | undefined {
  return stepErrors(launch, ctx).find(pred);
}

export const urnEnds = (e: StepError, ...tails: string[]) => !!e.urn && tails.some((t) => e.urn!.endsWith(t));

/** For URNs whose spelling is unconfirmed (utils/smart/oracle-urn-families.ts, LOOSE_URNS): tell-tale words. */
export const urnLike = (e: StepError, pattern: RegExp) => !!e.urn && pattern.test(e.urn);

import type { DecodedUrl, Exchange, Finding, Launch } from './model';
import { redactBody } from './redact/body';
import { redactForm } from './redact/form';
import { redactHeaders } from './redact/headers';
import { mask } from './redact/mask';
import { isSecretName } from './redact/names';
import { redactProse, redactText } from './redact/text';
import { redactUrl, redactValue } from './redact/url';

/**
 * Redaction of everything the recorder keeps: codes, tokens, client secrets and assertions, code
 * verifiers, passwords and login-form fields, Basic/Bearer credentials, wherever they appear (query,
 * fragment, nested `to=`/`redirect_uri` URLs, forms, JSON, headers, free text). Pure and idempotent.
 */
export { captureBody, MAX_BODY_BYTES, redactBodyText, truncateUtf8 } from './redact/body';
export { redactForm } from './redact/form';
export { cookieSummary, redactHeaders, redactHeaderValue, setCookieName } from './redact/headers';
export { redactJsonText, redactJsonValue } from './redact/json';
export { isMasked, mask, maskJwtSignature } from './redact/mask';
export { isSecretName } from './redact/names';
export { redactProse, redactText } from './redact/text';
export { redactQuery, redactUrl, redactValue } from './redact/url';

export function redactExchange(exchange: Exchange): Exchange {
  const out: Exchange = {
    ...exchange,
    url: redactUrl(exchange.url),
    responseHeaders: redactHeaders(exchange.responseHeaders ?? {}),
  };
  if (exchange.rewrittenFrom !== undefined) out.rewrittenFrom = redactUrl(exchange.rewrittenFrom);
  if (exchange.location !== undefined) out.location = redactUrl(exchange.location);
  if (exchange.form) out.form = redactForm(exchange.form);
  if (exchange.body) out.body = redactBody(exchange.body);
  if (exchange.error !== undefined) out.error = redactText(exchange.error);
  if (exchange.statusText) out.statusText = redactProse(exchange.statusText);
  return out;
}

export function redactDecoded(decoded: DecodedUrl): DecodedUrl {
  return {
    ...decoded,
    params: decoded.params.map((p) => ({
      ...p,
      value: isSecretName(p.name) && p.value ? mask(p.value) : redactValue(p.value, 1),
      ...(p.nested ? { nested: redactDecoded(p.nested) } : {}),
    })),
  };
}

function redactFinding(finding: Finding): Finding {
  return {
    ...finding,
    summary: redactText(finding.summary),
    evidence: finding.evidence.map((e) => ({ ...e, value: redactValue(redactText(e.value), 1) })),
    fixes: finding.fixes.map((f) => (f.kind === 'relaunch' ? { ...f, url: redactUrl(f.url) } : f)),
  };
}

/**
 * A launch made safe to share (exports, support snippets): exchanges, decoded parameters and finding
 * evidence redacted again, which is a no-op for data that was redacted at capture time.
 */
export function redactLaunch(launch: Launch): Launch {
  return {
    ...launch,
    steps: launch.steps.map((s) => ({
      ...s,
      exchange: redactExchange(s.exchange),
      ...(s.decoded ? { decoded: redactDecoded(s.decoded) } : {}),
    })),
    findings: launch.findings.map(redactFinding),
  };
}

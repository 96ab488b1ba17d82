import { alternateSpelling } from '../../smart/scopes';
import { advice } from '../fixes';
import { cachedScopeDiff } from '../scope-diff';
import { ev, finding, type Rule } from '../types';

const INSUFFICIENT = /insufficient[_-]scope|no_scope_for_resource_path/i;

/** The server granted less than requested (token `scope`), or FHIR says the token lacks a scope. */
export const scopesTrimmed: Rule = {
  id: 'scopes-trimmed',
  severity: 'warning',
  title: 'Fewer scopes granted than requested',
  detect(_launch, ctx) {
    const forbidden = ctx.fhir.find(
      (s) =>
        s.exchange.status === 403 &&
        INSUFFICIENT.test(
          `${s.exchange.responseHeaders['www-authenticate'] ?? ''} ${s.exchange.body?.text ?? ''}`,
        ),
    );
    if (!ctx.granted && !forbidden) return [];
    const diff = cachedScopeDiff(ctx.requested, ctx.granted);
    const missing = diff.missing.filter(
      (s) => s.kind === 'resource' || s.kind === 'launch' || s.kind === 'identity',
    );
    if (!missing.length && !forbidden) return [];
    const names = missing.map((s) => s.raw);
    const hints: string[] = [];
    if (diff.wildcards.length) hints.push('wildcard scopes are not granted by Oracle');
    if (missing.some((s) => s.version === 'v1') && ctx.granted?.some((s) => s.version === 'v2'))
      hints.push('v1 .read scopes are dropped for apps registered for v2');
    const summary = missing.length
      ? `The token grants ${diff.granted.length} of the ${diff.requested.length} requested scopes; ${names.length} were silently dropped${hints.length ? ` (${hints.join('; ')})` : ''}.`
      : 'A FHIR request was refused for lack of scope: the token did not carry what this request needs.';
    const evidence = [
      ev('requested', diff.requested.length, ctx.authorize),
      ev(
        'granted',
        ctx.granted ? ctx.granted.map((s) => s.raw).join(' ') : '(token body not captured)',
        ctx.tokenSuccess?.step,
      ),
      ev('dropped', names.slice(0, 12).join(' ') + (names.length > 12 ? ` … (+${names.length - 12})` : '')),
    ];
    if (forbidden)
      evidence.push(ev('FHIR refused', `${forbidden.label} → 403 insufficient_scope`, forbidden));
    const alternates = missing.map(alternateSpelling).filter((x): x is string => !!x);
    const fixes = [
      advice(
        'Request only scopes the app is registered for, without wildcards, in the version (v1 .read or v2 .rs) of its registration.',
      ),
    ];
    if (alternates.length)
      fixes.push(advice(`Equivalent spellings to try: ${alternates.slice(0, 5).join(' ')}`));
    return [
      finding(
        this,
        summary,
        evidence,
        fixes,
        forbidden ? { severity: 'error', title: 'Scopes trimmed: FHIR requests refused' } : {},
      ),
    ];
  },
};

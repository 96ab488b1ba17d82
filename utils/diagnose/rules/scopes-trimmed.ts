import { isOracleHost, isOracleUrl } from '../../capture/relevance';
import { resourceTypeOf } from '../../launch/classify';
import type { Finding, Fix, Step } from '../../model';
import { alternateSpelling, parseScope, type Scope, type ScopeContext } from '../../smart/scopes';
import { splitUrl } from '../../url/split';
import { advice } from '../fixes';
import { cachedScopeDiff } from '../scope-diff';
import { ev, finding, type Rule, type RuleContext } from '../types';

/** A refusal for lack of scope: RFC 6750's error code, Oracle's URN (…insufficient-scopes) and others. */
export const INSUFFICIENT = /insufficient[_-]scope|no_scope_for_resource_path/i;

/**
 * Why a FHIR request was refused for lack of scope, from what the capture shows:
 * - trimmed: the app asked for a scope covering the resource and the token lacks it (server dropped it);
 * - not-requested: no requested scope covers the resource: nothing the server did would have helped;
 * - granted: the token carries a scope for the resource type, yet the server wants more;
 * - unknown: the token response or the authorize request was not recorded, so it cannot be told.
 */
type Cause = 'trimmed' | 'not-requested' | 'granted' | 'unknown';

/** What a refused FHIR request needed: its resource type and, when the method says, a v2 permission letter. */
interface Need {
  type: string;
  letter?: string;
}

/** SMART v2 permission letters in words. */
const LETTER_WORDS: Record<string, string> = {
  c: 'create (c)',
  r: 'read (r)',
  u: 'update (u)',
  d: 'delete (d)',
  s: 'search (s)',
};

/** The server granted less than requested (token `scope`), or FHIR says the token lacks a scope. */
export const scopesTrimmed: Rule = {
  id: 'scopes-trimmed',
  severity: 'warning',
  title: 'Fewer scopes granted than requested',
  detect(_launch, ctx) {
    // A 403 that says insufficient_scope, or, saying nothing of why, for a resource type no scope the
    // app requested (nor the server granted) covers: the server had no scope to go by.
    const forbidden = ctx.fhir.find(
      (s) => s.exchange.status === 403 && (saysInsufficient(s) || uncovered(ctx, s)),
    );
    if (!ctx.granted && !forbidden) return [];
    // Scopes read from the access token (no token response) say why a request was refused; on their own
    // they are no grant to compare: a token may leave identity and refresh scopes out of its claim.
    if (ctx.grantedBy && !forbidden) return [];
    const diff = cachedScopeDiff(ctx.requested, ctx.granted);
    // A wildcard the server answered with the explicit scopes it stands for (patient/*.read granted as
    // patient/Patient.read patient/Observation.read …, none of them requested): expanded, not dropped.
    const expanded = new Map<Scope, Scope[]>();
    const asked = new Set(diff.requested.map((s) => s.raw));
    const unasked = diff.granted.filter((s) => !asked.has(s.raw));
    for (const w of diff.missing) {
      if (w.kind !== 'resource' || w.resourceType !== '*') continue;
      const into = unasked.filter(
        (x) =>
          x.kind === 'resource' &&
          x.context === w.context &&
          x.resourceType !== undefined &&
          x.resourceType !== '*' &&
          (w.permissions === undefined ||
            (x.permissions !== undefined && [...x.permissions].every((p) => w.permissions!.includes(p)))),
      );
      if (into.length) expanded.set(w, into);
    }
    const expandedInto = new Set([...expanded.values()].flat());
    // A launch scope the token response answered with its context (patient, encounter) did its job,
    // whether or not the server echoes it in `scope` (Keycloak and others do not).
    const body = ctx.tokenSuccess?.body;
    const context = body?.kind === 'token' ? body.value : undefined;
    const delivered = (raw: string) =>
      context !== undefined &&
      (raw === 'launch'
        ? context.patient !== undefined || context.encounter !== undefined
        : raw === 'launch/patient'
          ? context.patient !== undefined
          : raw === 'launch/encounter' && context.encounter !== undefined);
    const missing = diff.missing.filter(
      (s) =>
        (s.kind === 'resource' || (!ctx.grantedBy && (s.kind === 'launch' || s.kind === 'identity'))) &&
        !expanded.has(s) &&
        !(s.kind === 'launch' && delivered(s.raw)),
    );
    if (!missing.length && !forbidden) return refreshDeclined(ctx, diff.missing);
    const names = missing.map((s) => s.raw);
    const need = forbidden ? needOf(forbidden) : undefined;
    const cause = forbidden ? causeOf(ctx, need, missing) : 'trimmed';
    const hints: string[] = [];
    if (missing.some((s) => s.wildcard)) {
      const at = ctx.authorize;
      const oracle = at ? isOracleHost(at.decoded?.host ?? splitUrl(at.exchange.url).host) : false;
      hints.push(oracle ? 'wildcard scopes are not granted by Oracle' : 'wildcard scopes were not granted');
    }
    // Oracle drops every v1 scope of an app registered for v2; when some v1 scope was granted (in
    // either spelling), the version is not why the others were left out.
    const dropped = new Set(names);
    const v1Granted = diff.requested.some(
      (s) => s.kind === 'resource' && s.version === 'v1' && !dropped.has(s.raw),
    );
    if (!v1Granted && missing.some((s) => s.version === 'v1') && ctx.granted?.some((s) => s.version === 'v2'))
      hints.push('v1 .read scopes are dropped for apps registered for v2');
    // Scopes of other kinds the server left out too (offline_access…), so that the counts add up.
    const others = diff.missing
      .filter((s) => !missing.includes(s) && !expanded.has(s) && !(s.kind === 'launch' && delivered(s.raw)))
      .map((s) => s.raw);
    // Counted on the request: a server may grant scopes nobody asked for, which are named apart.
    const kept = diff.requested.length - diff.missing.length + expanded.size;
    const extra = diff.extra.filter((s) => !expandedInto.has(s)).map((s) => s.raw);
    const asExpanded = [...expanded].map(
      ([w, into]) =>
        ` ${w.raw} was granted as the ${into.length} explicit scope${into.length === 1 ? '' : 's'} it stands for.`,
    );
    const trimmed = `The token grants ${kept} of the ${diff.requested.length} requested scopes; ${listed(names)} ${names.length === 1 ? 'was' : 'were'} silently dropped${hints.length ? ` (${hints.join('; ')})` : ''}${others.length ? `, and ${listed(others)} ${others.length === 1 ? 'was' : 'were'} not granted either` : ''}.${asExpanded.join('')}${extra.length ? ` It grants ${listed(extra)} instead, which ${extra.length === 1 ? 'was' : 'were'} not requested.` : ''}`;
    // Read from the access token's scope claim, which may leave identity and refresh scopes out: only
    // the resource scopes it lacks are said, and no count of the grant.
    const fromClaim = `The access token the app sent does not carry ${listed(names)}, which the app requested: the server left ${names.length === 1 ? 'it' : 'them'} out of the grant${hints.length ? ` (${hints.join('; ')})` : ''} (read from the token's scope claim; the token response was not recorded).${asExpanded.join('')}`;
    // 'trimmed' always has dropped scopes: a refused request is called so only when one covered it.
    const summary =
      cause === 'trimmed'
        ? ctx.grantedBy
          ? fromClaim
          : trimmed
        : refusedSummary(cause, ctx, forbidden!, need, missing);
    const evidence = [
      ev('requested', diff.requested.length, ctx.authorize),
      ev(
        ctx.grantedBy ? "granted (the access token's scope claim)" : 'granted',
        ctx.granted ? ctx.granted.map((s) => s.raw).join(' ') : '(token body not captured)',
        ctx.grantedBy ?? ctx.tokenSuccess?.step,
      ),
      ev(
        'dropped',
        names.length
          ? names.slice(0, 12).join(' ') + (names.length > 12 ? ` … (+${names.length - 12})` : '')
          : ctx.granted
            ? '(none)'
            : '(unknown)',
      ),
    ];
    if (forbidden)
      evidence.push(
        ev(
          'FHIR refused',
          `${forbidden.label} → 403${saysInsufficient(forbidden) ? ' insufficient_scope' : ''}`,
          forbidden,
        ),
      );
    if (need && cause !== 'trimmed') {
      const asked = ctx.requested.filter((s) => coversNeed(s, need));
      evidence.push(
        ev(
          `requested for ${need.type}`,
          asked.length
            ? asked.map((s) => s.raw).join(' ')
            : ctx.authorize
              ? '(none)'
              : '(authorize not captured)',
          ctx.authorize,
        ),
      );
    }
    const fixes = fixesFor(cause, ctx, forbidden, need, missing);
    const title =
      cause === 'not-requested'
        ? 'Scope not requested: FHIR requests refused'
        : cause === 'trimmed'
          ? 'Scopes trimmed: FHIR requests refused'
          : 'FHIR requests refused for lack of scope';
    return [finding(this, summary, evidence, fixes, forbidden ? { severity: 'error', title } : {})];
  },
};

/** The scopes that ask for a refresh token (SMART App Launch, "Scopes for requesting a refresh token"). */
const REFRESH_SCOPES = new Set(['offline_access', 'online_access']);

/**
 * The app asked for a refresh token (offline_access or online_access), and the token response grants
 * neither the scope nor a refresh token: nothing else was dropped, yet the app cannot refresh and must
 * launch again when the access token expires. A server may decline (the user's choice, a policy, the
 * app's registration), so this is said as a fact, not as a failure.
 */
function refreshDeclined(ctx: RuleContext, missing: readonly Scope[]): Finding[] {
  const declined = missing.filter((s) => REFRESH_SCOPES.has(s.raw)).map((s) => s.raw);
  const tok = ctx.tokenSuccess;
  if (!declined.length || !ctx.granted || tok?.body?.kind !== 'token' || tok.body.value.refresh_token)
    return [];
  const expiresIn = tok.body.value.expires_in;
  const lifetime =
    typeof expiresIn === 'number' && expiresIn > 0 ? ` (after ${expiresIn} s, as this one was given)` : '';
  return [
    finding(
      scopesTrimmed,
      `The app asked for ${listed(declined)}; the token response neither grants ${declined.length === 1 ? 'it' : 'them'} nor carries a refresh_token. The app cannot refresh: when the access token expires${lifetime} it must launch again. A server may decline ${declined.length === 1 ? 'this scope' : 'these scopes'} (the user's choice, a policy, or the app's registration).`,
      [
        ev('requested', declined.join(' '), ctx.authorize),
        ev('granted', ctx.granted.map((s) => s.raw).join(' '), tok.step),
        ev('refresh_token', '(none)', tok.step),
      ],
      [
        advice(
          `When the app must work past the token's lifetime, check that its registration allows ${listed(declined)} and that the user approved ${declined.length === 1 ? 'it' : 'them'}; otherwise plan for a relaunch when the token expires.`,
        ),
      ],
      { severity: 'info', title: 'No refresh token: refresh scope not granted' },
    ),
  ];
}

/** The server's 403 says insufficient_scope (header or body). */
function saysInsufficient(s: Step): boolean {
  return INSUFFICIENT.test(
    `${s.exchange.responseHeaders['www-authenticate'] ?? ''} ${s.exchange.body?.text ?? ''}`,
  );
}

/**
 * A request for a resource type no scope covers: none the server granted, or (the grant unknown) none the
 * app requested (the authorize request was recorded).
 */
function uncovered(ctx: RuleContext, s: Step): boolean {
  const need = needOf(s);
  if (!need) return false;
  // The grant (the token response's, or the access token's scope claim) has no scope for the type.
  if (ctx.granted?.length && !ctx.granted.some((x) => coversNeed(x, { type: need.type }))) return true;
  if (!ctx.authorize || ctx.requested.length === 0) return false;
  return (
    !ctx.requested.some((x) => coversNeed(x, { type: need.type })) &&
    !ctx.granted?.some((x) => coversNeed(x, { type: need.type }))
  );
}

/** The resource type a FHIR request addresses and the permission its method needs. */
function needOf(step: Step): Need | undefined {
  const path = splitUrl(step.exchange.url).path;
  const type = resourceTypeOf(path);
  if (!type) return undefined;
  const segs = path.split('/').filter(Boolean);
  const next = segs[segs.lastIndexOf(type) + 1];
  const id = next !== undefined && !next.startsWith('_') && !next.startsWith('$');
  const letter = (() => {
    switch (step.exchange.method.toUpperCase()) {
      case 'GET':
      case 'HEAD':
        return id ? 'r' : 's';
      case 'POST':
        return next === '_search' ? 's' : next === undefined ? 'c' : undefined;
      case 'PUT':
      case 'PATCH':
        return 'u';
      case 'DELETE':
        return 'd';
      default:
        return undefined;
    }
  })();
  return letter ? { type, letter } : { type };
}

/**
 * A scope that would allow the request, in any context (patient/, user/, system/: which one the server
 * wants is not visible). A granular scope (`?category=…`) counts: it names the type. A malformed scope
 * for the type counts too: the app did ask for the type, in a spelling of its own.
 */
function coversNeed(s: Scope, need: Need): boolean {
  if (s.kind !== 'resource') return false;
  if (s.resourceType === undefined) return s.raw.includes(`/${need.type}.`);
  if (s.resourceType !== need.type && s.resourceType !== '*') return false;
  return !need.letter || s.permissions === undefined || s.permissions.includes(need.letter);
}

function causeOf(ctx: RuleContext, need: Need | undefined, missing: Scope[]): Cause {
  if (!need) return missing.length ? 'trimmed' : 'unknown';
  if (ctx.granted?.some((s) => coversNeed(s, need))) return 'granted';
  if (ctx.authorize && !ctx.requested.some((s) => coversNeed(s, need))) return 'not-requested';
  // The app asked for the type: the server dropped it, or it cannot be told which.
  return ctx.granted && ctx.authorize ? 'trimmed' : 'unknown';
}

function refusedSummary(
  cause: Exclude<Cause, 'trimmed'>,
  ctx: RuleContext,
  step: Step,
  need: Need | undefined,
  missing: Scope[],
): string {
  if (!need)
    return 'A FHIR request was refused for lack of scope: the token did not carry what this request needs.';
  const refused = saysInsufficient(step)
    ? `${step.label} was refused for lack of scope (403 insufficient_scope)`
    : `${step.label} was refused (403)`;
  const t = need.type;
  const granted = ctx.granted;
  if (cause === 'not-requested') {
    const server = granted
      ? missing.length
        ? ` The server dropped ${missing.length} other requested scope(s) (${missing
            .slice(0, 5)
            .map((s) => s.raw)
            .join(' ')}), none of them for ${t}.`
        : ' The token grants every scope requested: nothing was dropped.'
      : '';
    // The type was asked for, without the permission this request needs (a write under read scopes).
    const typeOnly = need.letter ? ctx.requested.filter((s) => coversNeed(s, { type: t })) : [];
    if (typeOnly.length)
      return `${refused}: the requested scopes for ${t} (${typeOnly
        .slice(0, 3)
        .map((s) => s.raw)
        .join(
          ' ',
        )}) do not allow ${LETTER_WORDS[need.letter!] ?? need.letter}, which this request needs.${server}`;
    return `${refused}: no requested scope covers ${t}, so the token has none.${server}`;
  }
  if (cause === 'granted') {
    const covering = (granted ?? []).filter((s) => coversNeed(s, need));
    const held = covering.map((s) => s.raw).join(' ');
    // Asked for the whole type, granted it only with a query (`?category=laboratory`): narrowed.
    const narrowed = covering.find(
      (g) =>
        g.query &&
        ctx.requested.some((r) => !r.query && r.resourceType === g.resourceType && r.context === g.context),
    );
    if (narrowed) {
      const asked = ctx.requested.find(
        (r) => !r.query && r.resourceType === narrowed.resourceType && r.context === narrowed.context,
      )!;
      // Only the category is named: the rest of a FHIR query may identify a patient.
      const category = new URLSearchParams(splitUrl(step.exchange.url).query).get('category');
      return `${refused}. The app asked for ${asked.raw}, and the server granted only ${narrowed.raw}: it narrowed the scope to ${narrowed.query}, and this request asks for more${category ? ` (category=${category.slice(0, 80)})` : ''}.`;
    }
    return `${refused}, though the token grants ${held}: the server wants more for this request (another context, patient/ or user/, or a category outside a granular scope).`;
  }
  if (granted)
    return `${refused}. The token grants no scope for ${t}; the authorize request was not recorded, so whether the app asked for one cannot be told.`;
  if (!ctx.authorize)
    return `${refused}. Neither the authorize request nor the token response was recorded, so whether the app asked for a scope for ${t} and the server dropped it cannot be told.`;
  const asked = ctx.requested.filter((s) => coversNeed(s, need)).map((s) => s.raw);
  return `${refused}. The app requested ${asked.join(' ')} for ${t}, but the token response was not recorded, so whether the server dropped ${asked.length > 1 ? 'them' : 'it'} cannot be told.`;
}

function fixesFor(
  cause: Cause,
  ctx: RuleContext,
  forbidden: Step | undefined,
  need: Need | undefined,
  missing: Scope[],
): Fix[] {
  if (cause === 'not-requested' && forbidden && need)
    return [requestFix(ctx, forbidden, need), ...(missing.length ? registrationFixes(missing, ctx) : [])];
  if (cause === 'granted')
    return [
      advice(
        'Request the scope in the context the server expects for this request (patient/ or user/) and, for a granular scope, with a category that includes it; register it for the app.',
      ),
    ];
  return registrationFixes(missing, ctx);
}

/** The scope to ask for: the context and the version (v1 .read, v2 .rs) the app's other scopes use. */
function requestFix(ctx: RuleContext, step: Step, need: Need): Fix {
  const own = [...(ctx.granted ?? []), ...ctx.requested].filter(
    (s) => s.kind === 'resource' && s.context && s.version && !s.problem,
  );
  const context: ScopeContext =
    own[0]?.context ??
    (ctx.tokenSuccess?.body?.kind === 'token' && ctx.tokenSuccess.body.value.patient ? 'patient' : 'user');
  const v1 = own[0]?.version === 'v1';
  const read = need.letter === undefined || need.letter === 'r' || need.letter === 's';
  const suffix = read ? (v1 ? 'read' : 'rs') : v1 ? 'write' : need.letter;
  const scope = `${context}/${need.type}.${suffix}`;
  const where = isOracleUrl(step.exchange.url)
    ? 'register it for the app in Code Console (Oracle grants only the scopes an app is registered for)'
    : "make sure the app's registration with the server allows it";
  const alternate = alternateSpelling(parseScope(scope));
  const spelling = own.length
    ? `the ${v1 ? 'v1' : 'v2'} spelling the app's other scopes use`
    : `or ${alternate ?? `${context}/${need.type}.write`} for an app registered for v1 scopes`;
  return advice(`Request ${scope} (${spelling}) and ${where}.`);
}

/**
 * The fixes for scopes the server dropped. Oracle grants only the scopes an app is registered for, in
 * the version (v1, v2) of its registration, and no wildcards; another server may also narrow a grant by
 * policy. A server whose SMART configuration advertises one version of scopes only gets no spellings of
 * the other.
 */
function registrationFixes(missing: Scope[], ctx: RuleContext): Fix[] {
  const caps = ctx.smartConfig?.capabilities;
  const v1 = !caps || caps.includes('permission-v1') || !caps.includes('permission-v2');
  const v2 = !caps || caps.includes('permission-v2') || !caps.includes('permission-v1');
  const alternates = missing
    .map(alternateSpelling)
    .filter((x): x is string => !!x && (/\.(?:read|write|\*)$/.test(x) ? v1 : v2));
  const at = ctx.authorize;
  const oracle = at ? isOracleUrl(at.exchange.url) : true;
  const fixes = [
    advice(
      oracle
        ? 'Request only scopes the app is registered for, without wildcards, in the version (v1 .read or v2 .rs) of its registration.'
        : `Request only scopes the app is registered for${v1 && v2 ? ', in the version (v1 .read or v2 .rs) of its registration' : v2 ? ' (this server advertises SMART v2 scopes: .rs, .cruds)' : ' (this server advertises SMART v1 scopes: .read, .write)'}; the server may also grant fewer than asked by its own policy (the user's or the client's permissions): check the app's registration and the user's rights there.`,
    ),
  ];
  if (alternates.length)
    fixes.push(advice(`Equivalent spellings to try: ${alternates.slice(0, 5).join(' ')}`));
  return fixes;
}

/** Scope names for a sentence: "a", "a and b", "a, b, c and 2 more". */
function listed(names: readonly string[]): string {
  if (names.length <= 2) return names.join(' and ');
  const shown = names.slice(0, names.length <= 4 ? names.length - 1 : 3);
  const rest = names.length - shown.length;
  return `${shown.join(', ')} and ${rest === 1 ? names[names.length - 1] : `${rest} more`}`;
}

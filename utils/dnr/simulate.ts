import type { DnrRule, ResourceType } from './types';

/*
 * A JavaScript model of how Chrome applies our redirect rules. Only tests use it: the unit tests of the
 * rules (tests/unit/dnr-rules.test.ts) compute expected rewrites with it, and
 * tests/e2e/rules-strip.test.ts checks that Chromium produces exactly the URL computed here. For the
 * RE2 subset our rules use (no lookaround, no backreferences), RE2's leftmost-first matching picks the
 * same match and the same submatches as a JavaScript RegExp.
 */

const NON_RE2 = /\(\?[=!<]|\\[1-9]|\(\?P?<[a-z]/i;

/** Throws if a pattern uses syntax whose meaning differs between RE2 and JavaScript (or RE2 lacks). */
export function assertPortableRegex(pattern: string): void {
  if (NON_RE2.test(pattern)) throw new Error(`Pattern uses lookaround or backreferences: ${pattern}`);
}

function hostMatches(host: string, domains: string[] | undefined): boolean {
  if (!domains) return true;
  return domains.some((d) => host === d || host.endsWith(`.${d}`));
}

/** RE2::Replace semantics: the first match is replaced; \0–\9 insert submatches (unmatched = empty). */
export function substitute(url: string, regexFilter: string, substitution: string, caseSensitive = false) {
  const match = new RegExp(regexFilter, caseSensitive ? '' : 'i').exec(url);
  if (!match) return null;
  const replacement = substitution.replace(/\\([0-9])/g, (_all, digit: string) => match[Number(digit)] ?? '');
  return url.slice(0, match.index) + replacement + url.slice(match.index + match[0].length);
}

/**
 * The URL Chrome would redirect to, or null when no rule acts. Like Chrome, a rule whose output equals
 * the input is not a match; of several matching rules the highest priority wins.
 */
export function simulateRedirect(rules: DnrRule[], url: string, type: ResourceType): string | null {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return null;
  }
  const candidates = rules
    .filter((r) => hostMatches(host, r.condition.requestDomains))
    .filter((r) => !r.condition.resourceTypes || r.condition.resourceTypes.includes(type))
    .map((r) => {
      const { regexFilter, isUrlFilterCaseSensitive } = r.condition;
      const sub = r.action.redirect.regexSubstitution;
      if (!regexFilter || sub === undefined) return null;
      const out = substitute(url, regexFilter, sub, isUrlFilterCaseSensitive ?? false);
      return out !== null && out !== url ? { rule: r, out } : null;
    })
    .filter((c) => c !== null)
    .sort((a, b) => (b.rule.priority ?? 1) - (a.rule.priority ?? 1) || a.rule.id - b.rule.id);
  return candidates[0]?.out ?? null;
}

/** Follows re-evaluation after each internal redirect, as the browser does, until nothing matches. */
export function simulateFinalUrl(rules: DnrRule[], url: string, type: ResourceType, maxHops = 20) {
  let current = url;
  for (let hop = 0; hop < maxHops; hop++) {
    const next = simulateRedirect(rules, current, type);
    if (next === null) return { url: current, hops: hop };
    current = next;
  }
  throw new Error(`No fixed point after ${maxHops} redirects`);
}

import { equivalent, type Scope } from '../smart/scopes';
import { type Detect, simple } from './detect-shared';
import { isEmptyScopeDiff, scopeVersion, v1ReadScopes } from './scopes';
import { cap, code, plural } from './text';

/** Permissions a list carries in both spellings (`.read` and `.rs`): each costs URL length twice. */
function sentTwice(scopes: readonly Scope[]): number {
  let n = 0;
  scopes.forEach((s, i) => {
    if (s.version === 'v1' && scopes.some((t, j) => j !== i && t.version === 'v2' && equivalent(s, t))) n++;
  });
  return n;
}

/** The scope sets, v1 `.read` and v2 `.rs` taken as the same scope. */
export const detectScopes: Detect = (a, b, l, c) => {
  const d = c.scopes;
  if (isEmptyScopeDiff(d)) return [];
  const parts: string[] = [];
  const totals = `${a.requested.length} vs ${b.requested.length} in all`;
  if (d.onlyA.length) {
    let part = `${l.a} requests ${plural(d.onlyA.length, 'scope')} ${l.b} does not (${totals})`;
    const v1 = v1ReadScopes(d.onlyA).length;
    if (v1 && c.registration.a === 'v2')
      part += `; ${v1} of them are ${code('.read')} scopes on a v2 registration`;
    else if (v1 && scopeVersion(b.requested) === 'v2')
      part += `; ${v1} of them use the v1 ${code('.read')} spelling where ${l.b} asks in v2 (${code('.rs')})`;
    const twice = sentTwice(d.onlyA);
    if (twice)
      part += `; ${plural(twice, 'permission')} ${twice === 1 ? 'is' : 'are'} sent twice, once per spelling`;
    parts.push(part);
  }
  if (d.onlyB.length)
    parts.push(
      `${l.b} requests ${plural(d.onlyB.length, 'scope')} ${l.a} does not${d.onlyA.length ? '' : ` (${totals})`}`,
    );
  if (d.respelt.length) {
    const e = d.respelt[0]!;
    parts.push(
      `${l.a} spells ${plural(d.respelt.length, 'scope')} differently from ${l.b}, with the same meaning (${code(e.a.raw)} ≈ ${code(e.b.raw)})`,
    );
  }
  return [
    simple(
      'scopes',
      60,
      ['scope-rejected', 'scopes-trimmed', 'request-too-large', 'missing-patient-context'],
      `${cap(parts.join('; '))}.`,
      c.ids,
    ),
  ];
};

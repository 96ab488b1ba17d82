import { alternateSpelling, equivalent, type Scope } from '../smart/scopes';

/** Two scope lists as sets, where `patient/Observation.read` and `patient/Observation.rs` are one scope. */
export interface ScopeSetDiff {
  /** In A with no equivalent in B. */
  onlyA: Scope[];
  /** In B with no equivalent in A. */
  onlyB: Scope[];
  /** Same permission, spelt differently on each side (v1 ↔ v2). */
  respelt: { a: Scope; b: Scope }[];
  /** Spelt the same on both sides. */
  same: Scope[];
}

export function diffScopeSets(a: readonly Scope[], b: readonly Scope[]): ScopeSetDiff {
  const bRaw = new Set(b.map((s) => s.raw));
  const aRaw = new Set(a.map((s) => s.raw));
  const out: ScopeSetDiff = { onlyA: [], onlyB: [], respelt: [], same: a.filter((s) => bRaw.has(s.raw)) };
  // Exact matches first, so a list holding both spellings pairs each with its twin.
  const restB = b.filter((t) => !aRaw.has(t.raw));
  const paired = new Set<Scope>();
  for (const s of a) {
    if (bRaw.has(s.raw)) continue;
    const eq = restB.find((t) => !paired.has(t) && equivalent(s, t));
    if (eq) {
      out.respelt.push({ a: s, b: eq });
      paired.add(eq);
    } else if (!b.some((t) => equivalent(s, t))) out.onlyA.push(s);
  }
  for (const t of restB) if (!paired.has(t) && !a.some((s) => equivalent(s, t))) out.onlyB.push(t);
  return out;
}

export function isEmptyScopeDiff(d: ScopeSetDiff): boolean {
  return !d.onlyA.length && !d.onlyB.length && !d.respelt.length;
}

/** Resource scopes in the v1 `.read` spelling (what a v2 registration drops). */
export function v1ReadScopes(scopes: readonly Scope[]): Scope[] {
  return scopes.filter((s) => s.kind === 'resource' && s.version === 'v1' && s.raw.endsWith('.read'));
}

/** Which SMART version a list of resource scopes is written in; `mixed` when both, undefined when none. */
export function scopeVersion(scopes: readonly Scope[]): 'v1' | 'v2' | 'mixed' | undefined {
  const versions = new Set(scopes.filter((s) => s.kind === 'resource').map((s) => s.version));
  versions.delete(undefined);
  if (versions.size === 0) return undefined;
  return versions.size > 1 ? 'mixed' : (versions.values().next().value as 'v1' | 'v2');
}

/** `patient/Observation.read (≈ patient/Observation.rs)` for a scope that has another spelling. */
export function withEquivalent(s: Scope): string {
  const alt = alternateSpelling(s);
  return alt ? `${s.raw} (≈ ${alt})` : s.raw;
}

import type { DecodedUrl } from '../model';
import { decodeUrl } from '../url/decode';

/** Parameters our strip rule removes (any letter case; `isForceAuthn` lives inside `to=`). */
const FORCE_AUTHN = /^(?:is)?forceauthn$/i;

function canonical(decoded: DecodedUrl, drop: { count: number }): string {
  const parts: string[] = [];
  for (const p of decoded.params) {
    if (FORCE_AUTHN.test(p.name)) {
      drop.count++;
      continue;
    }
    parts.push(`${p.name}=${p.nested ? `{${canonical(p.nested, drop)}}` : p.value}`);
  }
  return `${decoded.base}?${parts.join('&')}`;
}

/**
 * True when `to` is `from` with forceAuthn parameters removed (top level and/or nested in `to=`) and
 * nothing else changed: the signature of our own declarativeNetRequest strip rule.
 */
export function isStripRewrite(from: string, to: string): boolean {
  if (from === to || to.length >= from.length) return false;
  const removedFrom = { count: 0 };
  const removedTo = { count: 0 };
  const a = canonical(decodeUrl(from), removedFrom);
  const b = canonical(decodeUrl(to), removedTo);
  return a === b && removedFrom.count > removedTo.count;
}

import type { AuthorizeFacts } from './facts';
import type { ScopeSetDiff } from './scopes';
import type { RawDifference, SideLabels } from './types';

/** A detector of one kind of difference between two authorize requests. */
export type Detect = (
  a: AuthorizeFacts,
  b: AuthorizeFacts,
  l: SideLabels,
  ctx: AuthorizeContext,
) => RawDifference[];

export interface AuthorizeContext {
  /** One side is a companion launch: different client ids and redirect URIs are expected. */
  differentApps: boolean;
  /** The SMART version each side is registered for, when known. */
  registration: { a?: 'v1' | 'v2'; b?: 'v1' | 'v2' };
  scopes: ScopeSetDiff;
  ids: { a?: string; b?: string };
}

export const simple = (
  kind: RawDifference['kind'],
  base: number,
  ruleIds: string[],
  text: string,
  ids: AuthorizeContext['ids'],
  expected = false,
): RawDifference => ({ kind, base, ruleIds, text, exchangeIds: ids, ...(expected ? { expected } : {}) });

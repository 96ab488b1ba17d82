import { createClient } from './client';
import type { Envelope } from './define';
import { launchMessages } from './launches';
import { ruleMessages } from './rules';
import { sessionMessages } from './session';
import { tabMessages } from './tabs';

/** The extension's whole internal protocol: one map, one file per feature. */
export const protocol = { ...ruleMessages, ...sessionMessages, ...launchMessages, ...tabMessages };
export type Protocol = typeof protocol;

/**
 * Messages that may be sent again when the background stopped before answering (client.ts): reads, and
 * changes that come out the same when repeated (clearing cookies already gone removes nothing more).
 */
export const REPEATABLE: ReadonlySet<keyof Protocol & string> = new Set([
  'launches/changes',
  'launches/list',
  'launches/get',
  'launches/search',
  'recorder/health',
  'recorder/settings/get',
  'recorder/settings/set',
  'rules/get',
  'rules/set',
  'session/plan',
  'session/clear',
] as const);

export function createProtocolClient(send: (envelope: Envelope) => Promise<unknown>) {
  return createClient<Protocol>(send, { repeatable: REPEATABLE });
}

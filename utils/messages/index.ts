import { createClient } from './client';
import type { Envelope } from './define';
import { launchMessages } from './launches';
import { ruleMessages } from './rules';
import { sessionMessages } from './session';
import { tabMessages } from './tabs';

/** The extension's whole internal protocol: one map, one file per feature. */
export const protocol = { ...ruleMessages, ...sessionMessages, ...launchMessages, ...tabMessages };
export type Protocol = typeof protocol;

export function createProtocolClient(send: (envelope: Envelope) => Promise<unknown>) {
  return createClient<Protocol>(send);
}

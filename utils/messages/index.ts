import { createClient } from './client';
import type { Envelope } from './define';
import { launchMessages } from './launches';
import { ruleMessages } from './rules';
import { sessionMessages } from './session';

/** The extension's whole internal protocol: one map, one file per feature. */
export const protocol = { ...ruleMessages, ...sessionMessages, ...launchMessages };
export type Protocol = typeof protocol;

export function createProtocolClient(send: (envelope: Envelope) => Promise<unknown>) {
  return createClient<Protocol>(send);
}

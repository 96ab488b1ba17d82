import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classification } from '../../utils/launch/classify';
import { byTime } from '../../utils/launch/correlate';
import { type FlowContext, flowContext, madeFlowContext } from '../../utils/launch/refine';
import type { Exchange } from '../../utils/model';
import { makeExchange } from '../fixtures/exchange';
import { fixtureNames, loadExchanges } from '../fixtures/load';

/**
 * flowContext() changes the last context it made when the capture begins with the same exchanges
 * (utils/launch/refine.ts). Whatever the capture went through, the context must be the one made from
 * nothing.
 */

const AS = 'https://authorization.cerner.com';
const IDP = 'https://idp.example';
const APP = 'http://localhost:5173';

/** A discovery document naming `authorize` and `token` endpoints. */
function discovery(authorize: string, token: string): Exchange['body'] {
  const text = JSON.stringify({ authorization_endpoint: authorize, token_endpoint: token });
  return { text, mimeType: 'application/json', truncated: false };
}

const DOCUMENTS = [
  discovery(`${AS}/tenants/t/oauth2/authorize`, `${AS}/tenants/t/oauth2/token`),
  discovery(`${IDP}/oauth2/authorize`, `${IDP}/oauth2/token`),
  discovery(`${APP}/launch/auth`, `${AS}/tenants/t/oauth2/token`),
];

/** Exchanges the context reads in every way: every fixture's, and a few made for it. */
function pool(): Exchange[] {
  const out: Exchange[] = [];
  fixtureNames().forEach((name, k) => {
    for (const e of loadExchanges(name)) {
      out.push({ ...structuredClone(e), id: `${k}-${e.id}`, tabId: 1 + (k % 3) });
    }
  });
  const made = (p: Partial<Exchange> & { url: string }) =>
    out.push(makeExchange({ ...p, id: `m${out.length}`, startedAt: 1_000 * out.length }));
  made({ url: `${IDP}/.well-known/smart-configuration`, type: 'xmlhttprequest', body: DOCUMENTS[1] });
  made({
    url: `${IDP}/oauth2/authorize?response_type=code&client_id=c&state=i1&redirect_uri=${encodeURIComponent(`${AS}/cb`)}`,
    tabId: 2,
  });
  made({ url: `${AS}/cb?code=x&state=i1`, tabId: 2 });
  made({
    url: `${AS}/tenants/t/oauth2/authorize?response_type=code&client_id=c&state=s9&redirect_uri=${encodeURIComponent(`${APP}/launch/auth`)}`,
  });
  made({ url: `${APP}/launch/auth?code=y&state=s9` });
  made({ url: `${APP}/launch/auth`, status: 200, responseHeaders: { 'content-type': 'text/html' } });
  made({ url: `${APP}/token`, method: 'POST', form: { code: ['y'] }, type: 'xmlhttprequest' });
  return out;
}

/** A context as plain data, to compare. */
function plain(ctx: FlowContext) {
  const members = (m: Iterable<string>) => [...m].sort();
  return {
    authorizeEndpoints: members(ctx.authorizeEndpoints),
    tokenEndpoints: members(ctx.tokenEndpoints),
    redirectBases: members(ctx.redirectBases),
    appOrigins: members(ctx.appOrigins),
    states: members(ctx.states),
    authServerHosts: members(ctx.authServerHosts),
    authorizeStarts: [...ctx.authorizeStarts].sort((a, b) => a[0] - b[0]),
    byEndpoints: Array.from(ctx.byEndpoints, (x) => x ?? null),
  };
}

/** An edit in place, as the recorder makes them: the revision moves. */
function edit(ex: Exchange, change: Partial<Exchange>): void {
  Object.assign(ex, change);
  ex.revision = (ex.revision ?? 0) + 1;
}

const step = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('add' as const), n: fc.integer({ min: 1, max: 6 }) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('edit' as const),
      at: fc.nat(),
      how: fc.integer({ min: 0, max: 4 }),
      value: fc.nat(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('remove' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('other' as const) }) },
);

describe('flowContext() following a capture', () => {
  it('is the context made from nothing after arrivals, edits anywhere, removals and other captures', {
    timeout: 60_000,
  }, () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 10, maxLength: 60 }), fc.nat(), (steps, seed) => {
        const all = pool();
        // Arrival order: by time, from a random start, so that captures begin differently.
        const order = all.map((e, i) => ({ e, t: (i * 7919 + seed) % all.length }));
        order.sort((a, b) => a.t - b.t);
        order.forEach((o, i) => {
          o.e.startedAt = 1_800_000_000_000 + i * 400;
          if (o.e.completedAt !== undefined) o.e.completedAt = o.e.startedAt + 50;
        });
        const incoming = order.map((o) => o.e);
        const live: Exchange[] = [];
        for (const s of steps) {
          if (s.op === 'add') live.push(...incoming.splice(0, s.n));
          else if (s.op === 'remove' && live.length) live.splice(s.at % live.length, 1);
          else if (s.op === 'other') {
            const other = pool().slice(0, 5);
            flowContext(other, other.map(classification));
            continue;
          } else if (s.op === 'edit' && live.length) {
            const ex = live[s.at % live.length]!;
            if (s.how === 0) edit(ex, { status: ex.status === 400 ? 200 : 400 });
            else if (s.how === 1) edit(ex, { body: DOCUMENTS[s.value % DOCUMENTS.length] });
            else if (s.how === 2) edit(ex, { tabId: 1 + (s.value % 3) });
            else if (s.how === 3) edit(ex, { startedAt: ex.startedAt - (s.value % 5_000) });
            else edit(ex, { url: ex.url.replace(/state=[^&]*/, `state=s${s.value % 4}`) });
          }
          const sorted = [...live].sort(byTime);
          const classes = sorted.map(classification);
          const followed = plain(flowContext(sorted, classes));
          expect(followed).toEqual(plain(madeFlowContext(sorted, classes)));
        }
      }),
      { numRuns: 150 },
    );
  });
});

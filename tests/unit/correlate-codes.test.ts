import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifierChallenge } from '../../utils/capture';
import { correlate } from '../../utils/launch/correlate';
import { type CompanionLaunch, companionEvents, record } from '../fixtures/companion-flow';

const KEY = new Uint8Array(32).fill(3);

/** N launches in one tab whose codes (and verifiers) share a prefix, token requests in any order. */
const sameTabLaunches = fc
  .record({
    n: fc.integer({ min: 2, max: 5 }),
    prefix: fc.stringMatching(/^[A-Za-z0-9_-]{3,30}$/),
    tails: fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9]{1,8}$/), { minLength: 5, maxLength: 5 }),
    order: fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 5 }),
    watched: fc.boolean(),
    // An app that reuses one verifier: then only the code can tell the token requests apart.
    oneVerifier: fc.boolean(),
  })
  .map(({ n, prefix, tails, order, watched, oneVerifier }) => {
    const t0 = 5_000_000;
    // Every launch reaches its callback first; the token requests come after all of them, shuffled.
    const tokensFrom = t0 + n * 1000;
    const launches: CompanionLaunch[] = [];
    for (let i = 0; i < n; i++) {
      const verifier =
        `${prefix}${oneVerifier ? '' : tails[i]}verifier-padding-to-43-characters-xxxxxxxx`.slice(0, 64);
      launches.push({
        tabId: 4,
        at: t0 + i * 1000,
        state: `state-${i}-${tails[i]}-of-this-launch-xx`,
        // Padded with a character no tail has, so that two tails ("8", "8z") never make one code.
        code: `${prefix}${tails[i]}`.padEnd(36, '_'),
        verifier,
        challenge: verifierChallenge(verifier),
        devtools: !watched,
        watched,
        tokenAt: tokensFrom + order.filter((k) => k < n).indexOf(i) * 100,
      });
    }
    return launches;
  });

describe('correlation by code fingerprint', () => {
  it('launches in one tab whose codes share any prefix are never merged; each pair is its own launch', () => {
    fc.assert(
      fc.property(sameTabLaunches, (launches) => {
        const exchanges = record(
          launches.flatMap((l) => companionEvents(l, KEY)),
          KEY,
        );
        const found = correlate(exchanges);
        expect(found).toHaveLength(launches.length);
        for (const l of found) {
          const callbacks = l.steps.filter((s) => s.kind === 'callback');
          const tokens = l.steps.filter((s) => s.kind === 'token');
          expect(callbacks).toHaveLength(1);
          expect(tokens).toHaveLength(1);
          expect(tokens[0]!.exchange.secretFacts?.codeFingerprint).toBe(
            callbacks[0]!.exchange.secretFacts?.codeFingerprint,
          );
          // The launch's own code_challenge, not a neighbour's.
          expect(tokens[0]!.exchange.secretFacts?.verifierChallenge).toBe(
            launches.find((x) => x.state === l.state)!.challenge,
          );
        }
      }),
      { numRuns: 40 },
    );
  });

  it('a masked code alone links nothing: the stored URLs of two such launches are alike', () => {
    const [a, b] = fc.sample(sameTabLaunches, { numRuns: 1, seed: 42 })[0]!;
    const stored = record([...companionEvents(a!, KEY), ...companionEvents(b!, KEY)], KEY);
    const codes = stored.flatMap((e) =>
      [...e.url.matchAll(/code=([^&]*)/g)].map((m) => decodeURIComponent(m[1]!)),
    );
    expect(codes.length).toBeGreaterThanOrEqual(2);
    for (const c of codes) expect(c).toMatch(/…\[\d+\]$/);
    expect(JSON.stringify(stored)).not.toContain(a!.code!);
  });
});

describe('secret facts changed in place', () => {
  it('are seen by the next correlation once the exchanges carry a new revision', () => {
    const [a, b] = fc.sample(sameTabLaunches, { numRuns: 1, seed: 7 })[0]!;
    const exchanges = record([...companionEvents(a!, KEY), ...companionEvents(b!, KEY)], KEY);
    const tokens = exchanges.filter((e) => e.form?.grant_type);
    const callbacks = exchanges.filter((e) => e.secretFacts && !e.form);
    const shape = (list: typeof exchanges) =>
      correlate(list).map((l) => l.steps.map((s) => `${s.kind}:${s.exchange.id}`));
    const before = shape(exchanges);
    // Swap the two token requests' facts: each now names the other launch's code.
    const [x, y] = tokens;
    [x!.secretFacts, y!.secretFacts] = [y!.secretFacts, x!.secretFacts];
    for (const c of callbacks) c.secretFacts = { ...c.secretFacts };
    // Whoever changes an exchange in place gives it a new revision (the capture reducer does).
    for (const e of [...tokens, ...callbacks]) e.revision = (e.revision ?? 0) + 1;
    const after = shape(exchanges);
    expect(after).toEqual(shape(structuredClone(exchanges)));
    expect(after).not.toEqual(before);
  });
});

describe('a token request long after its callback', () => {
  const launchAt = (tokenAfterMs: number): CompanionLaunch => {
    const verifier = 'late-verifier-padding-to-43-characters-xxxxxxxxxxxx';
    return {
      tabId: 4,
      at: 5_000_000,
      state: 'state-of-the-late-launch-xxxxxxxx',
      code: 'late-code'.padEnd(36, 'z'),
      verifier,
      challenge: verifierChallenge(verifier),
      watched: true,
      tokenAt: 5_000_000 + tokenAfterMs,
    };
  };
  const launches = (tokenAfterMs: number) =>
    correlate(record(companionEvents(launchAt(tokenAfterMs), KEY), KEY)).map((l) =>
      l.steps.map((s) => s.kind).filter((k) => k === 'callback' || k === 'token'),
    );

  it('joins its launch by the code for half an hour (a code expired while the app was paused)', () => {
    expect(launches(25 * 60_000)).toEqual([['callback', 'token']]);
  });

  it('starts a launch of its own after that', () => {
    expect(launches(40 * 60_000)).toEqual(expect.arrayContaining([['callback'], ['token']]));
  });
});

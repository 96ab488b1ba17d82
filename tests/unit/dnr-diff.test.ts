import { describe, expect, it } from 'vitest';
import { diffRules } from '../../utils/dnr/diff';
import { STRIP_FORCE_AUTHN_RANGE } from '../../utils/dnr/ids';
import { buildStripRules } from '../../utils/dnr/strip-force-authn';
import type { DnrRule } from '../../utils/dnr/types';

const on = buildStripRules(true, { stripNested: true, hosts: ['authorization.cerner.com'] });
const foreign: DnrRule = {
  id: 7,
  action: { type: 'redirect', redirect: { url: 'https://example.org/' } },
  condition: { urlFilter: '||example.com' },
};
const range = STRIP_FORCE_AUTHN_RANGE;

describe('diffRules', () => {
  it('adds every rule when turning on and removes them when turning off', () => {
    expect(diffRules([foreign], on, range)).toEqual({ removeRuleIds: [], addRules: on });
    expect(diffRules([foreign, ...on], [], range)).toEqual({
      removeRuleIds: [1000, 1001, 1002],
      addRules: [],
    });
  });

  it('is idempotent: asking for the current state changes nothing', () => {
    expect(diffRules([...on, foreign], on, range)).toBeNull();
    expect(diffRules([foreign], [], range)).toBeNull();
    // Chrome returns rules with keys in its own order and a default priority filled in.
    const echoed = on.map((r) =>
      JSON.parse(
        JSON.stringify({ condition: r.condition, action: r.action, id: r.id, priority: r.priority }),
      ),
    );
    expect(diffRules(echoed, on, range)).toBeNull();
  });

  it('replaces a changed rule in the same call and drops ones no longer wanted', () => {
    const moreHosts = buildStripRules(true, {
      stripNested: false,
      hosts: ['authorization.cerner.com', 'a.example.org'],
    });
    expect(diffRules(on, moreHosts, range)).toEqual({
      removeRuleIds: [1000, 1001, 1002],
      addRules: moreHosts,
    });
  });

  it('clears unknown leftovers inside its range but never touches other ids', () => {
    const leftover = { ...foreign, id: 1050 };
    expect(diffRules([leftover, foreign], on, range)).toEqual({ removeRuleIds: [1050], addRules: on });
  });

  it('refuses to write outside its range', () => {
    expect(() => diffRules([], [foreign], range)).toThrow(/outside/);
  });
});

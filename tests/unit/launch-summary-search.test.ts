import { describe, expect, it } from 'vitest';
import { matchesQuery, searchLaunches } from '../../utils/launch/search';
import { forceAuthn400Launch } from '../fixtures/launches/forceauthn-400';
import { successLaunch } from '../fixtures/launches/success';

/** The background's search over full launches (the list holds summaries and asks it for ids). */
describe('launch search', () => {
  const failed = [forceAuthn400Launch];
  const all = [forceAuthn400Launch, successLaunch];

  it.each([
    // Held only by the decoded `to=` parameter of the session-api hop (URL-encoded in the URL itself).
    ['a value only inside the nested to= URL', '5d1c7c36-1111', failed.map((l) => l.id)],
    ['any case', '5D1C7C36-1111', failed.map((l) => l.id)],
    ['an empty query matches every launch', '  ', all.map((l) => l.id)],
    ['a word found nowhere', 'no-such-value-anywhere', []],
  ])('%s', (_name, query, ids) => {
    expect(searchLaunches(all, query)).toEqual(ids);
  });

  it('needs every word of the query', () => {
    const [launch] = failed;
    expect(matchesQuery(launch!, '5d1c7c36-1111')).toBe(true);
    expect(matchesQuery(launch!, '5d1c7c36-1111 no-such-value-anywhere')).toBe(false);
  });
});

import { searchLaunches } from '../../utils/launch/search';
import { summarizeLaunch } from '../../utils/launch/summary';
import type { Launch } from '../../utils/model';

/**
 * What the list and the log get from the background over a set of analyzed launches: summaries, the
 * background's search (the real one) and one launch in full. Calls are counted for tests of what is read.
 */
export function fromBackground(launches: readonly Launch[]) {
  const calls = { search: [] as string[], load: [] as string[] };
  return {
    calls,
    launches: launches.map(summarizeLaunch),
    search: async (query: string) => {
      calls.search.push(query);
      return searchLaunches(launches, query);
    },
    loadLaunch: async (id: string) => {
      calls.load.push(id);
      return launches.find((l) => l.id === id) ?? null;
    },
  };
}

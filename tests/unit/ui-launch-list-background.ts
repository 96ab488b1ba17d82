import { vi } from 'vitest';
import type { LaunchLogProps } from '../../components/log/LaunchLog';
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

/** LaunchLog's props over `launches` as the background would serve them, every handler a mock. */
export function launchLogProps(
  launches: readonly Launch[],
  over: Partial<LaunchLogProps> = {},
): LaunchLogProps {
  const { launches: summaries, search, loadLaunch } = fromBackground(launches);
  return {
    title: 'SMART launch log',
    launches: summaries,
    search,
    loadLaunch,
    onSelect: vi.fn(),
    onDismissNotice: vi.fn(),
    onFix: vi.fn(),
    onExport: vi.fn(),
    onCopySnippet: vi.fn(),
    onImport: vi.fn(),
    onImportError: vi.fn(),
    onToggleClearParent: vi.fn(),
    onConfirmClearSession: vi.fn(),
    onCancelClearSession: vi.fn(),
    ...over,
  };
}

import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import '../../../components/common/theme.css';
import '../../../components/launch/launch.css';
import { LaunchLog } from '../../../components/log/LaunchLog';
import { summarizeLaunch } from '../../../utils/launch/summary';
import { manyLaunches } from '../../fixtures/launches/many';

/** Benchmark page: renders the launch log once the harness asks, and reports timings on window. */

declare global {
  interface Window {
    runBench(
      launches: number,
      stepsPerLaunch: number,
    ): Promise<{ renderMs: number; paintMs: number; rows: number }>;
  }
}

const noop = () => {};

window.runBench = async (count, stepsPerLaunch) => {
  const full = manyLaunches(count, stepsPerLaunch);
  // The page gets summaries for the list and the selected launch in full (computed by the background).
  const launches = full.map(summarizeLaunch);
  const root = createRoot(document.getElementById('root')!);
  const start = performance.now();
  flushSync(() =>
    root.render(
      <LaunchLog
        title="SMART launch log"
        launches={launches}
        search={async () => []}
        loadLaunch={async () => null}
        selectedId={full.at(-1)!.id}
        selected={full.at(-1)}
        onSelect={noop}
        onDismissNotice={noop}
        onFix={noop}
        onExport={noop}
        onCopySnippet={noop}
        onImport={noop}
        onImportError={noop}
        onToggleClearParent={noop}
        onConfirmClearSession={noop}
        onCancelClearSession={noop}
      />,
    ),
  );
  const renderMs = performance.now() - start;
  // First frame painted after the render: two animation frames guarantee layout and paint happened.
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const paintMs = performance.now() - start;
  return { renderMs, paintMs, rows: document.querySelectorAll('[role="option"]').length };
};

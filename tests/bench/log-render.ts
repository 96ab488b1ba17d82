import { register } from 'node:module';
import { performance } from 'node:perf_hooks';
import { JSDOM } from 'jsdom';
import { manyLaunches } from '../fixtures/launches/many';
import { ms, type Row } from './table';

/**
 * Time to first render of the launch log with 1,000 launches / 20,000 steps, in jsdom + react-dom,
 * and the heap it took. Prints figures; asserts nothing (timings depend on the machine).
 */

const LAUNCHES = 1000;
const STEPS_PER_LAUNCH = 20;

function installDom(): JSDOM {
  const dom = new JSDOM('<!doctype html><html><body><div id="root" class="sld-root"></div></body></html>', {
    pretendToBeVisual: true,
  });
  const g = globalThis as Record<string, unknown>;
  for (const key of [
    'window',
    'document',
    'navigator',
    'HTMLElement',
    'Element',
    'Node',
    'Event',
    'requestAnimationFrame',
    'cancelAnimationFrame',
  ]) {
    Object.defineProperty(g, key, {
      configurable: true,
      writable: true,
      value: (dom.window as unknown as Record<string, unknown>)[key],
    });
  }
  g.IS_REACT_ACT_ENVIRONMENT = false;
  // jsdom has no layout; give the list a 900×700 viewport so the virtualizer renders a screenful.
  const proto = dom.window.HTMLElement.prototype;
  Object.defineProperty(proto, 'clientHeight', { configurable: true, get: () => 700 });
  Object.defineProperty(proto, 'clientWidth', { configurable: true, get: () => 900 });
  return dom;
}

/** The components import their stylesheets; Node cannot load CSS, and jsdom would not lay it out anyway. */
const IGNORE_CSS = `export async function load(url, context, next) {
  return url.endsWith('.css') ? { format: 'module', source: '', shortCircuit: true } : next(url, context);
}`;

export async function benchLogRender(): Promise<Row[]> {
  register(`data:text/javascript,${encodeURIComponent(IGNORE_CSS)}`);
  const dom = installDom();
  // React's production build, as the extension ships it: the packages pick their build from NODE_ENV
  // when first loaded (development otherwise, several times slower).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  const [{ createElement }, { createRoot }, { flushSync }, { LaunchLog }] = await Promise.all([
    import('react'),
    import('react-dom/client'),
    import('react-dom'),
    import('../../components/log/LaunchLog'),
  ]).finally(() => {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  });

  const { summarizeLaunch } = await import('../../utils/launch/summary');
  const full = manyLaunches(LAUNCHES, STEPS_PER_LAUNCH);
  const steps = full.reduce((n, l) => n + l.steps.length, 0);
  // The page gets summaries for the list, newest first, and the selected launch in full (computed by the
  // background).
  const launches = full.map(summarizeLaunch).sort((a, b) => b.startedAt - a.startedAt);
  const noop = () => {};
  const props = {
    title: 'SMART launch log',
    launches,
    search: async () => [],
    loadLaunch: async () => null,
    selectedId: full.at(-1)!.id,
    selected: full.at(-1),
    onSelect: noop,
    onDismissNotice: noop,
    onFix: noop,
    onExport: noop,
    onCopySnippet: noop,
    // As the log page wires it (components/log/LogApp.tsx): "Compare with…" and the recorder settings.
    onCopyComparison: noop,
    settings: createElement('p', null, 'settings'),
    onImport: noop,
    onImportError: noop,
    onToggleClearParent: noop,
    onConfirmClearSession: noop,
    onCancelClearSession: noop,
  };

  // Warm-up render so module initialisation and JIT are not counted as render time.
  const warm = createRoot(dom.window.document.createElement('div'));
  flushSync(() => warm.render(createElement(LaunchLog, { ...props, launches: launches.slice(0, 5) })));
  warm.unmount();

  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const root = createRoot(dom.window.document.getElementById('root')!);
  const start = performance.now();
  flushSync(() => root.render(createElement(LaunchLog, props)));
  const firstRender = performance.now() - start;
  const heapAfter = process.memoryUsage().heapUsed;

  const rows = dom.window.document.querySelectorAll('[role="option"]').length;
  const timelineSteps = dom.window.document.querySelectorAll('.sld-step').length;
  console.log(`log-render: ${LAUNCHES} launches / ${steps} steps (jsdom + react-dom)`);
  console.log(
    `  rows in DOM: ${rows} (virtualized), timeline steps of the selected launch: ${timelineSteps}`,
  );
  console.log(`  heap used by the render: ${((heapAfter - heapBefore) / 1048576).toFixed(1)} MB`);
  console.log(
    `  heap total after render: ${(heapAfter / 1048576).toFixed(1)} MB, rss ${(process.memoryUsage().rss / 1048576).toFixed(1)} MB`,
  );
  root.unmount();
  dom.window.close();
  return [
    {
      figure: `first render, ${LAUNCHES} launches (jsdom)`,
      value: ms(firstRender),
      target: '< 150 ms',
      ok: firstRender < 150,
    },
  ];
}

import {
  type CSSProperties,
  createContext,
  type ReactNode,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { LaunchSummary } from '../../utils/launch/summary';
import type { Finding, Fix, Launch } from '../../utils/model';
import { Button } from '../common/Button';
import { ComparePanel } from '../compare/ComparePanel';
import { NO_FILTER } from '../launch/filter';
import type { FixIntent } from '../launch/fixActions';
import { warmClock } from '../launch/format';
import { type ExportFormat, LaunchDetail } from '../launch/LaunchDetail';
import { LaunchList } from '../launch/LaunchList';
import { ClearSessionPanel, type ClearSessionState } from '../session/ClearSessionPanel';
import { type HarFile, ImportHar } from './ImportHar';
import { Notice, type NoticeValue } from './Notice';
import { Splitter } from './Splitter';
import './log.css';

export interface LaunchLogProps {
  title: string;
  /** Summaries of every launch, for the list. */
  launches: readonly LaunchSummary[];
  /** The ids of the launches whose decoded values match a query (the background searches). */
  search: (query: string) => Promise<string[]>;
  /** One launch in full (the one to compare with). */
  loadLaunch: (id: string) => Promise<Launch | null>;
  /** True until the first answer from the background. */
  loading?: boolean;
  selectedId?: string;
  /** The selected launch in full; undefined while it loads. */
  selected?: Launch;
  onSelect: (id: string) => void;
  ruleEnabled?: boolean;
  notice?: NoticeValue;
  onDismissNotice: () => void;
  onFix: (fix: Fix, finding: Finding, launch: Launch, intent?: FixIntent) => void;
  onExport: (format: ExportFormat, launch: Launch) => void;
  onCopySnippet: (launch: Launch) => void;
  /** Copies a launch comparison (Markdown); without it there is no "Compare with…". */
  onCopyComparison?: (markdown: string) => void;
  onImport: (file: HarFile) => void;
  onImportError: (message: string) => void;
  importBusy?: boolean;
  clearSession?: ClearSessionState;
  onToggleClearParent: (cookieId: string) => void;
  onConfirmClearSession: () => void;
  onCancelClearSession: () => void;
  /** The DevTools panel's inspected tab: the list starts on "This tab only". */
  inspectedTabId?: number;
  /** Shown under the header (the recorder's health: a failed storage write). */
  banner?: ReactNode;
  /** The recorder settings, shown in place of the detail when the user opens them (the log page only). */
  settings?: ReactNode;
}

const LIST_WIDTH_KEY = 'sld.log.listWidth';
const MIN_LIST = 240;
const MAX_LIST = 900;

function storedWidth(): number {
  try {
    const n = Number(globalThis.localStorage?.getItem(LIST_WIDTH_KEY));
    if (Number.isFinite(n) && n >= MIN_LIST && n <= MAX_LIST) return n;
  } catch {
    // Storage unavailable (a sandboxed frame): the default width it is.
  }
  return 380;
}

function storeWidth(width: number): void {
  try {
    globalThis.localStorage?.setItem(LIST_WIDTH_KEY, String(width));
  } catch {
    // Not kept; the width still applies for this page.
  }
}

/** What the empty log says: how to record a first launch. */
function FirstLaunchHint() {
  return (
    <section className="sld-first-launch" aria-labelledby="sld-first-launch-title">
      <h2 id="sld-first-launch-title">Record your first launch</h2>
      <ol>
        <li>
          Launch your app from Oracle's Code Console or your EHR. Every step to <code>*.cerner.com</code> is
          recorded, including redirects the Network tab loses.
        </li>
        <li>
          To see your app's own token request and FHIR calls, let the extension watch your app's origin (the{' '}
          <em>Watch</em> fix on a launch asks for it), or keep DevTools open on the tab.
        </li>
        <li>A failed launch shows its cause and a one-click fix here and in the toolbar popup.</li>
      </ol>
      <p className="sld-muted">
        Or import a HAR saved from DevTools (Network → Preserve log → Save all as HAR).
      </p>
    </section>
  );
}

/**
 * The launch log layout shared by the DevTools panel and the full page, as DevTools lays out its own
 * tools: list and detail side by side in viewport-height panes that scroll on their own, with a draggable
 * split (stacked, the list sized to its content, when narrow).
 */
export function LaunchLog(props: LaunchLogProps) {
  const { launches, selectedId, selected } = props;
  const [listWidth, setListWidth] = useState(storedWidth);
  const [showSettings, setShowSettings] = useState(false);
  // Keyboard focus goes into the settings view when it opens and back to its button when it closes.
  const settingsButton = useRef<HTMLButtonElement>(null);
  const settingsHeading = useRef<HTMLHeadingElement>(null);
  const settingsMoved = useRef(false);
  useEffect(() => {
    if (!settingsMoved.current) return;
    settingsMoved.current = false;
    (showSettings ? settingsHeading : settingsButton).current?.focus();
  }, [showSettings]);
  const toggleSettings = (open: boolean, moveFocus: boolean) => {
    settingsMoved.current = moveFocus;
    setShowSettings(open);
  };
  // While the first answer is awaited, the time format's locale data is loaded (warmClock()).
  const loading = props.loading;
  useEffect(() => {
    if (!loading) return;
    const timer = setTimeout(warmClock, 0);
    return () => clearTimeout(timer);
  }, [loading]);
  // The same object across renders, so the memoized list is not rendered again for nothing.
  const inspectedTabId = props.inspectedTabId;
  const initialFilter = useMemo(
    () => (inspectedTabId === undefined ? undefined : { ...NO_FILTER, tabId: inspectedTabId }),
    [inspectedTabId],
  );
  const resize = (width: number) => {
    setListWidth(width);
    storeWidth(width);
  };
  // The open launch's callbacks and comparison stay the same objects while the launch does, so the
  // memoized detail is not rendered again for every recorded change (only the comparison's picker is).
  const latest = useRef(props);
  latest.current = props;
  const comparing = !!props.onCopyComparison;
  const handlers = useMemo(() => {
    if (!selected) return undefined;
    return {
      onFix: (fix: Fix, finding: Finding, intent?: FixIntent) =>
        latest.current.onFix(fix, finding, selected, intent),
      onExport: (format: ExportFormat) => latest.current.onExport(format, selected),
      onCopySnippet: () => latest.current.onCopySnippet(selected),
      compare: comparing && (
        <CompareSlot
          launch={selected}
          loadLaunch={(id) => latest.current.loadLaunch(id)}
          onFix={(fix, finding, launch) => latest.current.onFix(fix, finding, launch)}
          onCopyMarkdown={(markdown) => latest.current.onCopyComparison?.(markdown)}
        />
      ),
    };
  }, [selected, comparing]);
  let detail: ReactNode;
  if (showSettings && props.settings) {
    detail = (
      <section
        className="sld-settings-view"
        aria-labelledby="sld-settings-title"
        onKeyDown={(e) => {
          if (e.key === 'Escape' && !e.defaultPrevented) toggleSettings(false, true);
        }}
      >
        <div className="sld-settings-head">
          <h2 id="sld-settings-title" ref={settingsHeading} tabIndex={-1}>
            Recorder settings
          </h2>
          <Button onClick={() => toggleSettings(false, true)}>Close settings</Button>
        </div>
        {props.settings}
      </section>
    );
  } else if (selected && handlers) {
    detail = (
      <LaunchDetail
        key={selected.id}
        launch={selected}
        ruleEnabled={props.ruleEnabled}
        onFix={handlers.onFix}
        onExport={handlers.onExport}
        onCopySnippet={handlers.onCopySnippet}
        compare={handlers.compare}
      />
    );
  } else if (!props.loading && launches.length === 0) {
    detail = <FirstLaunchHint />;
  } else if (selectedId && launches.some((l) => l.id === selectedId)) {
    detail = <p className="sld-empty">Loading the launch…</p>;
  } else {
    detail = <p className="sld-empty">Select a launch to see its steps and findings.</p>;
  }
  return (
    <LaunchesContext.Provider value={launches}>
      <div className="sld-log" style={{ '--sld-list-width': `${listWidth}px` } as CSSProperties}>
        <header className="sld-log-header">
          <h1>{props.title}</h1>
          <div className="sld-log-tools">
            <ImportHar onImport={props.onImport} onError={props.onImportError} busy={props.importBusy} />
            {props.settings && (
              <Button
                ref={settingsButton}
                aria-pressed={showSettings}
                onClick={() => toggleSettings(!showSettings, !showSettings)}
              >
                Recorder settings
              </Button>
            )}
          </div>
        </header>
        {props.banner}
        <Notice notice={props.notice} onDismiss={props.onDismissNotice} />
        {props.clearSession && (
          <ClearSessionPanel
            dialog
            state={props.clearSession}
            onToggleParent={props.onToggleClearParent}
            onConfirm={props.onConfirmClearSession}
            onClose={props.onCancelClearSession}
          />
        )}
        <main className="sld-split">
          {props.loading ? (
            <p className="sld-empty">Loading launches…</p>
          ) : (
            <LaunchList
              launches={launches}
              search={props.search}
              selectedId={selectedId}
              onSelect={props.onSelect}
              inspectedTabId={props.inspectedTabId}
              initialFilter={initialFilter}
            />
          )}
          <Splitter
            value={listWidth}
            min={MIN_LIST}
            max={MAX_LIST}
            label="Resize the launch list"
            onChange={resize}
          />
          <div className="sld-detail-pane">{detail}</div>
        </main>
      </div>
    </LaunchesContext.Provider>
  );
}

/** The launch list, for the comparison's picker: it follows the list without the detail around it. */
const LaunchesContext = createContext<readonly LaunchSummary[]>([]);

function CompareSlot(props: Omit<Parameters<typeof ComparePanel>[0], 'launches'>) {
  return <ComparePanel {...props} launches={useContext(LaunchesContext)} />;
}

import type { ReactNode } from 'react';
import type { Finding, Fix, Launch } from '../../utils/model';
import { ComparePanel } from '../compare/ComparePanel';
import { NO_FILTER } from '../launch/filter';
import { type ExportFormat, LaunchDetail } from '../launch/LaunchDetail';
import { LaunchList } from '../launch/LaunchList';
import { ClearSessionPanel, type ClearSessionState } from '../session/ClearSessionPanel';
import { type HarFile, ImportHar } from './ImportHar';
import { Notice, type NoticeValue } from './Notice';

export interface LaunchLogProps {
  title: string;
  launches: readonly Launch[];
  /** True until the first answer from the background. */
  loading?: boolean;
  selectedId?: string;
  onSelect: (id: string) => void;
  ruleEnabled?: boolean;
  notice?: NoticeValue;
  onDismissNotice: () => void;
  onFix: (fix: Fix, finding: Finding, launch: Launch) => void;
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
  /** Extra page content below the log (the log page puts recorder settings here). */
  footer?: ReactNode;
}

/** The launch log layout shared by the DevTools panel and the full page: list and detail, side by side when wide. */
export function LaunchLog(props: LaunchLogProps) {
  const { launches, selectedId } = props;
  const selected = launches.find((l) => l.id === selectedId);
  return (
    <div className="sld-log">
      <header className="sld-log-header">
        <h1>{props.title}</h1>
        <ImportHar onImport={props.onImport} onError={props.onImportError} busy={props.importBusy} />
      </header>
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
            selectedId={selectedId}
            onSelect={props.onSelect}
            inspectedTabId={props.inspectedTabId}
            initialFilter={
              props.inspectedTabId === undefined ? undefined : { ...NO_FILTER, tabId: props.inspectedTabId }
            }
          />
        )}
        <div className="sld-detail-pane">
          {selected ? (
            <LaunchDetail
              key={selected.id}
              launch={selected}
              ruleEnabled={props.ruleEnabled}
              onFix={(fix, finding) => props.onFix(fix, finding, selected)}
              onExport={(format) => props.onExport(format, selected)}
              onCopySnippet={() => props.onCopySnippet(selected)}
              compare={
                props.onCopyComparison && (
                  <ComparePanel
                    launch={selected}
                    launches={launches}
                    onFix={props.onFix}
                    onCopyMarkdown={props.onCopyComparison}
                  />
                )
              }
            />
          ) : (
            <p className="sld-empty">Select a launch to see its steps and findings.</p>
          )}
        </div>
      </main>
      {props.footer}
    </div>
  );
}

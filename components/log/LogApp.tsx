import { errorMessage } from '../../utils/errors';
import { exportFileName, launchToHarText, launchToJson, supportSnippet } from '../../utils/har';
import type { Launch } from '../../utils/model';
import type { ExportFormat } from '../launch/LaunchDetail';
import { LaunchLog } from './LaunchLog';
import type { LogApi } from './logApi';
import type { Platform } from './platform';
import { RecorderHealthBanner } from './RecorderHealthBanner';
import { RecorderSettings } from './RecorderSettings';
import { useLaunchLog } from './useLaunchLog';

interface Props {
  api: LogApi;
  platform: Platform;
  /** The full page hosts the recorder settings; the DevTools panel stays compact. */
  variant: 'page' | 'panel';
  /** In the DevTools panel: the inspected tab, which the list starts filtered on. */
  inspectedTabId?: number;
}

/** The launch log wired to the background; rendered by log.html and the DevTools panel. */
export function LogApp({ api, platform, variant, inspectedTabId }: Props) {
  const log = useLaunchLog(api, platform);

  const onExport = (format: ExportFormat, launch: Launch) => {
    try {
      // Always the redacted form: an export is made to be shared.
      const text = format === 'har' ? launchToHarText(launch) : launchToJson(launch);
      platform.download(exportFileName(launch, format), 'application/json', text);
    } catch (error) {
      log.setNotice({ kind: 'error', text: `Export failed: ${errorMessage(error)}` });
    }
  };
  const onCopySnippet = (launch: Launch) => {
    Promise.resolve()
      .then(() => platform.copyText(supportSnippet(launch)))
      .then(
        () => log.setNotice({ kind: 'info', text: 'Support snippet copied to the clipboard.' }),
        (error) =>
          log.setNotice({
            kind: 'error',
            text: `Could not copy the support snippet: ${errorMessage(error)}`,
          }),
      );
  };

  const onCopyComparison = (markdown: string) => {
    Promise.resolve()
      .then(() => platform.copyText(markdown))
      .then(
        () => log.setNotice({ kind: 'info', text: 'Comparison copied to the clipboard.' }),
        (error) =>
          log.setNotice({ kind: 'error', text: `Could not copy the comparison: ${errorMessage(error)}` }),
      );
  };

  return (
    <LaunchLog
      banner={<RecorderHealthBanner health={log.health} />}
      title={variant === 'panel' ? 'SMART launches' : 'SMART launch log'}
      launches={log.launches}
      search={log.search}
      loadLaunch={api.getLaunch}
      loading={log.loading}
      selectedId={log.selectedId}
      selected={log.selected}
      onSelect={log.setSelectedId}
      inspectedTabId={inspectedTabId}
      ruleEnabled={log.ruleEnabled}
      notice={log.notice}
      onDismissNotice={() => log.setNotice(undefined)}
      onFix={log.onFix}
      onExport={onExport}
      onCopySnippet={onCopySnippet}
      onCopyComparison={onCopyComparison}
      onImport={log.importHar}
      onImportError={(text) => log.setNotice({ kind: 'error', text })}
      importBusy={log.importBusy}
      clearSession={log.clearSession.state}
      onToggleClearParent={log.clearSession.toggle}
      onConfirmClearSession={log.clearSession.confirm}
      onCancelClearSession={log.clearSession.close}
      settings={
        variant === 'page' ? (
          <RecorderSettings settings={log.settings} onSave={log.saveSettings} onClearAll={log.clearAll} />
        ) : undefined
      }
    />
  );
}

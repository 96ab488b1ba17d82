import { useCallback, useEffect, useRef, useState } from 'react';
import type { HarFile } from '../../components/log/ImportHar';
import type { NoticeValue } from '../../components/log/Notice';
import { useClearSession } from '../../components/session/useClearSession';
import type { RecorderSettings } from '../../utils/capture/bounds';
import type { Finding, Fix, Launch } from '../../utils/model';
import { errorText, type LogApi } from './api';
import type { Platform } from './platform';
import { launchesSignature } from './signature';

/** How often the open log asks the background for new launches. */
const REFRESH_MS = 2000;

/** All wiring of the launch log (panel and page): loading, polling, fixes, import, settings. */
export function useLaunchLog(api: LogApi, platform: Platform) {
  const [launches, setLaunches] = useState<Launch[]>([]);
  const [loading, setLoading] = useState(true);
  const [selectedId, setSelectedId] = useState<string>();
  const [ruleEnabled, setRuleEnabled] = useState<boolean>();
  const [notice, setNotice] = useState<NoticeValue>();
  const [importBusy, setImportBusy] = useState(false);
  const clearSession = useClearSession(api);
  const [settings, setSettings] = useState<RecorderSettings>();
  const lastSignature = useRef('');
  const fail = useCallback(
    (what: string) => (error: unknown) => setNotice({ kind: 'error', text: `${what}: ${errorText(error)}` }),
    [],
  );

  const refresh = useCallback(async () => {
    try {
      const next = await api.listLaunches();
      const sig = launchesSignature(next);
      if (sig !== lastSignature.current) {
        lastSignature.current = sig;
        setLaunches(next);
        // Show the newest launch until the user picks one.
        setSelectedId((current) => current ?? [...next].sort((a, b) => b.startedAt - a.startedAt)[0]?.id);
      }
    } catch (error) {
      fail('Could not load launches')(error);
    } finally {
      setLoading(false);
    }
  }, [api, fail]);

  useEffect(() => {
    void refresh();
    api.getRule().then((s) => setRuleEnabled(s.enabled), fail('Could not read the strip rule'));
    api.getSettings().then(setSettings, () => setSettings(undefined));
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [api, refresh, fail]);

  const onFix = (fix: Fix, _finding: Finding, _launch: Launch) => {
    if (fix.kind === 'enable-strip-rule') {
      api.setRule(!ruleEnabled).then((s) => {
        setRuleEnabled(s.enabled);
        setNotice({
          kind: 'info',
          text: s.enabled
            ? 'Strip rule on: forceAuthn will be removed. Relaunch the app.'
            : 'Strip rule off.',
        });
      }, fail('Could not change the strip rule'));
    } else if (fix.kind === 'clear-session') {
      clearSession.open(fix.origin);
    } else if (fix.kind === 'relaunch') {
      platform
        .copyText(fix.url)
        .then(
          () => setNotice({ kind: 'info', text: 'Relaunch URL copied to the clipboard.' }),
          fail('Could not copy the relaunch URL'),
        );
    } else if (fix.kind === 'watch-origin') {
      platform.requestOrigin(fix.origin).then(
        (granted) =>
          setNotice({
            kind: 'info',
            text: granted ? `Now watching ${fix.origin}.` : `Access to ${fix.origin} was not granted.`,
          }),
        fail('Could not request access'),
      );
    }
  };

  const importHar = ({ fileName, text }: HarFile) => {
    setImportBusy(true);
    api
      .importHar(fileName, text)
      .then(
        (result) => {
          setNotice({
            kind: 'info',
            text: `Imported ${result.imported} launch${result.imported === 1 ? '' : 'es'} from ${fileName}.`,
          });
          return refresh();
        },
        (error) =>
          setNotice({
            kind: 'error',
            text: `Could not import ${fileName}: ${errorText(error)} The log is unchanged.`,
          }),
      )
      .finally(() => setImportBusy(false));
  };

  const saveSettings = (next: RecorderSettings) =>
    api.setSettings(next).then((saved) => {
      setSettings(saved);
      setNotice({ kind: 'info', text: 'Recorder settings saved.' });
    }, fail('Could not save recorder settings'));

  const clearAll = () =>
    api.clearLaunches().then(() => {
      setSelectedId(undefined);
      setNotice({ kind: 'info', text: 'All launches deleted.' });
      return refresh();
    }, fail('Could not delete launches'));

  return {
    launches,
    loading,
    selectedId,
    setSelectedId,
    ruleEnabled,
    notice,
    setNotice,
    importBusy,
    importHar,
    clearSession,
    onFix,
    settings,
    saveSettings,
    clearAll,
  };
}

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RecorderSettings } from '../../utils/capture/bounds';
import { andList, watchedBy } from '../../utils/diagnose/fixes';
import { errorMessage } from '../../utils/errors';
import type { LaunchSummary } from '../../utils/launch/summary';
import { followSummaries } from '../../utils/launch/summary-changes';
import type { RecorderHealth } from '../../utils/messages/launches';
import type { Finding, Fix, Launch } from '../../utils/model';
import { sameData } from '../../utils/same-data';
import { type FixIntent, relaunchNotice, relaunchOf, relaunchVerdict } from '../launch/fixActions';
import { useStripRuleRead } from '../popup/useStripRuleRead';
import { useClearSession } from '../session/useClearSession';
import type { HarFile } from './ImportHar';
import type { LogApi } from './logApi';
import type { NoticeValue } from './Notice';
import type { Platform } from './platform';

/** The notice of a failed read that a later read which succeeds takes away. */
function failure(about: 'load' | 'rule-read', error: unknown): NoticeValue {
  const what = about === 'load' ? 'Could not load launches' : 'Could not read the strip rule';
  return { kind: 'error', text: `${what}: ${errorMessage(error)}`, about };
}

/** All wiring of the launch log (panel and page): loading, change pushes, fixes, import, settings. */
export function useLaunchLog(api: LogApi, platform: Platform) {
  const [launches, setLaunches] = useState<readonly LaunchSummary[]>([]);
  const launchesRef = useRef(launches);
  launchesRef.current = launches;
  const [loading, setLoading] = useState(true);
  const [selectedId, setSelectedId] = useState<string>();
  /** The selected launch in full, as of the revision its summary had when it was fetched. */
  const [selected, setSelected] = useState<Launch>();
  const [ruleEnabled, setRuleEnabled] = useState<boolean>();
  const [notice, setNotice] = useState<NoticeValue>();
  const [importBusy, setImportBusy] = useState(false);
  const clearSession = useClearSession(api);
  const [settings, setSettings] = useState<RecorderSettings>();
  /** A relaunch the log started after a fix, until the launch it started is listed. */
  const awaitedRelaunch = useRef<{ from: string; at: number } | undefined>(undefined);
  /** The launch that relaunch started, once listed: the notice says whether the fix worked. */
  const [relaunchId, setRelaunchId] = useState<string>();
  const [health, setHealth] = useState<RecorderHealth>({});
  const fail = useCallback(
    (what: string) => (error: unknown) =>
      setNotice({ kind: 'error', text: `${what}: ${errorMessage(error)}` }),
    [],
  );

  /**
   * Shows the relaunch a fix started, once `list` holds it, in place of the launch it fixed (unless the
   * user picked another one meanwhile); the notice then says what it came to.
   */
  const followRelaunch = useCallback((list: readonly LaunchSummary[]) => {
    const awaited = awaitedRelaunch.current;
    const started = awaited && relaunchOf(list, awaited);
    if (!awaited || !started) return;
    awaitedRelaunch.current = undefined;
    setRelaunchId(started.id);
    setSelectedId((current) => (current === awaited.from ? started.id : current));
  }, []);

  const follower = useMemo(
    () =>
      followSummaries((since) => api.listChanges(since), {
        list: (next) => {
          setLaunches(next);
          // A read that failed before is over: its notice would say the list is stale when it is not.
          setNotice((current) => (current?.about === 'load' ? undefined : current));
          // Show the newest launch until the user picks one.
          setSelectedId((current) => current ?? [...next].sort((a, b) => b.startedAt - a.startedAt)[0]?.id);
          followRelaunch(next);
        },
        failed: (error) => setNotice(failure('load', error)),
        settled: () => setLoading(false),
      }),
    [api, followRelaunch],
  );
  const refresh = follower.refresh;
  // A launch in progress is read again when its status may change by time alone (followSummaries).
  useEffect(() => () => follower.stop(), [follower]);

  const { readRule, readIfUnknown } = useStripRuleRead({
    read: () => api.getRule(),
    done: (s) => {
      setRuleEnabled(s.enabled);
      setNotice((current) => (current?.about === 'rule-read' ? undefined : current));
    },
    failed: (error) => setNotice(failure('rule-read', error)),
  });

  /** A change was announced while the page was hidden: it is read when the page is shown again. */
  const missed = useRef(false);
  useEffect(() => {
    const shown = () => {
      if (document.hidden || !missed.current) return;
      missed.current = false;
      void refresh();
    };
    document.addEventListener('visibilitychange', shown);
    return () => document.removeEventListener('visibilitychange', shown);
  }, [refresh]);

  // The strip rule may have been turned on or off elsewhere (the popup's fix, the options, another log)
  // while the user was there: read again when they come back, so the fix buttons say what holds.
  useEffect(() => {
    const back = () => {
      if (!document.hidden) void readRule();
    };
    window.addEventListener('focus', back);
    document.addEventListener('visibilitychange', back);
    return () => {
      window.removeEventListener('focus', back);
      document.removeEventListener('visibilitychange', back);
    };
  }, [readRule]);

  useEffect(() => {
    void refresh();
    void readRule();
    api.getSettings().then(setSettings, () => setSettings(undefined));
    // An older background without health reports nothing to show.
    api.getHealth().then(setHealth, () => undefined);
    // Pushed by the background after every stored change: no polling.
    return platform.subscribe((next, changes) => {
      // Each push carries the health; an equal one keeps its object, so the page does not render for it.
      setHealth((current) => (sameData(current, next) ? current : next));
      // The background answers again: a rule read that failed (it was restarting) is tried once more.
      readIfUnknown();
      // A log in a background tab while the developer launches in another one: no reads and renders
      // nobody sees; one read when it is shown again.
      if (document.hidden) missed.current = true;
      // The changes the notice carries, without a read when they fit the list held.
      else if (changes) follower.push(changes);
      else void refresh();
    });
  }, [api, platform, follower, refresh, readRule, readIfUnknown]);

  // The open launch is fetched in full when picked, and again only when its summary's revision moved.
  const revision = launches.find((l) => l.id === selectedId)?.revision;
  useEffect(() => {
    if (!selectedId || revision === undefined) return setSelected(undefined);
    let current = true;
    api.getLaunch(selectedId).then((launch) => {
      if (current) setSelected(launch ?? undefined);
    }, fail('Could not load the launch'));
    return () => {
      current = false;
    };
  }, [api, selectedId, revision, fail]);

  const relaunch = (launchId: string, done: string) => {
    const at = Date.now();
    return api.relaunch(launchId).then((result) => {
      setRelaunchId(undefined);
      if (!result.ok) {
        setNotice(relaunchNotice(done, result));
        return;
      }
      setNotice({ ...relaunchNotice(done, result), about: 'relaunch' });
      awaitedRelaunch.current = { from: launchId, at };
      // Listed already (the background pushed it before the answer came): shown now.
      followRelaunch(launchesRef.current);
    });
  };

  // "Clear … session and relaunch": the launch to start again once the user has confirmed the clear.
  const relaunchAfterClear = useRef<string | undefined>(undefined);
  const clearState = clearSession.state;
  const closeClear = clearSession.close;
  useEffect(() => {
    const launchId = relaunchAfterClear.current;
    if (!launchId || !clearState || clearState.step !== 'done') {
      if (!clearState) relaunchAfterClear.current = undefined;
      return;
    }
    relaunchAfterClear.current = undefined;
    const { removed, failed } = clearState.report;
    if (failed.length > 0) {
      setNotice({
        kind: 'error',
        text: `${failed.length} cookie(s) could not be removed, so the launch was not started again.`,
      });
      return;
    }
    closeClear();
    const done = `✓ Session cleared (${removed.length} cookie${removed.length === 1 ? '' : 's'})`;
    relaunch(launchId, done).catch(fail('Could not relaunch'));
  });

  const onFix = (fix: Fix, _finding: Finding, launch: Launch, intent: FixIntent = 'apply') => {
    if (fix.kind === 'enable-strip-rule') {
      if (intent === 'undo') {
        api.setRule(false).then((s) => {
          setRuleEnabled(s.enabled);
          setNotice({ kind: 'info', text: s.enabled ? 'The strip rule is still on.' : 'Strip rule off.' });
        }, fail('Could not turn Strip forceAuthn off'));
        return;
      }
      api
        .setRule(true)
        .then((s) => {
          setRuleEnabled(s.enabled);
          if (!s.enabled) throw new Error('the browser did not keep the strip rule');
          return relaunch(launch.id, '✓ Strip forceAuthn on');
        })
        .catch(fail('Could not strip forceAuthn and relaunch'));
    } else if (fix.kind === 'clear-session') {
      relaunchAfterClear.current = launch.id;
      clearSession.open(fix.origin);
    } else if (fix.kind === 'relaunch') {
      platform
        .copyText(fix.url)
        .then(
          () => setNotice({ kind: 'info', text: 'Relaunch URL copied to the clipboard.' }),
          fail('Could not copy the relaunch URL'),
        );
    } else if (fix.kind === 'watch-origin') {
      const origins = watchedBy(fix);
      platform.requestOrigins(origins).then(
        (granted) =>
          setNotice(
            granted
              ? {
                  kind: 'info',
                  text: `✓ Watching ${andList(origins)}: launch again to see its token request.`,
                }
              : { kind: 'error', text: `Access to ${andList(origins)} was not granted.` },
          ),
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
            text: `Imported ${result.imported} launch${result.imported === 1 ? '' : 'es'} from ${fileName}${result.replaced ? ', in place of its earlier import' : ''}.${result.skipped ? ` ${result.skipped[0]!.toUpperCase()}${result.skipped.slice(1)}.` : ''}${result.dropped?.length ? ` The log keeps the last ${result.keptFiles} imported files: ${andList(result.dropped)}, imported first, ${result.dropped.length === 1 ? 'was' : 'were'} removed.` : ''}`,
          });
          return refresh();
        },
        (error) =>
          setNotice({
            kind: 'error',
            text: `Could not import ${fileName}: ${errorMessage(error)} The log is unchanged.`,
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

  // The relaunch notice goes on to say what the relaunch came to, while it is shown.
  // Read from the launch in full when it is the one open (its steps say whether the app got its code).
  const relaunched =
    relaunchId && selected?.id === relaunchId
      ? selected
      : relaunchId
        ? launches.find((l) => l.id === relaunchId)
        : undefined;
  const shownNotice =
    notice?.about === 'relaunch' && relaunched
      ? { ...notice, text: `${notice.text} ${relaunchVerdict(relaunched)}` }
      : notice;

  return {
    launches,
    search: api.searchLaunches,
    loading,
    selectedId,
    /** Undefined while the picked launch is on its way (or gone). */
    selected: selected?.id === selectedId ? selected : undefined,
    setSelectedId,
    ruleEnabled,
    notice: shownNotice,
    setNotice,
    importBusy,
    importHar,
    clearSession,
    onFix,
    settings,
    health,
    saveSettings,
    clearAll,
  };
}

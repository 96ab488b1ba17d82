import { useCallback, useEffect, useMemo, useState } from 'react';
import { Button } from '../../components/common/Button';
import { describeLastLaunch } from '../../components/popup/lastLaunch';
import { StripRuleSection } from '../../components/popup/StripRuleSection';
import { ClearSessionPanel } from '../../components/session/ClearSessionPanel';
import { type ClearSessionApi, useClearSession } from '../../components/session/useClearSession';
import type { StripRuleState } from '../../utils/dnr/types';
import { errorMessage } from '../../utils/errors';
import type { LaunchSummary } from '../../utils/launch/summary';
import type { RecorderHealth } from '../../utils/messages/launches';
import type { PopupPlatform } from './platform';

/** The origin whose session the popup clears; other origins are cleared from the launch log. */
export const CLEAR_ORIGIN = 'https://authorization.cerner.com';

export function App({ platform }: { platform: PopupPlatform }) {
  const { call } = platform;
  const [rule, setRule] = useState<StripRuleState>();
  const [ruleBusy, setRuleBusy] = useState(false);
  const [ruleError, setRuleError] = useState<string>();
  const [rewrites, setRewrites] = useState<number>();
  const [launches, setLaunches] = useState<LaunchSummary[]>();
  const [health, setHealth] = useState<RecorderHealth>({});
  const sessionApi = useMemo<ClearSessionApi>(
    () => ({
      planSession: (origin) => call('session/plan', { origin }),
      clearSession: (origin, parentDomainCookies) => call('session/clear', { origin, parentDomainCookies }),
    }),
    [call],
  );
  const clear = useClearSession(sessionApi);

  useEffect(() => {
    call('rules/get').then(setRule, (e) => setRuleError(errorMessage(e)));
    const readLaunches = () => call('launches/summaries').then(setLaunches, () => setLaunches([]));
    void readLaunches();
    call('recorder/health').then(setHealth, () => undefined);
    const unsubscribe = platform.subscribe((next) => {
      setHealth(next);
      void readLaunches();
    });
    platform
      .activeTabId()
      .then((tabId) => (tabId === undefined ? undefined : call('rules/stats', { tabId })))
      .then((stats) => setRewrites(stats?.rewrites))
      .catch(() => undefined);
    return unsubscribe;
  }, [call, platform]);

  const toggle = useCallback(
    async (enabled: boolean) => {
      setRuleBusy(true);
      setRuleError(undefined);
      try {
        setRule(await call('rules/set', { enabled }));
      } catch (e) {
        setRuleError(errorMessage(e));
        // Show what the browser really holds after a failure.
        call('rules/get').then(setRule, () => undefined);
      } finally {
        setRuleBusy(false);
      }
    },
    [call],
  );

  return (
    <main className="sld-root sldp">
      <h1>SMART Launch Debugger</h1>
      <StripRuleSection
        state={rule}
        rewrites={rewrites}
        busy={ruleBusy}
        error={ruleError}
        onToggle={toggle}
      />
      <section className="sldp-section" aria-label="Session">
        {clear.state === undefined ? (
          <Button onClick={() => clear.open(CLEAR_ORIGIN)}>Clear authorization.cerner.com session</Button>
        ) : (
          <ClearSessionPanel
            state={clear.state}
            onToggleParent={clear.toggle}
            onConfirm={clear.confirm}
            onClose={clear.close}
          />
        )}
      </section>
      <p className="sldp-last" aria-live="polite" title={describeLastLaunch(launches)}>
        {describeLastLaunch(launches)}
      </p>
      {health.writeError && <p role="alert">{health.writeError.message}. Open the launch log for details.</p>}
      <nav className="sldp-links" aria-label="More">
        <a
          href={platform.logUrl}
          onClick={(e) => {
            e.preventDefault();
            platform.openLog();
          }}
        >
          Open launch log
        </a>
        <a
          href="options.html"
          onClick={(e) => {
            e.preventDefault();
            platform.openOptions();
          }}
        >
          Options
        </a>
      </nav>
    </main>
  );
}

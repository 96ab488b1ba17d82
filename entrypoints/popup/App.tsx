import { useCallback, useEffect, useMemo, useState } from 'react';
import { Button } from '../../components/common/Button';
import { LastLaunch } from '../../components/popup/LastLaunch';
import { StripRuleSection } from '../../components/popup/StripRuleSection';
import { ClearSessionPanel } from '../../components/session/ClearSessionPanel';
import { type ClearSessionApi, useClearSession } from '../../components/session/useClearSession';
import type { StripRuleState } from '../../utils/dnr/types';
import type { Launch } from '../../utils/model';
import type { PopupPlatform } from './platform';

/** The origin whose session the popup clears; other origins are cleared from the launch log. */
export const CLEAR_ORIGIN = 'https://authorization.cerner.com';

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function App({ platform }: { platform: PopupPlatform }) {
  const { call } = platform;
  const [rule, setRule] = useState<StripRuleState>();
  const [ruleBusy, setRuleBusy] = useState(false);
  const [ruleError, setRuleError] = useState<string>();
  const [rewrites, setRewrites] = useState<number>();
  const [launches, setLaunches] = useState<Launch[]>();
  const sessionApi = useMemo<ClearSessionApi>(
    () => ({
      planSession: (origin) => call('session/plan', { origin }),
      clearSession: (origin, parentDomainCookies) => call('session/clear', { origin, parentDomainCookies }),
    }),
    [call],
  );
  const clear = useClearSession(sessionApi);

  useEffect(() => {
    call('rules/get').then(setRule, (e) => setRuleError(message(e)));
    call('launches/list').then(setLaunches, () => setLaunches([]));
    platform
      .activeTabId()
      .then((tabId) => (tabId === undefined ? undefined : call('rules/stats', { tabId })))
      .then((stats) => setRewrites(stats?.rewrites))
      .catch(() => undefined);
  }, [call, platform]);

  const toggle = useCallback(
    async (enabled: boolean) => {
      setRuleBusy(true);
      setRuleError(undefined);
      try {
        setRule(await call('rules/set', { enabled }));
      } catch (e) {
        setRuleError(message(e));
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
      <LastLaunch launches={launches} />
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

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Button } from '../../components/common/Button';
import { relaunchNotice, relaunchOf } from '../../components/launch/fixActions';
import { LaunchCard } from '../../components/popup/LaunchCard';
import { leadLaunch, type PopupAction, primaryAction } from '../../components/popup/leadLaunch';
import { StripRuleSection } from '../../components/popup/StripRuleSection';
import { useStripRuleRead } from '../../components/popup/useStripRuleRead';
import { ClearSessionPanel } from '../../components/session/ClearSessionPanel';
import { type ClearSessionApi, useClearSession } from '../../components/session/useClearSession';
import { andList } from '../../utils/diagnose/fixes';
import type { StripRuleState } from '../../utils/dnr/types';
import { errorMessage } from '../../utils/errors';
import type { LaunchSummary } from '../../utils/launch/summary';
import { followSummaries } from '../../utils/launch/summary-changes';
import type { RecorderHealth } from '../../utils/messages/launches';
import type { RelaunchResult } from '../../utils/messages/tabs';
import type { Launch } from '../../utils/model';
import { sameData } from '../../utils/same-data';
import type { PopupPlatform } from './platform';

/** The origin whose session the popup clears; other origins are cleared from the launch log. */
export const CLEAR_ORIGIN = 'https://authorization.cerner.com';

function relaunched(done: string, result: RelaunchResult): { ok: boolean; text: string } {
  const notice = relaunchNotice(done, result);
  return { ok: notice.kind === 'info', text: notice.text };
}

/** A fix the popup ran and relaunched: the launch it fixed and when the relaunch was asked for. */
interface Relaunch {
  from: string;
  at: number;
}

export function App({ platform }: { platform: PopupPlatform }) {
  const { call } = platform;
  const [rule, setRule] = useState<StripRuleState>();
  const [ruleBusy, setRuleBusy] = useState(false);
  const [ruleError, setRuleError] = useState<string>();
  const [rewrites, setRewrites] = useState<number>();
  const [launches, setLaunches] = useState<readonly LaunchSummary[]>();
  const [health, setHealth] = useState<RecorderHealth>({});
  const [activeTab, setActiveTab] = useState<number>();
  /** The leading launch in full (its findings carry the fixes); undefined while it loads. */
  const [full, setFull] = useState<Launch>();
  const [acting, setActing] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string }>();
  const [relaunch, setRelaunch] = useState<Relaunch>();
  const sessionApi = useMemo<ClearSessionApi>(
    () => ({
      planSession: (origin) => call('session/plan', { origin }),
      clearSession: (origin, parentDomainCookies) => call('session/clear', { origin, parentDomainCookies }),
    }),
    [call],
  );
  const clearButton = useRef<HTMLButtonElement>(null);
  const clear = useClearSession(sessionApi, clearButton);

  const { readRule, readIfUnknown } = useStripRuleRead({
    read: () => call('rules/get'),
    done: (state) => {
      setRule(state);
      setRuleError(undefined);
    },
    failed: (e) => setRuleError(errorMessage(e)),
  });

  useEffect(() => {
    void readRule();
    // Each notice brings (or makes the popup read) only the summaries that changed, and unchanged ones
    // keep their objects: a notice while traffic flows re-renders only what changed.
    const summaries = followSummaries(
      (since) => call('launches/changes', since ? { epoch: since.epoch, since: since.version } : {}),
      // A failed first read shows no launch rather than a list that never loads.
      { list: setLaunches, failed: () => setLaunches((current) => current ?? []) },
    );
    void summaries.refresh();
    call('recorder/health').then(setHealth, () => undefined);
    const unsubscribe = platform.subscribe((next, changes) => {
      setHealth((current) => (sameData(current, next) ? current : next));
      // The background answers again: a rule read that failed (it was restarting) is tried once more.
      readIfUnknown();
      if (changes) summaries.push(changes);
      else void summaries.refresh();
    });
    platform
      .activeTabId()
      .then((tabId) => {
        setActiveTab(tabId);
        return tabId === undefined ? undefined : call('rules/stats', { tabId });
      })
      .then((stats) => setRewrites(stats?.rewrites))
      .catch(() => undefined);
    return () => {
      unsubscribe();
      summaries.stop();
    };
  }, [call, platform, readRule, readIfUnknown]);

  const toggle = useCallback(
    async (enabled: boolean) => {
      setRuleBusy(true);
      setRuleError(undefined);
      try {
        setRule(await call('rules/set', { enabled }));
      } catch (e) {
        setRuleError(errorMessage(e));
        // Show what the browser really holds after a failure; when that is what was asked for (the
        // change was made and only its answer was lost), there is nothing left to report.
        call('rules/get').then(
          (state) => {
            setRule(state);
            if (state.enabled === enabled) setRuleError(undefined);
          },
          () => undefined,
        );
      } finally {
        setRuleBusy(false);
      }
    },
    [call],
  );

  const leadSummary = launches && leadLaunch(launches, activeTab);
  const leadId = leadSummary?.id;
  // Fetched again only when that launch changed (its revision), not on every notice.
  const leadRevision = leadSummary?.revision;
  useEffect(() => {
    if (!leadId) {
      setFull(undefined);
      return;
    }
    void leadRevision;
    let current = true;
    call('launches/get', { id: leadId }).then(
      (launch) => current && setFull(launch ?? undefined),
      () => current && setFull(undefined),
    );
    return () => {
      current = false;
    };
  }, [call, leadId, leadRevision]);
  const lead = full && leadSummary && full.id === leadSummary.id ? full : undefined;
  // The launch leading now is the relaunch the fix started (not the one it fixed, nor an older one).
  const isRelaunch = !!relaunch && !!lead && relaunchOf([lead], relaunch) === lead;

  const act = useCallback(
    async (action: PopupAction) => {
      if (!lead) return;
      setActing(true);
      setOutcome(undefined);
      setRelaunch(undefined);
      // Relaunched after a fix: the launch that leads next is the fix's verdict.
      const relaunchIn = async (done: string) => {
        const at = Date.now();
        const result = await call('tabs/relaunch', { launchId: lead.id });
        setOutcome(relaunched(done, result));
        if (result.ok) setRelaunch({ from: lead.id, at });
      };
      try {
        switch (action.kind) {
          case 'strip-and-relaunch': {
            const state = await call('rules/set', { enabled: true });
            setRule(state);
            if (!state.enabled) throw new Error('The browser did not keep the strip rule.');
            await relaunchIn('✓ Strip forceAuthn on');
            break;
          }
          case 'clear-and-relaunch': {
            const report = await call('session/clear', { origin: action.origin, parentDomainCookies: [] });
            if (report.failed.length) {
              throw new Error(
                `${report.failed.length} cookie(s) could not be removed; open the launch log for details.`,
              );
            }
            const what = `✓ Session cleared (${report.removed.length} cookie${report.removed.length === 1 ? '' : 's'})`;
            await relaunchIn(what);
            break;
          }
          case 'relaunch':
            await relaunchIn('✓ Strip forceAuthn on');
            break;
          case 'watch-origin': {
            const granted = await platform.requestOrigins(action.origins);
            const hosts = andList(action.origins);
            setOutcome(
              granted
                ? { ok: true, text: `✓ Watching ${hosts}: launch again to see its token request.` }
                : { ok: false, text: `Access to ${hosts} was not granted.` },
            );
            break;
          }
          case 'open-log':
            await platform.openLog();
            break;
        }
      } catch (e) {
        setOutcome({ ok: false, text: errorMessage(e) });
      } finally {
        setActing(false);
      }
    },
    [call, lead, platform],
  );

  return (
    <main className="sld-root sldp">
      <header className="sldp-header">
        <h1>SMART Launch Debugger</h1>
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
      </header>
      {health.writeError && (
        <p role="alert" className="sldp-alert">
          {health.writeError.message}. Open the launch log for details.
        </p>
      )}
      {launches === undefined || (leadSummary && !lead) ? (
        <p className="sld-muted">Loading the last launch…</p>
      ) : lead ? (
        <LaunchCard
          launch={lead}
          inThisTab={activeTab !== undefined && !!leadSummary?.tabIds.includes(activeTab)}
          action={primaryAction(lead, rule?.enabled)}
          busy={acting}
          {...(outcome ? { outcome } : {})}
          isRelaunch={isRelaunch}
          onAction={act}
          onOpenLog={() => void platform.openLog()}
        />
      ) : (
        <section className="sldp-card sldp-empty" aria-label="No launch yet">
          <h2>No launch recorded yet</h2>
          <p>
            Launch your app from Oracle's Code Console (or any EHR): every step to <code>*.cerner.com</code>{' '}
            is recorded, and a failed launch shows up here with its cause and a one-click fix.
          </p>
        </section>
      )}
      <StripRuleSection
        state={rule}
        rewrites={rewrites}
        busy={ruleBusy}
        error={ruleError}
        onToggle={toggle}
      />
      <section className="sldp-section" aria-label="Session">
        {clear.state === undefined ? (
          <Button ref={clearButton} onClick={() => clear.open(CLEAR_ORIGIN)}>
            Clear authorization.cerner.com session
          </Button>
        ) : (
          <ClearSessionPanel
            state={clear.state}
            onToggleParent={clear.toggle}
            onConfirm={clear.confirm}
            onClose={clear.close}
          />
        )}
      </section>
    </main>
  );
}

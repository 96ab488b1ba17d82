import { memo, type ReactNode, useState } from 'react';
import type { Finding, Fix, Launch } from '../../utils/model';
import { Button } from '../common/Button';
import {
  GRANTED_UNKNOWN,
  grantedScopes,
  requestedScopes,
  supportedScopes,
  supportedUnknownReason,
  tokenResponse,
  tokensOf,
} from './extract';
import { Findings } from './Findings';
import { type FixIntent, TOKEN_CAPTURE_HINT } from './fixActions';
import { formatClock, formatDuration, launchDuration, STATUS_TEXT, serverOf } from './format';
import { JwtClaims } from './JwtClaims';
import { ScopeTable } from './ScopeTable';
import { StatusIcon } from './StatusIcon';
import { type TabDef, Tabs } from './Tabs';
import { type FocusRequest, Timeline } from './Timeline';

export type ExportFormat = 'json' | 'har';

interface Props {
  launch: Launch;
  ruleEnabled?: boolean;
  /** Current time, for "expired" marks on tokens. */
  now?: number;
  onFix: (fix: Fix, finding: Finding, intent?: FixIntent) => void;
  onExport: (format: ExportFormat) => void;
  onCopySnippet: () => void;
  /** "Compare with…" and the comparison (components/compare), shown under the header. */
  compare?: ReactNode;
}

type TabKey = 'timeline' | 'scopes' | 'tokens';

/**
 * One launch: findings first, then timeline, scopes and tokens. Render with key={launch.id}. Memoized:
 * the log renders again on every change pushed while launches are recorded, and the open launch is the
 * biggest part of the page; give it the same callbacks and `compare` element while they do not change.
 */
export const LaunchDetail = memo(function LaunchDetail({
  launch,
  ruleEnabled,
  now = Date.now(),
  onFix,
  onExport,
  onCopySnippet,
  compare,
}: Props) {
  const [tab, setTab] = useState<TabKey>('timeline');
  const [focus, setFocus] = useState<FocusRequest>();

  const showStep = (exchangeId: string) => {
    setTab('timeline');
    setFocus((prev) => ({ exchangeId, seq: (prev?.seq ?? 0) + 1 }));
  };

  // A reason that repeats the finding shown right below ("title: summary") says nothing new, and in a
  // pane docked at the bottom it pushes the fix out of view.
  const reasonShown =
    !!launch.statusReason && !launch.findings.some((f) => launch.statusReason === `${f.title}: ${f.summary}`);
  const tabs: TabDef<TabKey>[] = [
    {
      key: 'timeline',
      label: `Timeline (${launch.steps.length})`,
      render: () => (
        <Timeline
          steps={launch.steps}
          failedAt={launch.failedAt}
          focus={focus}
          over={launch.status !== 'in-progress'}
        />
      ),
    },
    {
      key: 'scopes',
      label: 'Scopes',
      render: () => (
        <ScopeTable
          requested={requestedScopes(launch)}
          granted={grantedScopes(launch)}
          supported={supportedScopes(launch)}
          grantedUnknown={GRANTED_UNKNOWN}
          supportedUnknown={supportedUnknownReason(launch)}
        />
      ),
    },
    {
      key: 'tokens',
      label: 'Tokens',
      // The token facts (utils/diagnose/context.ts) are built only when the tab is opened.
      render: () => <TokensView launch={launch} now={now} />,
    },
  ];

  return (
    <article className="sld-detail" aria-label={`Launch of ${launch.clientId ?? 'unknown client'}`}>
      <header className="sld-detail-header">
        <h2>
          <StatusIcon status={launch.status} /> {launch.clientId ?? 'unknown client'}
          <span className="sld-muted"> → {serverOf(launch) || 'unknown server'}</span>
        </h2>
        <p className="sld-muted">
          {STATUS_TEXT[launch.status]} · {formatClock(launch.startedAt)} ·{' '}
          {formatDuration(launchDuration(launch))}
          {launch.persona && ` · ${launch.persona}`}
          {launch.tenant && ` · tenant ${launch.tenant}`}
          {launch.imported && ` · imported from ${launch.imported.fileName}`}
        </p>
        {reasonShown && (
          <p className="sld-status-reason" data-status={launch.status}>
            {launch.statusReason}
          </p>
        )}
      </header>
      {/* The cause and its fix first: in a DevTools pane docked at the bottom only a few lines show. */}
      <Findings findings={launch.findings} ruleEnabled={ruleEnabled} onEvidence={showStep} onFix={onFix} />
      <fieldset className="sld-actions">
        <legend className="sld-visually-hidden">Share this launch</legend>
        <Button onClick={() => onExport('json')}>Export JSON</Button>
        <Button onClick={() => onExport('har')}>Export HAR</Button>
        <Button onClick={onCopySnippet}>Copy support snippet</Button>
      </fieldset>
      {compare}
      <Tabs label="Launch details" tabs={tabs} selected={tab} onSelect={setTab} />
    </article>
  );
});

function TokensView({ launch, now }: { launch: Launch; now: number }) {
  const tokens = tokensOf(launch);
  const context = tokenResponse(launch);
  if (!context) {
    return <p className="sld-empty">No token response captured. {TOKEN_CAPTURE_HINT}</p>;
  }
  return (
    <>
      <dl className="sld-context">
        {['patient', 'encounter', 'expires_in', 'token_type'].map((name) =>
          context?.[name] === undefined ? null : (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{String(context[name])}</dd>
            </div>
          ),
        )}
      </dl>
      {tokens.length === 0 && <p className="sld-muted">No JWTs in the token response.</p>}
      {tokens.map((t) => (
        <JwtClaims key={t.name} name={t.name} token={t.token} now={now} />
      ))}
    </>
  );
}

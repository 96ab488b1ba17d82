import { useEffect, useRef, useState } from 'react';
import {
  DEFAULT_ABANDON_MINUTES,
  type RecorderSettings as RecorderSettingsValue,
  SETTINGS_LIMITS,
} from '../../utils/capture/bounds';
import { Button } from '../common/Button';

interface Props {
  /** undefined while loading or when the background could not answer. */
  settings?: RecorderSettingsValue;
  onSave: (settings: RecorderSettingsValue) => void;
  onClearAll: () => void;
}

type Draft = Record<'maxLaunches' | 'maxAgeDays' | 'abandonAfterMinutes', string>;

const NAMES: Record<keyof Draft, string> = {
  maxLaunches: 'Max launches',
  maxAgeDays: 'Max age (days)',
  abandonAfterMinutes: 'Abandon after (minutes)',
};

function validate(draft: Draft): string | undefined {
  for (const key of ['maxLaunches', 'maxAgeDays', 'abandonAfterMinutes'] as const) {
    const n = Number(draft[key]);
    const [min, max] = SETTINGS_LIMITS[key];
    if (draft[key].trim() === '' || !Number.isInteger(n) || n < min || n > max) {
      return `${NAMES[key]} must be a whole number from ${min} to ${max}.`;
    }
  }
  return undefined;
}

function draftOf(settings: RecorderSettingsValue): Draft {
  return {
    maxLaunches: String(settings.maxLaunches),
    maxAgeDays: String(settings.maxAgeDays),
    abandonAfterMinutes: String(settings.abandonAfterMinutes ?? DEFAULT_ABANDON_MINUTES),
  };
}

/** Retention, the abandon timeout, keep-secrets opt-in (with its warning) and clear-all (with confirmation). */
export function RecorderSettings({ settings, onSave, onClearAll }: Props) {
  const [draft, setDraft] = useState<Draft>({ maxLaunches: '', maxAgeDays: '', abandonAfterMinutes: '' });
  const [confirming, setConfirming] = useState(false);
  // Keyboard focus follows the confirmation: to its Cancel when it opens (the safe choice of a
  // destructive one), back to the button that opened it when it closes.
  const cancelRef = useRef<HTMLButtonElement>(null);
  const clearRef = useRef<HTMLButtonElement>(null);
  const moved = useRef(false);
  useEffect(() => {
    if (!moved.current) return;
    (confirming ? cancelRef : clearRef).current?.focus();
  }, [confirming]);
  const confirm = (open: boolean) => {
    moved.current = true;
    setConfirming(open);
  };
  useEffect(() => {
    if (settings) setDraft(draftOf(settings));
  }, [settings]);

  if (!settings) return <p className="sld-muted">Recorder settings are not available.</p>;
  const problem = validate(draft);
  return (
    // Shown in the log's settings view, which names it (one region, one heading).
    <div className="sld-settings">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!problem)
            onSave({
              ...settings,
              maxLaunches: Number(draft.maxLaunches),
              maxAgeDays: Number(draft.maxAgeDays),
              abandonAfterMinutes: Number(draft.abandonAfterMinutes),
            });
        }}
      >
        <label>
          Keep at most{' '}
          <input
            type="number"
            inputMode="numeric"
            value={draft.maxLaunches}
            onChange={(e) => setDraft({ ...draft, maxLaunches: e.target.value })}
            aria-invalid={!!problem || undefined}
          />{' '}
          launches
        </label>
        <label>
          Forget launches after{' '}
          <input
            type="number"
            inputMode="numeric"
            value={draft.maxAgeDays}
            onChange={(e) => setDraft({ ...draft, maxAgeDays: e.target.value })}
          />{' '}
          days
        </label>
        <label title="A live launch that stops moving before it completes is shown as abandoned after this long">
          Mark a stalled launch abandoned after{' '}
          <input
            type="number"
            inputMode="numeric"
            value={draft.abandonAfterMinutes}
            onChange={(e) => setDraft({ ...draft, abandonAfterMinutes: e.target.value })}
          />{' '}
          minutes
        </label>
        {problem && (
          <p className="sld-error-text" role="alert">
            {problem}
          </p>
        )}
        <Button type="submit" disabled={!!problem}>
          Save limits
        </Button>
      </form>
      <label className="sld-keep-secrets">
        <input
          type="checkbox"
          checked={settings.keepSecrets}
          onChange={(e) => onSave({ ...settings, keepSecrets: e.target.checked })}
        />{' '}
        Keep secrets (codes, tokens, client secrets, code verifiers) for this browser session
      </label>
      <p className="sld-warning" role="note">
        ⚠ With this on, recorded launches and exports contain live credentials. Anyone you share them with can
        use them. Leave it off unless you need to inspect a token.
      </p>
      {confirming ? (
        <fieldset
          className="sld-confirm"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              confirm(false);
            }
          }}
        >
          <legend className="sld-visually-hidden">Confirm clearing all launches</legend>
          <span>Delete every recorded and imported launch?</span>
          <Button
            variant="danger"
            onClick={() => {
              confirm(false);
              onClearAll();
            }}
          >
            Delete all launches
          </Button>
          <Button ref={cancelRef} onClick={() => confirm(false)}>
            Cancel
          </Button>
        </fieldset>
      ) : (
        <Button ref={clearRef} variant="danger" onClick={() => confirm(true)}>
          Clear all launches…
        </Button>
      )}
    </div>
  );
}

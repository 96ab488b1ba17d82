import { useId } from 'react';

export interface SwitchProps {
  /** Visible text; also the switch's accessible name. */
  label: string;
  checked: boolean;
  onChange: (next: boolean) => void;
  /** Longer explanation, announced as the switch's description. */
  description?: string;
  disabled?: boolean;
}

/**
 * An on/off control announced as a switch (role="switch" + aria-checked). It is a native button, so
 * Tab focuses it and Space/Enter toggle it without extra key handling. The state is also written out
 * ("On"/"Off") so it does not depend on colour.
 */
export function Switch({ label, checked, onChange, description, disabled }: SwitchProps) {
  const id = useId();
  return (
    <>
      <button
        type="button"
        role="switch"
        className="sldc-switch"
        aria-checked={checked}
        aria-labelledby={`${id}-label`}
        aria-describedby={description ? `${id}-desc` : undefined}
        disabled={disabled}
        onClick={() => onChange(!checked)}
      >
        <span className="sldc-switch-track" aria-hidden="true" />
        <span id={`${id}-label`} className="sldc-switch-label">
          {label}
        </span>
        <span className="sldc-switch-state" aria-hidden="true">
          {checked ? 'On' : 'Off'}
        </span>
      </button>
      {description && (
        <p id={`${id}-desc`} className="sld-muted sldc-switch-desc">
          {description}
        </p>
      )}
    </>
  );
}

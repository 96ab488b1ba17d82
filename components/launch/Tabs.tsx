import { type KeyboardEvent, type ReactNode, useId, useRef } from 'react';

export interface TabDef<K extends string> {
  key: K;
  label: string;
  render: () => ReactNode;
}

interface Props<K extends string> {
  label: string;
  tabs: readonly TabDef<K>[];
  selected: K;
  onSelect: (key: K) => void;
}

/** WAI-ARIA tabs: one tab stop, arrow keys / Home / End move between tabs (automatic activation). */
export function Tabs<K extends string>({ label, tabs, selected, onSelect }: Props<K>) {
  const baseId = useId();
  const refs = useRef(new Map<K, HTMLButtonElement>());
  const index = Math.max(
    0,
    tabs.findIndex((t) => t.key === selected),
  );

  const go = (next: number) => {
    const tab = tabs[(next + tabs.length) % tabs.length]!;
    onSelect(tab.key);
    refs.current.get(tab.key)?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const keys: Record<string, number> = {
      ArrowRight: index + 1,
      ArrowLeft: index - 1,
      Home: 0,
      End: tabs.length - 1,
    };
    if (event.key in keys) {
      event.preventDefault();
      go(keys[event.key]!);
    }
  };

  const current = tabs[index]!;
  return (
    <div className="sld-tabs">
      <div role="tablist" aria-label={label} onKeyDown={onKeyDown}>
        {tabs.map((tab) => (
          <button
            key={tab.key}
            type="button"
            role="tab"
            id={`${baseId}-tab-${tab.key}`}
            aria-selected={tab.key === current.key}
            aria-controls={`${baseId}-panel`}
            tabIndex={tab.key === current.key ? 0 : -1}
            ref={(el) => {
              if (el) refs.current.set(tab.key, el);
            }}
            onClick={() => onSelect(tab.key)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${baseId}-panel`} aria-labelledby={`${baseId}-tab-${current.key}`}>
        {current.render()}
      </div>
    </div>
  );
}

import { useState, type ReactNode } from 'react';

export interface Tab {
  id: string;
  label: ReactNode;
  render(): ReactNode;
}

/** Only the active tab is mounted, so a hidden 1,000-line log or trade table costs nothing. */
export function Tabs({ tabs, initial }: { tabs: Tab[]; initial?: string }) {
  const [active, setActive] = useState(initial ?? tabs[0].id);
  const current = tabs.find((t) => t.id === active) ?? tabs[0];
  return (
    <div className="tabs">
      <div className="tab-list" role="tablist">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={t.id === current.id}
            className={t.id === current.id ? 'tab is-active' : 'tab'}
            data-testid={`tab-${t.id}`}
            onClick={() => setActive(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="tab-panel" role="tabpanel">
        {current.render()}
      </div>
    </div>
  );
}

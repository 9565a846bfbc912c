import type { ReactNode } from 'react';

interface PanelProps {
  title: string;
  testId: string;
  /** right side of the header: counts, filters, actions */
  aside?: ReactNode;
  className?: string;
  children: ReactNode;
}

export function Panel({ title, testId, aside, className, children }: PanelProps) {
  return (
    <section className={`panel ${className ?? ''}`} data-testid={testId} aria-label={title}>
      <header className="panel-head">
        <h2>{title}</h2>
        {aside !== undefined && <div className="panel-aside">{aside}</div>}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}

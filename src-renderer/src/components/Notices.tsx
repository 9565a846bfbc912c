import { useDashboardStore } from '../stores/dashboard-context';

/** Toasts for failed actions and bot errors, top right. */
export function Notices() {
  const notices = useDashboardStore('notices', (s) => s.notices);
  const dismiss = useDashboardStore('notices', (s) => s.dismiss);
  if (!notices.length) return null;
  return (
    <div className="notices" role="status" data-testid="notices">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.kind}`}>
          <span>{n.text}</span>
          <button type="button" aria-label="Dismiss" onClick={() => dismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

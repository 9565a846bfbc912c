import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { LOG_LEVELS, type LogLevel, type LogRecord } from '../../../../src-shared/contract';
import { timeOfDay } from '../../components/format';
import { Panel } from '../../components/Panel';
import { useDashboardStore } from '../../stores/dashboard-context';

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
/** how close to the bottom still counts as "following" the tail */
const STICKY_PX = 24;

/** The extra fields of a record (trade_id, price…), as `key=value`. */
function extras(r: LogRecord): string {
  return Object.entries(r)
    .filter(([k]) => k !== 'ts' && k !== 'level' && k !== 'msg')
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' ');
}

const LogLine = memo(function LogLine({ r }: { r: LogRecord }) {
  const more = extras(r);
  return (
    <div className={`log-line log-${r.level}`} data-testid="log-line">
      <span className="log-ts">{timeOfDay(r.ts)}</span>
      <span className="log-level">{r.level.toUpperCase()}</span>
      <span className="log-msg">
        {r.msg}
        {more && <span className="log-extra"> {more}</span>}
      </span>
    </div>
  );
});

/** Live log tail; scrolling up stops the auto-scroll until the user jumps back to the newest line. */
export function LogTail() {
  const entries = useDashboardStore('logs', (s) => s.entries);
  const received = useDashboardStore('logs', (s) => s.received);
  const level = useDashboardStore('logs', (s) => s.level);
  const setLevel = useDashboardStore('logs', (s) => s.setLevel);
  const shown = useMemo(() => entries.filter((e) => RANK[e.record.level] >= RANK[level]), [entries, level]);
  const box = useRef<HTMLDivElement>(null);
  const [following, setFollowing] = useState(true);
  const [seenAt, setSeenAt] = useState(received);

  useLayoutEffect(() => {
    const el = box.current;
    if (el && following) el.scrollTop = el.scrollHeight;
  }, [shown, following]);
  useEffect(() => {
    if (following) setSeenAt(received);
  }, [following, received]);

  const onScroll = () => {
    const el = box.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= STICKY_PX;
    if (atBottom !== following) setFollowing(atBottom);
  };
  const unseen = following ? 0 : received - seenAt;

  return (
    <Panel
      title="Logs"
      testId="logs"
      className="logs-panel"
      aside={
        <label className="muted">
          Level{' '}
          <select value={level} onChange={(e) => setLevel(e.target.value as LogLevel)} data-testid="log-level">
            {LOG_LEVELS.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
      }
    >
      <div className="log-box" ref={box} onScroll={onScroll} data-testid="log-box" data-following={following}>
        {shown.length === 0 && <div className="empty">No log lines at this level yet</div>}
        {shown.map((e) => (
          <LogLine key={e.id} r={e.record} />
        ))}
      </div>
      {!following && (
        <button
          type="button"
          className="log-jump"
          data-testid="log-jump"
          onClick={() => {
            setFollowing(true);
          }}
        >
          Scrolling paused{unseen > 0 ? ` · ${unseen} new` : ''} · jump to latest ↓
        </button>
      )}
    </Panel>
  );
}

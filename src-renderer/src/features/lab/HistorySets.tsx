import type { HistorySet } from '../../../../src-shared/contract';
import { dateTime } from '../../components/format';
import { Panel } from '../../components/Panel';
import { useDashboardStore } from '../../stores/dashboard-context';

export const setKey = (s: Pick<HistorySet, 'symbol' | 'timeframe'>) => `${s.symbol} ${s.timeframe}`;

const day = (ms: number) => dateTime(ms).slice(0, 16);

/** The candle sets kept in the data directory, with their ranges and gaps; a click picks one for the forms. */
export function HistorySets({ chosen, onChoose }: { chosen: string | null; onChoose(set: HistorySet): void }) {
  const sets = useDashboardStore('lab', (s) => s.sets);
  return (
    <Panel title="Data sets" testId="lab-sets" aside={<span className="muted">{sets.length} kept</span>}>
      {sets.length === 0 ? (
        <div className="empty">No candles kept yet: download a market below (or import a candle file).</div>
      ) : (
        <div className="table-wrap">
          <table className="grid lab-sets">
            <thead>
              <tr>
                <th>Market</th>
                <th>Range</th>
                <th className="r">Candles</th>
                <th>Gaps</th>
              </tr>
            </thead>
            <tbody>
              {sets.map((s) => (
                <tr
                  key={`${s.exchange}:${setKey(s)}`}
                  data-testid="lab-set"
                  data-set={setKey(s)}
                  className={chosen === setKey(s) ? 'is-chosen' : ''}
                  onClick={() => onChoose(s)}
                  onKeyDown={(e) => e.key === 'Enter' && onChoose(s)}
                  tabIndex={0}
                  title="Use this set in the forms"
                >
                  <td>
                    <span className="lab-market">{s.symbol}</span> <span className="muted">{s.timeframe}</span>
                    <div className="muted small">{s.exchange}</div>
                  </td>
                  <td className="num muted small">
                    {day(s.from)}
                    <div>→ {day(s.to)}</div>
                  </td>
                  <td className="r num">{s.candles.toLocaleString('en-US')}</td>
                  <td data-testid="lab-set-gaps" data-gaps={s.gaps.length}>
                    {s.gaps.length === 0 ? (
                      <span className="up-soft">none</span>
                    ) : (
                      <details>
                        <summary className="down-soft" title={`${s.gaps.length} runs of missing candles`}>
                          {s.gaps.length}
                        </summary>
                        <ul className="gap-list">
                          {s.gaps.map((g) => (
                            <li key={g.from} className="num small">
                              {day(g.from)} → {day(g.to)}
                            </li>
                          ))}
                        </ul>
                      </details>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}

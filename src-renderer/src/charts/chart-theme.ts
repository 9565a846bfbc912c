import { ColorType, CrosshairMode, TickMarkType, type ChartOptions, type DeepPartial, type Time } from 'lightweight-charts';
import { dateTime } from '../components/format';

/** Same palette as styles.css (canvas cannot read CSS variables cheaply, so they are mirrored here). */
export const palette = {
  bg: '#0f1318',
  grid: '#1c232c',
  text: '#8a96a5',
  border: '#27303b',
  up: '#1fbf75',
  down: '#f0485a',
  accent: '#4aa3ff',
  entry: '#9aa7b6',
} as const;

const two = (n: number) => String(n).padStart(2, '0');
const asDate = (t: Time) => new Date((t as number) * 1000);

/** Local time on the axis and crosshair, like every table on the page (the library's default is UTC). */
function tickMark(t: Time, type: TickMarkType): string {
  const d = asDate(t);
  switch (type) {
    case TickMarkType.Year:
      return String(d.getFullYear());
    case TickMarkType.Month:
      return d.toLocaleString('en-US', { month: 'short' });
    case TickMarkType.DayOfMonth:
      return `${d.getDate()} ${d.toLocaleString('en-US', { month: 'short' })}`;
    default:
      return `${two(d.getHours())}:${two(d.getMinutes())}`;
  }
}

export const chartOptions: DeepPartial<ChartOptions> = {
  autoSize: true,
  layout: { background: { type: ColorType.Solid, color: palette.bg }, textColor: palette.text, fontSize: 11, attributionLogo: false },
  grid: { vertLines: { color: palette.grid }, horzLines: { color: palette.grid } },
  rightPriceScale: { borderColor: palette.border },
  timeScale: { borderColor: palette.border, timeVisible: true, secondsVisible: false, tickMarkFormatter: tickMark },
  localization: { timeFormatter: (t: Time) => dateTime(asDate(t).getTime()).slice(0, 16) },
  crosshair: { mode: CrosshairMode.Normal },
};

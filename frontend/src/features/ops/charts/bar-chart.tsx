import { formatNumber } from "../format";
import { colorOf } from "./colors";
import { niceMax, scale, type SeriesPoint } from "./scale";

const WIDTH = 320;
const HEIGHT = 160;
const AXIS = 28; // room for the axis figures on the left
const FOOT = 22; // room for the labels below

/**
 * Vertical bars of a `{label, value, color?, value2?}` series in SVG; a point's `value2` is drawn
 * as a second, lighter bar beside it (named `value2Name` in the description). Screen readers get
 * every figure in the image's label; a missing value draws no bar and reads "—".
 */
export function BarChart({
  title,
  series,
  unit = "",
  valueName,
  value2Name,
}: {
  title: string;
  series: readonly SeriesPoint[];
  unit?: string;
  valueName?: string;
  value2Name?: string;
}) {
  const paired = series.some((p) => typeof p.value2 === "number");
  const max = niceMax(series.flatMap((p) => [p.value, p.value2]));
  const plot = HEIGHT - FOOT;
  const slot = (WIDTH - AXIS) / Math.max(1, series.length);
  const barWidth = Math.max(4, Math.min(36, slot * (paired ? 0.36 : 0.6)));
  const figure = (v: number | null | undefined) => `${formatNumber(v)}${typeof v === "number" ? unit : ""}`;
  const description = `${title}: ${series
    .map((p) => `${p.label} ${valueName ? `${valueName} ` : ""}${figure(p.value)}${paired ? `, ${value2Name ?? "second"} ${figure(p.value2)}` : ""}`)
    .join("; ")}`;

  return (
    <svg className="chart bar-svg" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={description} preserveAspectRatio="xMidYMid meet">
      <line className="chart-axis" x1={AXIS} y1={plot} x2={WIDTH} y2={plot} />
      <text className="chart-tick" x={AXIS - 4} y={10} textAnchor="end">
        {formatNumber(max)}
      </text>
      <text className="chart-tick" x={AXIS - 4} y={plot} textAnchor="end">
        0
      </text>
      {series.map((point, i) => {
        const x = AXIS + i * slot + (slot - barWidth * (paired ? 2 : 1)) / 2;
        const h = scale(point.value, max, plot - 4);
        const h2 = scale(point.value2, max, plot - 4);
        return (
          <g key={`${point.label}-${i}`}>
            <rect x={x} y={plot - h} width={barWidth} height={h} rx={2} fill={colorOf(point.color, paired ? 0 : i)}>
              <title>{`${point.label}: ${figure(point.value)}`}</title>
            </rect>
            {paired && (
              <rect className="chart-second" x={x + barWidth} y={plot - h2} width={barWidth} height={h2} rx={2}>
                <title>{`${point.label}: ${figure(point.value2)}`}</title>
              </rect>
            )}
            <text className="chart-label" x={AXIS + i * slot + slot / 2} y={HEIGHT - 6} textAnchor="middle">
              {shorten(point.label, slot)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** A label cut to what fits its slot (about 6 px a character at this size). */
function shorten(label: string, slot: number): string {
  const fits = Math.max(3, Math.floor(slot / 6));
  return label.length > fits ? `${label.slice(0, fits - 1)}…` : label;
}

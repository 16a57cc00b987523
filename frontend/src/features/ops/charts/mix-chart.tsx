import { formatNumber } from "../format";
import { colorOf } from "./colors";
import { arcPath, slices, type SeriesPoint } from "./scale";

const SIZE = 120;
const R = 44;

/**
 * A mix (the shares of a whole) as a donut with its legend. The legend is text, so the figures
 * are read without the picture; an all-zero mix says so instead of drawing an empty ring.
 */
export function MixChart({ title, series }: { title: string; series: readonly SeriesPoint[] }) {
  const cut = slices(series.map((p) => p.value));
  const percentOf = new Map(cut.map((s) => [s.index, s.percent]));
  if (cut.length === 0) return <p className="notice">No data yet.</p>;
  return (
    <div className="mix-chart">
      <svg className="chart" viewBox={`0 0 ${SIZE} ${SIZE}`} width={SIZE} height={SIZE} aria-hidden="true" focusable="false">
        <circle className="chart-track" cx={SIZE / 2} cy={SIZE / 2} r={R} />
        {cut.map((slice) => (
          <path
            key={slice.index}
            d={arcPath(SIZE / 2, SIZE / 2, R, slice.start, slice.end)}
            stroke={colorOf(series[slice.index]?.color, slice.index)}
            className="chart-slice"
          />
        ))}
      </svg>
      <ul className="chart-legend" aria-label={title}>
        {series.map((point, i) => (
          <li key={`${point.label}-${i}`}>
            <span className="swatch" style={{ background: colorOf(point.color, i) }} aria-hidden="true" />
            <span className="legend-label">{point.label}</span>
            <span className="legend-value">
              {formatNumber(point.value)}
              {percentOf.has(i) && <span className="muted"> ({formatNumber(percentOf.get(i), 0)} %)</span>}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

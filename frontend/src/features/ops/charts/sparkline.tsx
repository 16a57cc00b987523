import { formatNumber } from "../format";
import { sparkRuns, type SeriesPoint } from "./scale";

const WIDTH = 120;
const HEIGHT = 32;

/** A small line of a series' values (the last one marked), described for screen readers. */
export function Sparkline({ title, series, unit = "" }: { title: string; series: readonly SeriesPoint[]; unit?: string }) {
  const values = series.map((p) => p.value);
  const runs = sparkRuns(values, WIDTH, HEIGHT, 3);
  const description = `${title}: ${series.map((p) => `${p.label} ${formatNumber(p.value)}${typeof p.value === "number" ? unit : ""}`).join(", ") || "no data yet"}`;
  const lastRun = runs[runs.length - 1]?.split(" ");
  const last = lastRun?.[lastRun.length - 1]?.split(",").map(Number);
  return (
    <svg className="chart sparkline" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={description} preserveAspectRatio="none">
      {runs.map((points, i) => (
        <polyline key={i} points={points} className="spark-line" />
      ))}
      {last && last.length === 2 && <circle cx={last[0]} cy={last[1]} r={2.5} className="spark-dot" />}
    </svg>
  );
}

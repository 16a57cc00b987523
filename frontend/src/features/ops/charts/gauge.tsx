import { formatPercent } from "../format";
import { arcPath, clampPercent } from "./scale";

const W = 120;
const H = 72;
const R = 48;
const CX = W / 2;
const CY = 60;

/**
 * A half-circle gauge of a 0–100 percentage (OEE and its factors), coloured by band: under
 * `warnBelow` it warns, under `dangerBelow` it alarms. A missing figure draws an empty arc and
 * reads "—".
 */
export function Gauge({ label, value, warnBelow = 85, dangerBelow = 65 }: { label: string; value: number | null | undefined; warnBelow?: number; dangerBelow?: number }) {
  const percent = clampPercent(value);
  const band = percent === null ? "none" : percent < dangerBelow ? "danger" : percent < warnBelow ? "warn" : "ok";
  const start = -Math.PI / 2;
  const text = formatPercent(value);
  return (
    <figure className="gauge" data-band={band}>
      <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${label}: ${text}`}>
        <path className="chart-track gauge-arc" d={arcPath(CX, CY, R, start, Math.PI / 2)} />
        {percent !== null && percent > 0 && <path className={`gauge-arc gauge-${band}`} d={arcPath(CX, CY, R, start, start + (percent / 100) * Math.PI)} />}
        <text className="gauge-value" x={CX} y={CY - 6} textAnchor="middle">
          {text}
        </text>
      </svg>
      <figcaption>{label}</figcaption>
    </figure>
  );
}

/** One bar: its label and value. */
export interface Bar {
  key: string;
  label: string;
  value: number;
}

/**
 * A horizontal bar chart in plain HTML and CSS (no chart library to ship). Screen readers get the
 * figures as one description (`role="img"`), sighted users the bars with their numbers.
 */
export function BarChart({ title, bars, unit = "" }: { title: string; bars: readonly Bar[]; unit?: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const description = `${title}: ${bars.map((b) => `${b.label} ${b.value}${unit}`).join(", ")}`;
  return (
    <div className="bar-chart" role="img" aria-label={description}>
      {bars.map((bar) => (
        <div key={bar.key} className={`bar-row bar-${bar.key}`} aria-hidden="true">
          <span className="bar-label">{bar.label}</span>
          <span className="bar-track">
            <span className="bar-fill" style={{ width: `${(bar.value / max) * 100}%` }} />
          </span>
          <span className="bar-value">
            {bar.value}
            {unit}
          </span>
        </div>
      ))}
    </div>
  );
}

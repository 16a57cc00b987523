// Small pieces every plant screen uses: a status badge, a figure card, metric tiles.
import type { ReactNode } from "react";
import { formatValue, toneOf } from "./format";
import type { SystemMetric } from "./types";

/** A status word as a badge coloured by its tone (the word is always shown: colour is not the only cue). */
export function StatusBadge({ status, testId }: { status: string | null | undefined; testId?: string }) {
  const text = status ?? "—";
  return (
    <span className={`badge ops-badge tone-${toneOf(status)}`} data-status={status ?? ""} data-testid={testId}>
      {text}
    </span>
  );
}

/** A key figure: its label, its value ("—" when missing), and an optional line under it. */
export function FigureCard({ label, value, note, testId, tone }: { label: string; value: ReactNode; note?: ReactNode; testId?: string; tone?: string }) {
  return (
    <div className={`card ops-figure${tone ? ` tone-${tone}` : ""}`}>
      <div className="ops-figure-label">{label}</div>
      <div className="ops-figure-value" data-testid={testId}>
        {value}
      </div>
      {note && <div className="ops-figure-note">{note}</div>}
    </div>
  );
}

/** Metric tiles (`SystemMetric`): label, value, and its status as a badge. */
export function MetricTiles({ metrics, label }: { metrics: readonly SystemMetric[]; label: string }) {
  if (metrics.length === 0) return <p className="notice">No data yet.</p>;
  return (
    <ul className="ops-tiles" aria-label={label}>
      {metrics.map((metric) => (
        <li key={metric.label} className={`card ops-figure tone-${toneOf(metric.status)}`}>
          <div className="ops-figure-label">{metric.label}</div>
          <div className="ops-figure-value">{formatValue(metric.value)}</div>
          <StatusBadge status={metric.status} />
        </li>
      ))}
    </ul>
  );
}

/** A titled card section (`h2` labelling it). */
export function Panel({ id, title, children, actions }: { id: string; title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="card ops-panel" aria-labelledby={id}>
      <div className="ops-panel-head">
        <h2 id={id}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** A role label list (`roles[]`, `targetRoles[]`) as small chips. */
export function RoleChips({ roles }: { roles: readonly string[] | null | undefined }) {
  if (!roles || roles.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="ops-chips" aria-label="Roles">
      {roles.map((role) => (
        <li key={role} className="ops-chip">
          {role}
        </li>
      ))}
    </ul>
  );
}

import { Link } from "react-router-dom";
import { Page } from "@/components/page";
import { QueryState } from "@/components/states";
import { useRunbooks } from "./api";
import { formatDateTime, formatPercent, formatValue } from "./format";
import type { RunbookSummary } from "./types";
import { RoleChips, StatusBadge } from "./widgets";
import "./ops.css";

/** Every runbook's state at a glance, each opening its detail. */
export function ControlTowerPage() {
  const runbooks = useRunbooks();
  return (
    <Page title="Control tower">
      <QueryState query={runbooks} isEmpty={(list) => list.length === 0} empty="No data yet: the plant has no runbook.">
        {(list) => (
          <ul className="ops-grid ops-cards" aria-label="Runbooks">
            {list.map((runbook) => (
              <RunbookCard key={runbook.id} runbook={runbook} />
            ))}
          </ul>
        )}
      </QueryState>
    </Page>
  );
}

function RunbookCard({ runbook }: { runbook: RunbookSummary }) {
  const titleId = `runbook-${runbook.id}-title`;
  return (
    <li className="card" data-testid="runbook-card">
      <div className="ops-panel-head">
        <h2 id={titleId}>
          <Link to={`/ops/runbooks/${encodeURIComponent(runbook.id)}`}>{runbook.title}</Link>
        </h2>
        <StatusBadge status={runbook.status} />
      </div>
      <dl className="ops-dl">
        <div>
          <dt>Current stage</dt>
          <dd>{formatValue(runbook.currentStage)}</dd>
        </div>
        <div>
          <dt>Range</dt>
          <dd>{formatValue(runbook.range)}</dd>
        </div>
        <div>
          <dt>Progress</dt>
          <dd>
            {formatPercent(runbook.progress, 0)}
            {typeof runbook.progress === "number" && (
              <progress className="ops-progress" max={100} value={runbook.progress} aria-label={`${runbook.title} progress`} />
            )}
          </dd>
        </div>
        <div>
          <dt>Last update</dt>
          <dd>{formatDateTime(runbook.lastUpdate)}</dd>
        </div>
      </dl>
      {runbook.blockReason && (
        <p className="stage-exception">
          <strong>Blocked by:</strong> {runbook.blockReason}
        </p>
      )}
      <RoleChips roles={runbook.roles} />
    </li>
  );
}

import { QueryState } from "@/components/states";
import type { PlantDashboardRole } from "@/lib/roles";
import { useRoleAttention, useRoleSummary } from "./api";
import { ChartPanel } from "./charts/panels";
import { formatValue } from "./format";
import type { AttentionItem, RoleSummary } from "./types";
import { MetricTiles, Panel, RoleChips, StatusBadge } from "./widgets";

/** One role's view of the plant: its cards, what only it sees, and what needs its attention. */
export function RoleView({ role }: { role: PlantDashboardRole }) {
  const summary = useRoleSummary(role);
  const attention = useRoleAttention(role);
  return (
    <div className={summary.isPlaceholderData ? "is-refreshing" : undefined}>
      <QueryState query={summary}>
        {(data) => (
          <>
            <p className="muted">{data.title}</p>
            <MetricTiles metrics={data.cards} label={`${data.title} figures`} />
            <RoleExtras summary={data} />
          </>
        )}
      </QueryState>
      <Panel id="attention-title" title="Needs attention">
        <QueryState query={attention} isEmpty={(items) => items.length === 0} empty="Nothing needs attention.">
          {(items) => <AttentionList items={items} />}
        </QueryState>
      </Panel>
    </div>
  );
}

/** The supervisor's approvals, the auditor's strip, the plant head's bottleneck (whichever the view has). */
function RoleExtras({ summary }: { summary: RoleSummary }) {
  return (
    <>
      {(summary.role === "auditor" || summary.strip.length > 0) && (
        <Panel id="strip-title" title="Audit strip">
          <MetricTiles metrics={summary.strip} label="Audit strip" />
        </Panel>
      )}
      {(summary.role === "supervisor" || summary.approvals.length > 0) && (
        <Panel id="approvals-title" title="Approvals">
          {summary.approvals.length === 0 ? (
            <p className="notice">No data yet.</p>
          ) : (
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Context</th>
                    <th scope="col">Stage</th>
                    <th scope="col">Reason</th>
                    <th scope="col">Age</th>
                    <th scope="col">Owner</th>
                  </tr>
                </thead>
                <tbody>
                  {summary.approvals.map((a, i) => (
                    <tr key={`${a.context}-${a.stage}-${i}`}>
                      <td>{a.context}</td>
                      <td>{a.stage}</td>
                      <td>{formatValue(a.reason)}</td>
                      <td>{formatValue(a.age)}</td>
                      <td>{formatValue(a.owner)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
      )}
      {(summary.role === "plant-head" || summary.bottleneck.length > 0) && <ChartPanel id="bottleneck-title" title="Bottleneck by stage" series={summary.bottleneck} valueName="WIP" />}
    </>
  );
}

function AttentionList({ items }: { items: readonly AttentionItem[] }) {
  return (
    <ul className="ops-list" data-testid="attention-list">
      {items.map((item) => (
        <li key={item.id} className="ops-row">
          <StatusBadge status={item.type} />
          <span className="grow">
            <strong>{item.title}</strong>
            <br />
            <span className="muted">
              {formatValue(item.location)} · {formatValue(item.age)}
            </span>
          </span>
          <RoleChips roles={item.targetRoles} />
        </li>
      ))}
    </ul>
  );
}

import { useSearchParams } from "react-router-dom";
import { TextField } from "@/components/field";
import { Page } from "@/components/page";
import { QueryState } from "@/components/states";
import { PRIORITIES, priorityLabel, STATUSES, statusLabel } from "@/components/task-labels";
import { useTaskStats } from "./api";
import { BarChart } from "./bar-chart";
import "./dashboard.css";

/** Task statistics over an optional date range (kept in the URL): totals, statuses, priorities, durations. */
export function DashboardPage() {
  const [params, setParams] = useSearchParams();
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  const stats = useTaskStats(from, to);

  const setRange = (key: "from" | "to", value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  return (
    <Page title="Dashboard">
      <form className="card dashboard-range" aria-label="Date range" onSubmit={(e) => e.preventDefault()}>
        <TextField label="Scheduled from" type="date" value={from} max={to || undefined} onChange={(e) => setRange("from", e.target.value)} />
        <TextField label="Scheduled to" type="date" value={to} min={from || undefined} onChange={(e) => setRange("to", e.target.value)} />
        {(from || to) && (
          <button type="button" className="button" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
            All dates
          </button>
        )}
      </form>
      <QueryState query={stats}>
        {(data) => (
          <div aria-busy={stats.isFetching} className="dashboard">
            <div className="grid kpis">
              <Kpi label="Tasks" value={data.total} testId="stat-total" />
              <Kpi label="Completed" value={data.completed} testId="stat-completed" />
              <Kpi label="Completion rate" value={`${data.completion_rate.toFixed(1)} %`} testId="stat-completion-rate" />
              <Kpi label="Overdue" value={data.overdue} testId="stat-overdue" warn={data.overdue > 0} />
            </div>
            {data.total === 0 ? (
              <p className="card notice">No task is scheduled {from || to ? "in this range" : "yet"}.</p>
            ) : (
              <div className="dashboard-charts">
                <section className="card" aria-labelledby="by-status-title">
                  <h2 id="by-status-title">Tasks by status</h2>
                  <BarChart
                    title="Tasks by status"
                    bars={STATUSES.map((s) => ({ key: s, label: statusLabel(s), value: data.by_status[s] ?? 0 }))}
                  />
                </section>
                <section className="card" aria-labelledby="by-priority-title">
                  <h2 id="by-priority-title">Tasks by priority</h2>
                  <BarChart
                    title="Tasks by priority"
                    bars={PRIORITIES.map((p) => ({ key: p, label: priorityLabel(p), value: data.by_priority[p] ?? 0 }))}
                  />
                </section>
                <section className="card" aria-labelledby="durations-title">
                  <h2 id="durations-title">Average duration by status</h2>
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Status</th>
                        <th scope="col">Average (minutes)</th>
                      </tr>
                    </thead>
                    <tbody>
                      {STATUSES.filter((s) => data.average_duration_by_status[s] != null).map((s) => (
                        <tr key={s}>
                          <td>{statusLabel(s)}</td>
                          <td>{Math.round(data.average_duration_by_status[s] ?? 0)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  {STATUSES.every((s) => data.average_duration_by_status[s] == null) && (
                    <p className="notice">No task has a recorded duration yet.</p>
                  )}
                </section>
              </div>
            )}
          </div>
        )}
      </QueryState>
    </Page>
  );
}

function Kpi({ label, value, testId, warn = false }: { label: string; value: number | string; testId: string; warn?: boolean }) {
  return (
    <div className={`card kpi${warn ? " kpi-warn" : ""}`}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value" data-testid={testId}>
        {value}
      </div>
    </div>
  );
}

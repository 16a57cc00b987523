import { Link } from "react-router-dom";
import { Page } from "@/components/page";
import { QueryState } from "@/components/states";
import { useLiveLines, useLiveOperations, useLiveSummary } from "./api";
import { formatDateTime, formatNumber, formatValue } from "./format";
import { FigureCard, MetricTiles, Panel, StatusBadge } from "./widgets";
import "./ops.css";

/** The plant now: health tiles, operations running or blocked, every line with its stations. */
export function LiveStatusPage() {
  const summary = useLiveSummary();
  const operations = useLiveOperations();
  const lines = useLiveLines();
  return (
    <Page title="Live status">
      <QueryState query={summary}>{(metrics) => <MetricTiles metrics={metrics} label="Plant health" />}</QueryState>
      <Panel id="operations-title" title="Operations">
        <QueryState query={operations}>
          {(data) => (
            <>
              <div className="ops-figures">
                <FigureCard label="Running" value={formatNumber(data.running, 0)} testId="live-running" tone="ok" />
                <FigureCard label="Blocked" value={formatNumber(data.blocked, 0)} testId="live-blocked" tone={data.blocked ? "danger" : undefined} />
                <FigureCard label="Idle" value={formatNumber(data.idle, 0)} />
              </div>
              {data.operations.length === 0 ? (
                <p className="notice">No data yet.</p>
              ) : (
                <div className="table-scroll">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Operation</th>
                        <th scope="col">Stage</th>
                        <th scope="col">Status</th>
                        <th scope="col">Reason</th>
                        <th scope="col">Last update</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.operations.map((op) => (
                        <tr key={op.id}>
                          <td>
                            <Link to={`/ops/runbooks/${encodeURIComponent(op.id)}`}>{op.name}</Link>
                          </td>
                          <td>{formatValue(op.stage)}</td>
                          <td>
                            <StatusBadge status={op.status} />
                          </td>
                          <td>{formatValue(op.reason)}</td>
                          <td>{formatDateTime(op.lastUpdate)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </>
          )}
        </QueryState>
      </Panel>
      <Panel id="lines-title" title="Lines">
        <QueryState query={lines} isEmpty={(list) => list.length === 0} empty="No data yet: the plant has no line.">
          {(list) => (
            <ul className="ops-list">
              {list.map((line) => (
                <li key={line.id}>
                  <div className="ops-row">
                    <Link to={`/ops/lines/${encodeURIComponent(line.id)}`} className="grow">
                      {line.name}
                    </Link>
                    <StatusBadge status={line.mode} />
                  </div>
                  <ul className="ops-chips" aria-label={`${line.name} stations`}>
                    {line.stations.map((station) => (
                      <li key={station.id} className="ops-chip">
                        {station.id}: <StatusBadge status={station.status} />
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          )}
        </QueryState>
      </Panel>
    </Page>
  );
}

import { Link } from "react-router-dom";
import { Page } from "@/components/page";
import { QueryState } from "@/components/states";
import { useLines } from "./api";
import { formatDateTime, formatValue } from "./format";
import { StatusBadge } from "./widgets";
import "./ops.css";

/** The production lines: mode, health, the runbook they serve, their stations. */
export function LinesPage() {
  const lines = useLines();
  return (
    <Page title="Lines">
      <QueryState query={lines} isEmpty={(list) => list.length === 0} empty="No data yet: the plant has no line.">
        {(list) => (
          <div className="table-scroll">
            <table data-testid="lines-table">
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Type</th>
                  <th scope="col">Mode</th>
                  <th scope="col">Health</th>
                  <th scope="col">Runbook</th>
                  <th scope="col" className="numeric">
                    Stations
                  </th>
                  <th scope="col">Last update</th>
                </tr>
              </thead>
              <tbody>
                {list.map((line) => (
                  <tr key={line.id}>
                    <td>
                      <Link to={`/ops/lines/${encodeURIComponent(line.id)}`}>{line.name}</Link>
                    </td>
                    <td>{formatValue(line.type)}</td>
                    <td>
                      <StatusBadge status={line.mode} />
                    </td>
                    <td>
                      <StatusBadge status={line.health} />
                    </td>
                    <td>{line.runbookRef ? <Link to={`/ops/runbooks/${encodeURIComponent(line.runbookRef)}`}>{line.runbookRef}</Link> : "—"}</td>
                    <td className="numeric">{line.stations.length}</td>
                    <td>{formatDateTime(line.lastUpdate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
    </Page>
  );
}

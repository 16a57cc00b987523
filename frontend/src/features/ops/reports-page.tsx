import { useSearchParams } from "react-router-dom";
import { Page } from "@/components/page";
import { QueryState } from "@/components/states";
import { useReportPreview, useReports } from "./api";
import { formatDateTime, formatValue } from "./format";
import { MetricTiles, Panel } from "./widgets";
import "./ops.css";

/** The report templates; the chosen one (in the URL) shows its preview: summary figures and a table. */
export function ReportsPage() {
  const [params, setParams] = useSearchParams();
  const selected = params.get("report");
  const reports = useReports();
  const choose = (id: string) => setParams(id === selected ? new URLSearchParams() : new URLSearchParams({ report: id }), { replace: true });

  return (
    <Page title="Reports">
      <QueryState query={reports} isEmpty={(list) => list.length === 0} empty="No data yet: no report is available.">
        {(list) => (
          <ul className="ops-grid ops-cards ops-section" aria-label="Reports">
            {list.map((tile) => (
              <li key={tile.id} className="card" data-testid="report-tile">
                <h2>{tile.title}</h2>
                <p>{tile.description}</p>
                <p className="muted">Owner: {formatValue(tile.owner)}</p>
                <button type="button" className="button" aria-pressed={tile.id === selected} onClick={() => choose(tile.id)}>
                  {tile.id === selected ? "Hide the preview" : "Preview"}
                </button>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
      {selected && <ReportPreviewPanel id={selected} />}
    </Page>
  );
}

function ReportPreviewPanel({ id }: { id: string }) {
  const preview = useReportPreview(id);
  return (
    <Panel id="preview-title" title={preview.data ? `Preview: ${preview.data.title}` : "Preview"}>
      <QueryState query={preview}>
        {(data) => (
          <div data-testid="report-preview">
            <p className="muted">Generated {formatDateTime(data.generatedAt)}</p>
            <MetricTiles metrics={data.summary} label="Summary" />
            {data.rows.length === 0 ? (
              <p className="notice">No data yet.</p>
            ) : (
              <div className="table-scroll">
                <table>
                  <thead>
                    <tr>
                      {data.columns.map((column) => (
                        <th key={column} scope="col">
                          {column}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {data.rows.map((row, i) => (
                      <tr key={i}>
                        {data.columns.map((column, j) => (
                          <td key={column}>{formatValue(row[j])}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        )}
      </QueryState>
    </Panel>
  );
}

import { Page } from "@/components/page";
import { QueryState } from "@/components/states";
import { useCompliance } from "./api";
import { formatDateTime, formatNumber, formatPercent, formatValue } from "./format";
import { FigureCard, Panel, StatusBadge } from "./widgets";
import "./ops.css";

/** Passport compliance: the packs ready for Battery Aadhaar, the EU passport and EPR; the failing fields, the risks, the audit trail. */
export function CompliancePage() {
  const compliance = useCompliance();
  return (
    <Page title="Compliance">
      <QueryState query={compliance}>
        {(data) => (
          <>
            <div className="ops-figures" aria-label="Compliance figures">
              <FigureCard label="Total manufactured" value={formatNumber(data.kpis.totalManufactured, 0)} testId="compliance-total" />
              <FigureCard label="Aadhaar ready" value={formatPercent(data.kpis.aadhaarReady)} testId="compliance-aadhaar" />
              <FigureCard label="EU passport ready" value={formatPercent(data.kpis.euPassportReady)} testId="compliance-eu" />
              <FigureCard label="EPR eligible" value={formatNumber(data.kpis.eprEligible, 0)} />
              <FigureCard label="Risks" value={formatNumber(data.kpis.riskCount, 0)} tone={data.kpis.riskCount ? "danger" : undefined} />
            </div>
            <div className="ops-grid ops-section">
              <Panel id="failed-title" title="Failing fields">
                {data.failedFields.length === 0 ? (
                  <p className="notice">No data yet.</p>
                ) : (
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Field</th>
                        <th scope="col" className="numeric">
                          Packs
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.failedFields.map((f) => (
                        <tr key={f.field}>
                          <td>{f.field}</td>
                          <td className="numeric">{formatNumber(f.count, 0)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </Panel>
              <Panel id="risks-title" title="Risks">
                {data.risks.length === 0 ? (
                  <p className="notice">No data yet.</p>
                ) : (
                  <ul className="ops-list" data-testid="compliance-risks">
                    {data.risks.map((risk) => (
                      <li key={risk.id} className="ops-row">
                        <StatusBadge status={risk.severity} />
                        <span className="sop">{risk.packId}</span>
                        <span className="grow">{risk.issue}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </Panel>
            </div>
            <Panel id="trail-title" title="Audit trail">
              {data.auditTrail.length === 0 ? (
                <p className="notice">No data yet.</p>
              ) : (
                <div className="table-scroll">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Stage</th>
                        <th scope="col">Event</th>
                        <th scope="col">Time</th>
                        <th scope="col">Actor</th>
                        <th scope="col">Status</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.auditTrail.map((entry, i) => (
                        <tr key={`${entry.timestamp}-${i}`}>
                          <td>{entry.stage}</td>
                          <td>{entry.event}</td>
                          <td>{formatDateTime(entry.timestamp)}</td>
                          <td>{formatValue(entry.actor)}</td>
                          <td>
                            <StatusBadge status={entry.status} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </Panel>
          </>
        )}
      </QueryState>
    </Page>
  );
}

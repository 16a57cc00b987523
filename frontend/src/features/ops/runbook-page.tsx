import { Link, useParams } from "react-router-dom";
import { useSession } from "@/api/provider";
import { Page } from "@/components/page";
import { QueryState } from "@/components/states";
import { isPlantWriter } from "@/lib/roles";
import { useRunbook } from "./api";
import { formatDateTime, formatValue } from "./format";
import { currentStageId } from "./runbook-flow";
import { StageCard } from "./stage-card";
import { Panel, StatusBadge } from "./widgets";
import "./ops.css";

/** One runbook: what it is for, who holds it, and its stages in SOP order with their gates and exceptions. */
export function RunbookPage() {
  const { id = "" } = useParams();
  const runbook = useRunbook(id);
  const role = useSession()?.user.role;
  const canWrite = Boolean(role && isPlantWriter(role));
  return (
    <Page title={runbook.data?.title ?? "Runbook"} actions={<Link to="/ops/control-tower">Back to the control tower</Link>}>
      <QueryState query={runbook}>
        {(data) => {
          const current = currentStageId(data);
          return (
            <>
            <div className="card ops-row">
              <span>
                Status: <StatusBadge status={data.status} testId="runbook-status" />
              </span>
              <span className="sop">{formatValue(data.range)}</span>
              <span className="grow">{data.purpose}</span>
            </div>
            {(data.custody || data.warrantyContext) && (
              <div className="ops-grid ops-section">
                {data.custody && (
                  <Panel id="custody-title" title="Custody">
                    <dl className="ops-dl">
                      <div>
                        <dt>Custodian</dt>
                        <dd>{data.custody.custodian}</dd>
                      </div>
                      <div>
                        <dt>Since</dt>
                        <dd>{formatDateTime(data.custody.since)}</dd>
                      </div>
                    </dl>
                    <h3>Responsibilities</h3>
                    <ItemList items={data.custody.responsibilities} />
                  </Panel>
                )}
                {data.warrantyContext && (
                  <Panel id="warranty-title" title="Warranty context" actions={<StatusBadge status={data.warrantyContext.status} />}>
                    <p>{data.warrantyContext.entity}</p>
                    <h3>Liabilities</h3>
                    <ItemList items={data.warrantyContext.liabilities} />
                  </Panel>
                )}
              </div>
            )}
            <section aria-labelledby="stages-title">
              <h2 id="stages-title">Stages</h2>
              {data.stages.length === 0 ? (
                <p className="notice">No data yet.</p>
              ) : (
                <ol className="timeline" data-testid="stage-timeline">
                  {data.stages.map((stage) => (
                    <li key={stage.id} className={`stage-${stage.status.replace(/\s+/g, "")}${stage.id === current ? " is-current" : ""}`}>
                      <StageCard runbookId={data.id} stage={stage} current={stage.id === current} canWrite={canWrite} />
                    </li>
                  ))}
                </ol>
              )}
            </section>
            </>
          );
        }}
      </QueryState>
    </Page>
  );
}

function ItemList({ items }: { items: readonly string[] }) {
  if (items.length === 0) return <p className="notice">None.</p>;
  return (
    <ul>
      {items.map((item) => (
        <li key={item}>{item}</li>
      ))}
    </ul>
  );
}

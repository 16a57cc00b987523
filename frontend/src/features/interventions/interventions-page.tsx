import { useState } from "react";
import { Link } from "react-router-dom";
import { Page } from "@/components/page";
import { Pager } from "@/components/pager";
import { QueryState } from "@/components/states";
import { useInterventions } from "./api";

const PAGE = 50;

/** Interventions, latest started first; the active ones by default. */
export function InterventionsPage() {
  const [activeOnly, setActiveOnly] = useState(true);
  const [offset, setOffset] = useState(0);
  const list = useInterventions({ active: activeOnly || undefined, limit: PAGE, offset });
  return (
    <Page title="Interventions">
      <label className="check">
        <input
          type="checkbox"
          checked={activeOnly}
          onChange={(e) => {
            setActiveOnly(e.target.checked);
            setOffset(0);
          }}
        />{" "}
        Active only
      </label>
      <QueryState query={list} isEmpty={(page) => page.items.length === 0} empty="No interventions.">
        {(page) => (
          <>
            <table className="table">
              <thead>
                <tr>
                  <th>Vehicle</th>
                  <th>Task</th>
                  <th>Client</th>
                  <th>Technician</th>
                  <th>Status</th>
                  <th>Progress</th>
                  <th>Started</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((i) => (
                  <tr key={i.id}>
                    <td>
                      <Link to={`/interventions/${i.id}`}>{i.vehicle_plate}</Link>
                    </td>
                    <td>{i.task_number}</td>
                    <td>{i.client_name ?? "–"}</td>
                    <td>{i.technician_name ?? "–"}</td>
                    <td>{i.status.replace("_", " ")}</td>
                    <td>{i.completion_percentage}%</td>
                    <td>{i.started_at ? new Date(i.started_at).toLocaleString() : "–"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager total={page.total} limit={PAGE} offset={offset} onOffset={setOffset} />
          </>
        )}
      </QueryState>
    </Page>
  );
}

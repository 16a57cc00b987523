import { useSearchParams } from "react-router-dom";
import { SelectField } from "@/components/field";
import { Page } from "@/components/page";
import { QueryState } from "@/components/states";
import { useExceptions, type OpsExceptionQuery } from "./api";
import { ExceptionDetailPanel } from "./exception-detail";
import { formatValue } from "./format";
import { EXCEPTION_STATUSES, filterOptions, oneOf, SEVERITIES } from "./labels";
import type { Exception } from "./types";
import { StatusBadge } from "./widgets";
import "./ops.css";

/** The exception board: the list (status and severity filters, in the URL) beside the selected one's detail. */
export function ExceptionsPage() {
  const [params, setParams] = useSearchParams();
  const status = oneOf(EXCEPTION_STATUSES, params.get("status"));
  const severity = oneOf(SEVERITIES, params.get("severity"));
  const selected = params.get("id");
  const query: OpsExceptionQuery = { ...(status ? { status } : {}), ...(severity ? { severity } : {}) };
  const exceptions = useExceptions(query);

  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  return (
    <Page title="Exceptions">
      <form className="card ops-toolbar" aria-label="Filter exceptions" onSubmit={(e) => e.preventDefault()}>
        <SelectField label="Status" value={status} onChange={(e) => set("status", e.target.value)} options={filterOptions("Any status", EXCEPTION_STATUSES)} />
        <SelectField label="Severity" value={severity} onChange={(e) => set("severity", e.target.value)} options={filterOptions("Any severity", SEVERITIES)} />
      </form>
      <div className="board">
        <section className="card" aria-labelledby="board-title">
          <h2 id="board-title">Board</h2>
          <QueryState query={exceptions} isEmpty={(list) => list.length === 0} empty={status || severity ? "No exception matches these filters." : "No data yet: no exception has been raised."}>
            {(list) => <ExceptionTable list={list} selected={selected} onSelect={(id) => set("id", id)} />}
          </QueryState>
        </section>
        <section className="card" aria-labelledby="exception-title">
          {selected ? (
            <ExceptionDetailPanel key={selected} id={selected} />
          ) : (
            <>
              <h2 id="exception-title">Exception</h2>
              <p className="notice">Choose an exception on the board to see its detail.</p>
            </>
          )}
        </section>
      </div>
    </Page>
  );
}

function ExceptionTable({ list, selected, onSelect }: { list: readonly Exception[]; selected: string | null; onSelect: (id: string) => void }) {
  return (
    <div className="table-scroll">
      <table data-testid="exceptions-table">
        <thead>
          <tr>
            <th scope="col">Id</th>
            <th scope="col">Type</th>
            <th scope="col">Runbook</th>
            <th scope="col">Stage</th>
            <th scope="col">Severity</th>
            <th scope="col">Status</th>
            <th scope="col">Age</th>
          </tr>
        </thead>
        <tbody>
          {list.map((ex) => (
            <tr key={ex.id} className={ex.id === selected ? "is-selected" : undefined} data-testid="exception-row">
              <td>
                <button type="button" className="link-button" aria-current={ex.id === selected ? "true" : undefined} onClick={() => onSelect(ex.id)}>
                  {ex.id}
                </button>
              </td>
              <td>{ex.type}</td>
              <td>{ex.runbook}</td>
              <td>{ex.stage}</td>
              <td>
                <StatusBadge status={ex.severity} />
              </td>
              <td>
                <StatusBadge status={ex.status} />
              </td>
              <td>{formatValue(ex.age)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

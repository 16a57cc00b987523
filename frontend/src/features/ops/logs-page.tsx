import { useEffect, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router-dom";
import { FormLevelError, SelectField, TextField } from "@/components/field";
import { Page } from "@/components/page";
import { Pager } from "@/components/pager";
import { Empty, QueryState } from "@/components/states";
import { useLogs, useVerifyLogs } from "./api";
import { readLogFilters, toLogQuery, writeLogFilters, type LogFilters } from "./filters";
import { formatDateTime, formatNumber } from "./format";
import { filterOptions, LOG_CATEGORIES, LOG_SEVERITIES } from "./labels";
import type { LogCategory, LogEntry, LogSeverity } from "./types";
import { StatusBadge } from "./widgets";
import "./ops.css";

/** The plant's append-only log, newest first, filtered and paged; and a check of its hash chain. */
export function LogsPage() {
  const [params, setParams] = useSearchParams();
  const filters = readLogFilters(params);
  const logs = useLogs(toLogQuery(filters));
  const update = (next: LogFilters) => setParams(writeLogFilters(next), { replace: true });
  const filtered = Boolean(filters.category || filters.severity || filters.from || filters.to || filters.search);

  return (
    <Page title="Logs" actions={<VerifyChain />}>
      <LogFilterForm filters={filters} onChange={update} />
      <QueryState query={logs} isEmpty={(page) => page.total === 0} empty={filtered ? "No entry matches these filters." : "No data yet: nothing has been logged."}>
        {(page) => (
          <div className={logs.isPlaceholderData ? "is-refreshing" : undefined}>
            {page.items.length === 0 ? <Empty>No entries on this page.</Empty> : <LogTable entries={page.items} />}
            <Pager total={page.total} limit={page.limit} offset={page.offset} onOffset={(offset) => update({ ...filters, offset })} />
          </div>
        )}
      </QueryState>
    </Page>
  );
}

/** "Verify chain": the server recomputes every row's hash and names the first wrong one. */
function VerifyChain() {
  const verify = useVerifyLogs();
  const result = verify.data;
  return (
    <div className="ops-row">
      <button type="button" className="button" disabled={verify.isPending} onClick={() => verify.mutate()}>
        {verify.isPending ? "Verifying…" : "Verify chain"}
      </button>
      <span role="status" data-testid="chain-result">
        {result &&
          (result.valid ? (
            <span className="badge ops-badge tone-ok">Chain intact: {formatNumber(result.checked, 0)} rows checked</span>
          ) : (
            <span className="badge ops-badge tone-danger">
              Chain broken at row {result.firstBad?.seq ?? "?"}
              {result.firstBad ? ` (${result.firstBad.id}): ${result.firstBad.reason}` : ""}
            </span>
          ))}
      </span>
      <FormLevelError error={verify.error} shown={[]} />
    </div>
  );
}

function LogFilterForm({ filters, onChange }: { filters: LogFilters; onChange: (f: LogFilters) => void }) {
  const [search, setSearch] = useState(filters.search);
  useEffect(() => setSearch(filters.search), [filters.search]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange({ ...filters, search, offset: 0 });
  };
  return (
    <form className="card ops-toolbar" role="search" aria-label="Filter the log" onSubmit={submit}>
      <SelectField label="Category" value={filters.category} onChange={(e) => onChange({ ...filters, category: e.target.value as LogCategory | "", offset: 0 })} options={filterOptions("Any category", LOG_CATEGORIES)} />
      <SelectField label="Severity" value={filters.severity} onChange={(e) => onChange({ ...filters, severity: e.target.value as LogSeverity | "", offset: 0 })} options={filterOptions("Any severity", LOG_SEVERITIES)} />
      <TextField label="From" type="datetime-local" value={filters.from} max={filters.to || undefined} onChange={(e) => onChange({ ...filters, from: e.target.value, offset: 0 })} />
      <TextField label="To" type="datetime-local" value={filters.to} min={filters.from || undefined} onChange={(e) => onChange({ ...filters, to: e.target.value, offset: 0 })} />
      <div className="field grow">
        <label htmlFor="log-search">Search</label>
        <div className="inline-inputs">
          <input id="log-search" type="search" placeholder="Event, entity or actor" value={search} onChange={(e) => setSearch(e.target.value)} />
          <button type="submit" className="button">
            Search
          </button>
        </div>
      </div>
    </form>
  );
}

function LogTable({ entries }: { entries: readonly LogEntry[] }) {
  return (
    <div className="table-scroll">
      <table data-testid="log-table">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Category</th>
            <th scope="col">Severity</th>
            <th scope="col">Event</th>
            <th scope="col">Entity</th>
            <th scope="col">Actor</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id}>
              <td>{formatDateTime(entry.timestamp)}</td>
              <td>{entry.category}</td>
              <td>
                <StatusBadge status={entry.severity} />
              </td>
              <td>{entry.event}</td>
              <td>{entry.entity}</td>
              <td>{entry.actor}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

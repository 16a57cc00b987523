import { useEffect, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { useSession } from "@/api/provider";
import { SelectField, TextField } from "@/components/field";
import { Page } from "@/components/page";
import { Pager } from "@/components/pager";
import { Empty, ErrorState, QueryState } from "@/components/states";
import { canWriteClients, useClients, useClientStats, useCreateClient, type Client, type ClientListQuery, type NewClient } from "./api";
import { ClientForm } from "./client-form";
import { CUSTOMER_TYPE_FILTERS, customerTypeLabel, isCustomerType } from "./customer-types";
import { useDebouncedValue } from "./use-debounced-value";
import "./clients.css";

const PAGE_SIZE = 25;

const TYPE_FILTERS = [["", "All types"], ...CUSTOMER_TYPE_FILTERS] as const;

const SORTS = [
  ["-created_at", "Newest first"],
  ["created_at", "Oldest first"],
  ["name", "Name A–Z"],
  ["-name", "Name Z–A"],
  ["-total_tasks", "Most tasks"],
  ["total_tasks", "Fewest tasks"],
  ["-last_task_date", "Latest task"],
] as const;

/** Counts at the top of the list. */
function StatsSummary() {
  const stats = useClientStats();
  if (stats.isPending) return <div className="client-stats" aria-busy="true" />;
  if (stats.error) return <ErrorState error={stats.error} onRetry={() => stats.refetch()} />;
  const s = stats.data;
  const cells: [string, number][] = [
    ["Clients", s.total],
    ["Individuals", s.individual],
    ["Businesses", s.business],
    ["With active tasks", s.with_active_tasks],
    ["New in 30 days", s.new_last_30_days],
  ];
  return (
    <dl className="client-stats" data-testid="client-stats">
      {cells.map(([label, value]) => (
        <div key={label} className="card client-stat">
          <dt>{label}</dt>
          <dd>{value.toLocaleString()}</dd>
        </div>
      ))}
    </dl>
  );
}

function ClientsTable({ clients }: { clients: Client[] }) {
  return (
    <table data-testid="clients-table">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Type</th>
          <th scope="col">Company</th>
          <th scope="col">Email</th>
          <th scope="col">Phone</th>
          <th scope="col" className="clients-numeric">Active / total tasks</th>
          <th scope="col">Last task</th>
        </tr>
      </thead>
      <tbody>
        {clients.map((client) => (
          <tr key={client.id} data-testid="client-row">
            <td>
              <Link to={`/clients/${client.id}`}>{client.name}</Link>
            </td>
            <td>
              <span className="badge">{customerTypeLabel(client.customer_type)}</span>
            </td>
            <td>{client.company_name ?? ""}</td>
            <td>{client.email ?? ""}</td>
            <td>{client.phone ?? ""}</td>
            <td className="clients-numeric">
              {client.active_tasks} / {client.total_tasks}
            </td>
            <td>{client.last_task_date ?? "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The client list: search, filter by type, sort, pages, counts, and a create form for writers. */
export function ClientsPage() {
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get("q") ?? "");
  const debounced = useDebouncedValue(search.trim(), 300);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Client | null>(null);
  const create = useCreateClient();

  const typeParam = params.get("type");
  const customerType = isCustomerType(typeParam) ? typeParam : undefined;
  const sort = SORTS.find(([value]) => value === params.get("sort"))?.[0] ?? "-created_at";
  const offset = Math.max(0, Number.parseInt(params.get("offset") ?? "0", 10) || 0);
  const q = params.get("q") ?? "";

  // Change some parameters, back to the first page unless the page itself changes. The router's
  // updater sees the last render's parameters, so two quick changes build on a ref instead.
  const latest = useRef(params);
  latest.current = params;
  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(latest.current);
    if (!("offset" in changes)) next.delete("offset");
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === "") next.delete(key);
      else next.set(key, value);
    }
    latest.current = next;
    setParams(next, { replace: true });
  };

  useEffect(() => {
    // Only the typed text drives this; the URL follows it once typing pauses.
    if (debounced !== q) update({ q: debounced });
  }, [debounced]); // eslint-disable-line react-hooks/exhaustive-deps

  const query: ClientListQuery = { sort, limit: PAGE_SIZE, offset };
  if (q) query.q = q;
  if (customerType) query.customer_type = customerType;
  const clients = useClients(query);
  const filtered = Boolean(q || customerType);
  const canWrite = canWriteClients(session?.user.role);

  return (
    <Page
      title="Clients"
      actions={
        canWrite && !creating ? (
          <button
            type="button"
            className="button primary"
            onClick={() => {
              create.reset();
              setCreated(null);
              setCreating(true);
            }}
          >
            New client
          </button>
        ) : undefined
      }
    >
      <StatsSummary />

      {creating && (
        <section className="card client-panel" aria-labelledby="new-client-title">
          <h2 id="new-client-title">New client</h2>
          <ClientForm
            submitLabel="Create client"
            pending={create.isPending}
            error={create.error}
            onCancel={() => setCreating(false)}
            onSubmit={(body) =>
              // Sent as typed: a missing name is the server's message at that field.
              create.mutate(body as NewClient, {
                onSuccess: (client) => {
                  setCreating(false);
                  setCreated(client);
                },
              })
            }
          />
        </section>
      )}
      {created && (
        <p className="notice client-created" role="status">
          Client <Link to={`/clients/${created.id}`}>{created.name}</Link> created.
        </p>
      )}

      <div className="row client-filters" role="search">
        <TextField label="Search" type="search" name="q" placeholder="Name, email, phone or company" value={search} onChange={(e) => setSearch(e.target.value)} />
        <SelectField label="Type" name="type" value={customerType ?? ""} options={TYPE_FILTERS} onChange={(e) => update({ type: e.target.value })} />
        <SelectField label="Sort by" name="sort" value={sort} options={SORTS} onChange={(e) => update({ sort: e.target.value === "-created_at" ? null : e.target.value })} />
      </div>

      <QueryState
        query={clients}
        isEmpty={(page) => page.items.length === 0 && page.total === 0}
        empty={filtered ? "No client matches these filters." : canWrite ? "No clients yet. Create the first one with “New client”." : "No clients yet."}
      >
        {(page) => (
          <div className={clients.isPlaceholderData ? "clients-loading" : undefined} aria-busy={clients.isFetching}>
            {page.items.length > 0 ? <ClientsTable clients={page.items} /> : <Empty>No clients on this page.</Empty>}
            <Pager total={page.total} limit={page.limit} offset={page.offset} onOffset={(next) => update({ offset: next ? String(next) : null })} />
          </div>
        )}
      </QueryState>
    </Page>
  );
}

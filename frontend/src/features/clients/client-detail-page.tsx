import { useState, type ReactNode } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { ApiError } from "@/api/errors";
import { useSession } from "@/api/provider";
import type { components } from "@/api/schema";
import { ConfirmButton } from "@/components/confirm-button";
import { Page } from "@/components/page";
import { Empty, ErrorState, Loading } from "@/components/states";
import { canDeleteClients, canWriteClients, useClient, useDeleteClient, useUpdateClient, type ClientDetail } from "./api";
import { ClientForm } from "./client-form";
import { customerTypeLabel } from "./customer-types";
import "./clients.css";

type Task = components["schemas"]["Task"];

const formatInstant = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

function address(client: ClientDetail): string {
  const cityLine = [client.address_zip, client.address_city].filter(Boolean).join(" ");
  return [client.address_street, cityLine, client.address_state, client.address_country].filter(Boolean).join("\n");
}

function Counters({ client }: { client: ClientDetail }) {
  const cells: [string, string][] = [
    ["Total tasks", String(client.total_tasks)],
    ["Active tasks", String(client.active_tasks)],
    ["Completed tasks", String(client.completed_tasks)],
    ["Last task", client.last_task_date ?? "—"],
  ];
  return (
    <dl className="client-stats" data-testid="client-counters">
      {cells.map(([label, value]) => (
        <div key={label} className="card client-stat">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Details({ client }: { client: ClientDetail }) {
  const rows: [string, ReactNode][] = [
    ["Customer type", customerTypeLabel(client.customer_type)],
    ["Company", client.company_name],
    ["Contact person", client.contact_person],
    ["Email", client.email && <a href={`mailto:${client.email}`}>{client.email}</a>],
    ["Phone", client.phone && <a href={`tel:${client.phone}`}>{client.phone}</a>],
    ["Address", address(client)],
    ["Tax ID", client.tax_id],
    [
      "Tags",
      client.tags.length > 0 && (
        <span className="client-tags">
          {client.tags.map((tag) => (
            <span key={tag} className="badge">
              {tag}
            </span>
          ))}
        </span>
      ),
    ],
    ["Notes", client.notes],
    ["Created", formatInstant(client.created_at)],
    ["Updated", formatInstant(client.updated_at)],
  ];
  return (
    <dl className="client-details" data-testid="client-details">
      {rows
        .filter(([, value]) => value !== null && value !== undefined && value !== "" && value !== false)
        .map(([label, value]) => (
          <div key={label} style={{ display: "contents" }}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
    </dl>
  );
}

function TaskList({ tasks }: { tasks: Task[] }) {
  if (tasks.length === 0) return <Empty>No tasks for this client yet.</Empty>;
  return (
    <table data-testid="client-tasks">
      <thead>
        <tr>
          <th scope="col">Number</th>
          <th scope="col">Title</th>
          <th scope="col">Vehicle</th>
          <th scope="col">Date</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {tasks.map((task) => (
          <tr key={task.id}>
            <td>
              <Link to={`/tasks/${task.id}`}>{task.task_number}</Link>
            </td>
            <td>{task.title}</td>
            <td>
              {task.vehicle_plate} · {task.vehicle_model}
            </td>
            <td>
              {task.scheduled_date}
              {task.start_time && task.end_time ? ` ${task.start_time}–${task.end_time}` : ""}
            </td>
            <td>
              <span className={`badge status-${task.status}`}>{task.status.replace(/_/g, " ")}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Delete with a second, explicit click; then back to the list. */
function DeleteClient({ id, name }: { id: string; name: string }) {
  const navigate = useNavigate();
  const remove = useDeleteClient(id);
  return (
    <ConfirmButton
      label="Delete"
      prompt={`Delete ${name}?`}
      confirmLabel="Yes, delete"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate(undefined, { onSuccess: () => navigate("/clients", { replace: true }) })}
    />
  );
}

function ClientView({ client }: { client: ClientDetail }) {
  const session = useSession();
  const role = session?.user.role;
  const [editing, setEditing] = useState(false);
  const update = useUpdateClient(client.id);

  const actions = (
    <>
      <Link to="/clients" className="button">
        All clients
      </Link>
      {canWriteClients(role) && !editing && (
        <button
          type="button"
          className="button"
          onClick={() => {
            update.reset();
            setEditing(true);
          }}
        >
          Edit
        </button>
      )}
      {canDeleteClients(role) && <DeleteClient id={client.id} name={client.name} />}
    </>
  );

  return (
    <Page title={client.name} actions={actions}>
      <Counters client={client} />
      <section className="card client-panel" aria-labelledby="client-info-title">
        <h2 id="client-info-title">{editing ? "Edit client" : "Details"}</h2>
        {editing ? (
          <ClientForm
            client={client}
            submitLabel="Save"
            pending={update.isPending}
            error={update.error}
            onCancel={() => setEditing(false)}
            onSubmit={(body) => update.mutate(body, { onSuccess: () => setEditing(false) })}
          />
        ) : (
          <Details client={client} />
        )}
      </section>
      <section aria-labelledby="client-tasks-title">
        <h2 id="client-tasks-title">Tasks</h2>
        <TaskList tasks={client.tasks ?? []} />
      </section>
    </Page>
  );
}

/** One client: details, counters, tasks; edit for writers, delete for admins. */
export function ClientDetailPage() {
  const { id = "" } = useParams();
  const client = useClient(id);
  if (client.isPending) return <Loading />;
  if (client.error || !client.data) {
    const missing = client.error instanceof ApiError && (client.error.status === 404 || client.error.status === 400);
    return (
      <Page title="Client" actions={<Link to="/clients" className="button">All clients</Link>}>
        {missing ? <Empty>This client does not exist or was deleted.</Empty> : <ErrorState error={client.error} onRetry={() => client.refetch()} />}
      </Page>
    );
  }
  return <ClientView key={client.data.id} client={client.data} />;
}

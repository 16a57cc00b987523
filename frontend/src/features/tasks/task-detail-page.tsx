import type { ReactNode } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { useSession } from "@/api/provider";
import { isManager } from "@/lib/roles";
import { ConfirmButton } from "@/components/confirm-button";
import { Page } from "@/components/page";
import { QueryState } from "@/components/states";
import { personName, technicianNames, useTechnicians } from "@/lib/technicians";
import { useDeleteTask, useTask } from "./api";
import { StatusBadge } from "./status-badge";
import { TaskAssign } from "./task-assign";
import { TaskDelay } from "./task-delay";
import { TaskHistory } from "./task-history";
import { priorityLabel, zoneLabel } from "@/components/task-labels";
import { dateTimeText, slotText, type Task } from "./task-labels";
import { TaskNotes } from "./task-notes";
import { TaskTransitions } from "./task-transitions";
import "./tasks.css";

/** What another area shows on a task's page (the app puts the interventions here). */
export type TaskPanel = (task: Task, canWork: boolean) => ReactNode;

/** One task: its fields, status moves, assignment, delay, history and notes, and `panel`. */
export function TaskDetailPage({ panel }: { panel?: TaskPanel }) {
  const { id = "" } = useParams();
  const task = useTask(id);
  return (
    <QueryState query={task}>
      {(data) => <TaskDetail task={data} panel={panel} />}
    </QueryState>
  );
}

function TaskDetail({ task, panel }: { task: Task; panel?: TaskPanel }) {
  const session = useSession();
  const role = session?.user.role;
  const manager = Boolean(role && isManager(role));
  // Viewers only read; a technician sees only their own tasks, so may work on any they see.
  const worker = manager || role === "technician";
  const technicians = useTechnicians(manager);
  const names = technicianNames(technicians.data);
  if (session && role === "technician") names.set(session.user.id, personName(session.user));

  return (
    <Page
      title={`${task.task_number} · ${task.title}`}
      actions={
        <>
          <Link to="/tasks" className="button">
            Back to tasks
          </Link>
          {worker && (
            <Link to={`/tasks/${task.id}/edit`} className="button">
              Edit
            </Link>
          )}
          {role === "admin" && <DeleteTask id={task.id} />}
        </>
      }
    >
      <div className="task-detail">
        <div className="task-detail-main">
          <section className="card" aria-labelledby="status-title">
            <h2 id="status-title">Status</h2>
            <p>
              <span data-testid="task-status" data-status={task.status}>
                <StatusBadge status={task.status} /> <code className="muted">{task.status}</code>
              </span>
            </p>
            {worker && <TaskTransitions key={task.status} task={task} />}
          </section>
          <section className="card" aria-labelledby="details-title">
            <h2 id="details-title">Details</h2>
            <TaskFields task={task} technician={task.technician_id ? (names.get(task.technician_id) ?? "Assigned") : "Not assigned"} />
          </section>
          {panel?.(task, worker)}
          <section className="card" aria-labelledby="history-title">
            <h2 id="history-title">History</h2>
            <TaskHistory taskId={task.id} technicianNames={names} />
          </section>
        </div>
        <div className="task-detail-side">
          {manager && (
            <section className="card" aria-labelledby="assign-title">
              <h2 id="assign-title">Assignment</h2>
              <TaskAssign key={task.technician_id ?? ""} task={task} />
            </section>
          )}
          {manager && (
            <section className="card" aria-labelledby="delay-title">
              <h2 id="delay-title">Delay</h2>
              <TaskDelay task={task} />
            </section>
          )}
          <section className="card" aria-labelledby="notes-title">
            <h2 id="notes-title">Notes</h2>
            <TaskNotes taskId={task.id} canWrite={worker} />
          </section>
        </div>
      </div>
    </Page>
  );
}

function TaskFields({ task, technician }: { task: Task; technician: string }) {
  const rows: [string, ReactNode][] = [
    ["Vehicle plate", task.vehicle_plate],
    ["Vehicle", [task.vehicle_make, task.vehicle_model, task.vehicle_year].filter(Boolean).join(" ")],
    ["VIN", task.vin],
    ["PPF zones", [...task.ppf_zones.map(zoneLabel), ...task.custom_ppf_zones].join(", ")],
    ["Scheduled", `${task.scheduled_date}, ${slotText(task)}`],
    ["Priority", <span className={`priority priority-${task.priority}`}>{priorityLabel(task.priority)}</span>],
    ["Technician", technician],
    ["Assigned", task.assigned_at ? dateTimeText(task.assigned_at) : null],
    [
      "Customer",
      task.client_id ? <Link to={`/clients/${task.client_id}`}>{task.customer_name ?? "Client"}</Link> : task.customer_name,
    ],
    ["Customer email", task.customer_email],
    ["Customer phone", task.customer_phone],
    ["Customer address", task.customer_address],
    ["Description", task.description],
    ["Notes", task.notes],
    ["Tags", task.tags.join(", ")],
    ["Film batch", task.lot_film],
    ["Checklist", task.checklist_completed ? "Done" : "Not done"],
    ["Estimated duration", task.estimated_duration == null ? null : `${task.estimated_duration} min`],
    ["Actual duration", task.actual_duration == null ? null : `${task.actual_duration} min`],
    ["Started", task.started_at ? dateTimeText(task.started_at) : null],
    ["Completed", task.completed_at ? dateTimeText(task.completed_at) : null],
    ["Created", dateTimeText(task.created_at)],
    ["Last changed", dateTimeText(task.updated_at)],
  ];
  return (
    <dl className="task-fields">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value === null || value === undefined || value === "" ? <span className="muted">—</span> : value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Delete (admins), after a second click to confirm. */
function DeleteTask({ id }: { id: string }) {
  const remove = useDeleteTask(id);
  const navigate = useNavigate();
  return (
    <ConfirmButton
      label="Delete"
      prompt="Delete this task?"
      confirmLabel="Yes, delete"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate(undefined, { onSuccess: () => navigate("/tasks") })}
    />
  );
}

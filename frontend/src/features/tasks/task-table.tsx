import { Link } from "react-router-dom";
import { priorityLabel } from "@/components/task-labels";
import { slotText, type Task } from "./task-labels";
import { StatusBadge } from "./status-badge";

/** A page of tasks; each number links to the task. */
export function TaskTable({ tasks, technicianNames }: { tasks: readonly Task[]; technicianNames: Map<string, string> }) {
  return (
    <div className="table-scroll">
      <table data-testid="tasks-table">
        <thead>
          <tr>
            <th scope="col">Number</th>
            <th scope="col">Title</th>
            <th scope="col">Vehicle</th>
            <th scope="col">Customer</th>
            <th scope="col">Scheduled</th>
            <th scope="col">Priority</th>
            <th scope="col">Status</th>
            <th scope="col">Technician</th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((task) => (
            <tr key={task.id} data-testid="task-row">
              <td>
                <Link to={`/tasks/${task.id}`}>{task.task_number}</Link>
              </td>
              <td>{task.title}</td>
              <td>
                {task.vehicle_plate}
                <div className="muted">{[task.vehicle_make, task.vehicle_model].filter(Boolean).join(" ")}</div>
              </td>
              <td>{task.customer_name ?? "—"}</td>
              <td>
                {task.scheduled_date}
                <div className="muted">{slotText(task)}</div>
              </td>
              <td>
                <span className={`priority priority-${task.priority}`}>{priorityLabel(task.priority)}</span>
              </td>
              <td>
                <StatusBadge status={task.status} />
              </td>
              <td>{task.technician_id ? (technicianNames.get(task.technician_id) ?? "Assigned") : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

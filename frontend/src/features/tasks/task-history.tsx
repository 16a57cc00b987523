import type { components } from "@/api/schema";
import { QueryState } from "@/components/states";
import { useTaskHistory } from "./api";
import { statusLabel, type TaskStatus } from "@/components/task-labels";
import { dateTimeText } from "./task-labels";

type HistoryEntry = components["schemas"]["HistoryEntry"];

/** A status as its label with the raw value beside it (what the history stores). */
function StatusText({ status }: { status: TaskStatus }) {
  return (
    <span className={`status-text status-${status}`}>
      {statusLabel(status)} <code>{status}</code>
    </span>
  );
}

function What({ entry }: { entry: HistoryEntry }) {
  switch (entry.event) {
    case "created":
      return <>Created{entry.new_status && <> as <StatusText status={entry.new_status} /></>}</>;
    case "status_changed":
      return (
        <>
          {entry.old_status && (
            <>
              <StatusText status={entry.old_status} /> →{" "}
            </>
          )}
          {entry.new_status && <StatusText status={entry.new_status} />}
        </>
      );
    case "delayed":
      return (
        <>
          Moved from {entry.old_value ?? "?"} to {entry.new_value ?? "?"}
        </>
      );
    case "assigned":
      return <>{entry.new_value ? "Assigned to a technician" : "Unassigned"}</>;
  }
}

/** Everything that happened to the task, oldest first, with who did it and why. */
export function TaskHistory({ taskId, technicianNames }: { taskId: string; technicianNames: Map<string, string> }) {
  const history = useTaskHistory(taskId);
  return (
    <QueryState query={history} isEmpty={(entries) => entries.length === 0} empty="No history yet.">
      {(entries) => (
        <ol className="task-history" data-testid="task-history">
          {entries.map((entry) => (
            <li key={entry.id}>
              <div>
                <What entry={entry} />
                {entry.event === "assigned" && entry.new_value && technicianNames.get(entry.new_value) && (
                  <> ({technicianNames.get(entry.new_value)})</>
                )}
              </div>
              <div className="muted">
                {dateTimeText(entry.changed_at)}
                {entry.changed_by_name && <> · by {entry.changed_by_name}</>}
              </div>
              {entry.reason && <div className="history-reason">“{entry.reason}”</div>}
            </li>
          ))}
        </ol>
      )}
    </QueryState>
  );
}

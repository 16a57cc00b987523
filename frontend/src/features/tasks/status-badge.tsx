import { statusLabel, type TaskStatus } from "@/components/task-labels";

/** A status as a coloured badge with its label. */
export function StatusBadge({ status }: { status: TaskStatus }) {
  return (
    <span className={`badge status status-${status}`} data-status={status}>
      {statusLabel(status)}
    </span>
  );
}

// Task statuses and priorities in the order people think of them, with their labels, and the
// standard PPF zones: shared by every screen that shows tasks, and by quotes, which become tasks
// (the API sorts its maps alphabetically). The lists are the keys of exhaustive records over the
// generated types, so a status or priority the server adds fails `tsc` here until it has a label,
// and none can be listed that the server does not know.
import type { components } from "@/api/schema";

export type TaskStatus = components["schemas"]["TaskStatus"];
export type Priority = components["schemas"]["Priority"];

/** Every status with its label, in the order a task usually moves through them. */
const STATUS_LABELS: Record<TaskStatus, string> = {
  draft: "Draft",
  pending: "Pending",
  scheduled: "Scheduled",
  assigned: "Assigned",
  in_progress: "In progress",
  paused: "Paused",
  on_hold: "On hold",
  completed: "Completed",
  cancelled: "Cancelled",
  archived: "Archived",
  failed: "Failed",
  invalid: "Invalid",
  overdue: "Overdue",
};

/** Every status, in the order a task usually moves through them. */
export const STATUSES = Object.keys(STATUS_LABELS) as readonly TaskStatus[];

export const statusLabel = (status: TaskStatus): string => STATUS_LABELS[status] ?? status;

/** Every priority with its label, most urgent last, as the server ranks them. */
const PRIORITY_LABELS: Record<Priority, string> = { low: "Low", medium: "Medium", high: "High", urgent: "Urgent" };

/** Every priority, most urgent last. */
export const PRIORITIES = Object.keys(PRIORITY_LABELS) as readonly Priority[];

export const priorityLabel = (priority: Priority): string => PRIORITY_LABELS[priority] ?? priority;

/** Whether `value` (from a URL, say) is a status the server knows. */
export const isTaskStatus = (value: string): value is TaskStatus => Object.hasOwn(STATUS_LABELS, value);
/** Whether `value` is a priority the server knows. */
export const isPriority = (value: string): value is Priority => Object.hasOwn(PRIORITY_LABELS, value);

/** The standard PPF zones (domain facts: preparation zone ids). */
export const STANDARD_ZONES: readonly (readonly [string, string])[] = [
  ["hood", "Hood"],
  ["left_fender", "Left fender"],
  ["right_fender", "Right fender"],
  ["bumper", "Bumper"],
  ["mirrors", "Mirrors"],
  ["sills", "Sills"],
];

/** A zone as people read it: its standard name, or the id as stored. */
export function zoneLabel(zone: string): string {
  return STANDARD_ZONES.find(([id]) => id === zone)?.[1] ?? zone;
}

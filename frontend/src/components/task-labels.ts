// Task statuses and priorities in the order people think of them, with their labels: shared by
// every screen that shows tasks (the API sorts its maps alphabetically).
import type { components } from "@/api/schema";

export type TaskStatus = components["schemas"]["TaskStatus"];
export type Priority = components["schemas"]["Priority"];

/** Every status, in the order a task usually moves through them. */
export const STATUSES: readonly TaskStatus[] = [
  "draft",
  "pending",
  "scheduled",
  "assigned",
  "in_progress",
  "paused",
  "on_hold",
  "completed",
  "cancelled",
  "archived",
  "failed",
  "invalid",
  "overdue",
];

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

export const statusLabel = (status: TaskStatus): string => STATUS_LABELS[status] ?? status;

/** Most urgent last, as the server ranks them. */
export const PRIORITIES: readonly Priority[] = ["low", "medium", "high", "urgent"];

const PRIORITY_LABELS: Record<Priority, string> = { low: "Low", medium: "Medium", high: "High", urgent: "Urgent" };

export const priorityLabel = (priority: Priority): string => PRIORITY_LABELS[priority] ?? priority;

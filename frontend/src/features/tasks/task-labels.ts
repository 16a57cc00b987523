import type { components } from "@/api/schema";

export type Task = components["schemas"]["Task"];

/** A sort order `GET /tasks` accepts. */
export type TaskSort = components["schemas"]["TaskSort"];

/** Every sort order of the task list with its label (exhaustive over the server's `TaskSort`), default first. */
const SORT_LABELS: Record<TaskSort, string> = {
  "-scheduled_date": "Scheduled date, latest first",
  scheduled_date: "Scheduled date, earliest first",
  "-created_at": "Created, newest first",
  created_at: "Created, oldest first",
  task_number: "Number, ascending",
  "-task_number": "Number, descending",
  priority: "Priority, most urgent first",
  "-priority": "Priority, least urgent first",
};

/** The sort choices as `[value, label]`, the server's default first. */
export const SORTS = Object.entries(SORT_LABELS) as readonly (readonly [TaskSort, string])[];

/** Whether `value` (from a URL, say) is a sort order the server knows. */
export const isTaskSort = (value: string): value is TaskSort => Object.hasOwn(SORT_LABELS, value);

/** `09:00–12:00`, or "all day" when the task books the whole day. */
export function slotText(task: Pick<Task, "start_time" | "end_time">): string {
  return task.start_time && task.end_time ? `${task.start_time}–${task.end_time}` : "all day";
}

/** A date-time from the API, in the user's locale. */
export function dateTimeText(value: string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString();
}

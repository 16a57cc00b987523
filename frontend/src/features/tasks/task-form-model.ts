// The create/edit form as plain data, and how it becomes a request body. No React here, so the
// rules (trimming, what an empty field means, zone lists) are unit-tested on their own.
import type { components } from "@/api/schema";
import type { FieldErrors } from "@/api/errors";
import type { Priority, TaskStatus } from "@/components/task-labels";
import type { Task } from "./task-labels";

/** The body of `POST /tasks` and `PATCH /tasks/{id}`. */
export type TaskBody = components["schemas"]["TaskFields"];
/** A create: the fields with the vehicle, zones and day required. */
export type NewTaskBody = components["schemas"]["NewTask"];

/** What the form holds: text as typed, lists as checkboxes or comma-separated text. */
export interface TaskForm {
  title: string;
  description: string;
  vehicle_plate: string;
  vehicle_model: string;
  vehicle_make: string;
  vehicle_year: string;
  vin: string;
  /** Checked zones (standard ones, plus any others the task already had). */
  ppf_zones: string[];
  /** Extra zones, comma- or semicolon-separated. */
  custom_ppf_zones: string;
  /** Labels, comma- or semicolon-separated. */
  tags: string;
  scheduled_date: string;
  start_time: string;
  end_time: string;
  priority: Priority;
  client_id: string;
  customer_name: string;
  customer_email: string;
  customer_phone: string;
  customer_address: string;
  lot_film: string;
  notes: string;
  estimated_duration: string;
  actual_duration: string;
  checklist_completed: boolean;
  /** Only sent when changed (a move of the state machine); "" on create means the default. */
  status: TaskStatus | "";
}

type TextKey = {
  [K in keyof TaskForm]: TaskForm[K] extends string ? (K extends "status" | "priority" ? never : K) : never;
}[keyof TaskForm];

/** Free-text fields sent as trimmed strings. */
const TEXT_FIELDS = [
  "title",
  "description",
  "vehicle_plate",
  "vehicle_model",
  "vehicle_make",
  "vehicle_year",
  "vin",
  "scheduled_date",
  "start_time",
  "end_time",
  "customer_name",
  "customer_email",
  "customer_phone",
  "customer_address",
  "lot_film",
  "notes",
] as const satisfies readonly TextKey[];

const LIST_FIELDS = ["custom_ppf_zones", "tags"] as const satisfies readonly TextKey[];
const MINUTE_FIELDS = ["estimated_duration", "actual_duration"] as const satisfies readonly TextKey[];

/** What a technician may change on their own task (the server refuses anything else). */
export const TECHNICIAN_FIELDS: readonly (keyof TaskForm)[] = [
  "status",
  "notes",
  "checklist_completed",
  "lot_film",
  "actual_duration",
];

/** A blank form for a new task. */
export function emptyTaskForm(): TaskForm {
  return {
    title: "",
    description: "",
    vehicle_plate: "",
    vehicle_model: "",
    vehicle_make: "",
    vehicle_year: "",
    vin: "",
    ppf_zones: [],
    custom_ppf_zones: "",
    tags: "",
    scheduled_date: "",
    start_time: "",
    end_time: "",
    priority: "medium",
    client_id: "",
    customer_name: "",
    customer_email: "",
    customer_phone: "",
    customer_address: "",
    lot_film: "",
    notes: "",
    estimated_duration: "",
    actual_duration: "",
    checklist_completed: false,
    status: "",
  };
}

/** The form for editing `task`. */
export function taskToForm(task: Task): TaskForm {
  const form = emptyTaskForm();
  for (const key of TEXT_FIELDS) form[key] = task[key] ?? "";
  return {
    ...form,
    ppf_zones: [...task.ppf_zones],
    custom_ppf_zones: task.custom_ppf_zones.join(", "),
    tags: task.tags.join(", "),
    priority: task.priority,
    client_id: task.client_id ?? "",
    estimated_duration: task.estimated_duration == null ? "" : String(task.estimated_duration),
    actual_duration: task.actual_duration == null ? "" : String(task.actual_duration),
    checklist_completed: task.checklist_completed,
    status: task.status,
  };
}

/** `"a, b; c"` → `["a", "b", "c"]`: trimmed, no empties, no repeats. */
export function parseList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,;\n]/)
        .map((item) => item.trim())
        .filter(Boolean),
    ),
  ];
}

/** Whole minutes from `text`; `null` when empty, `NaN` when not a whole number ≥ 0. */
export function parseMinutes(text: string): number | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** Mistakes the form catches before sending (the server checks everything else). */
export function checkTaskForm(form: TaskForm): FieldErrors {
  const errors: FieldErrors = {};
  for (const key of MINUTE_FIELDS) {
    if (Number.isNaN(parseMinutes(form[key]))) errors[key] = ["must be a whole number of minutes"];
  }
  return errors;
}

/** The body of `POST /tasks`: trimmed text, empty fields left out (the server's defaults apply). */
export function toCreateBody(form: TaskForm): NewTaskBody {
  const body: TaskBody = {};
  for (const key of TEXT_FIELDS) {
    const value = form[key].trim();
    if (value) body[key] = value;
  }
  // Always sent, so an empty choice is the server's "at least one zone" message at this field.
  body.ppf_zones = [...form.ppf_zones];
  for (const key of LIST_FIELDS) {
    const list = parseList(form[key]);
    if (list.length) body[key] = list;
  }
  for (const key of MINUTE_FIELDS) {
    const minutes = parseMinutes(form[key]);
    if (minutes !== null && !Number.isNaN(minutes)) body[key] = minutes;
  }
  body.priority = form.priority;
  if (form.client_id) body.client_id = form.client_id;
  if (form.checklist_completed) body.checklist_completed = true;
  if (form.status) body.status = form.status;
  // Sent as typed: a missing required field is the server's message at that field.
  return body as NewTaskBody;
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().every((item, i) => item === [...b].sort()[i]);

/**
 * The body of `PATCH /tasks/{id}`: only what changed since `original`, so untouched fields (and
 * other people's edits to them) stay as they are. A cleared text field is sent as `""`, which the
 * server reads as "clear"; a client or a duration cannot be cleared, so emptying them sends nothing.
 * `allowed` limits the body to those fields (a technician's).
 */
export function toUpdateBody(form: TaskForm, original: TaskForm, allowed?: readonly (keyof TaskForm)[]): TaskBody {
  const body: TaskBody = {};
  const may = (key: keyof TaskForm) => !allowed || allowed.includes(key);
  for (const key of TEXT_FIELDS) {
    const value = form[key].trim();
    if (may(key) && value !== original[key].trim()) body[key] = value;
  }
  // The start and end go together: the server checks (or clears) them as a pair.
  if ("start_time" in body || "end_time" in body) {
    body.start_time = form.start_time.trim();
    body.end_time = form.end_time.trim();
  }
  if (may("ppf_zones") && !sameList(form.ppf_zones, original.ppf_zones)) body.ppf_zones = [...form.ppf_zones];
  for (const key of LIST_FIELDS) {
    const list = parseList(form[key]);
    if (may(key) && !sameList(list, parseList(original[key]))) body[key] = list;
  }
  for (const key of MINUTE_FIELDS) {
    const minutes = parseMinutes(form[key]);
    if (may(key) && minutes !== null && !Number.isNaN(minutes) && minutes !== parseMinutes(original[key])) body[key] = minutes;
  }
  if (may("priority") && form.priority !== original.priority) body.priority = form.priority;
  if (may("client_id") && form.client_id && form.client_id !== original.client_id) body.client_id = form.client_id;
  if (may("checklist_completed") && form.checklist_completed !== original.checklist_completed) {
    body.checklist_completed = form.checklist_completed;
  }
  if (may("status") && form.status && form.status !== original.status) body.status = form.status;
  return body;
}

import { isPriority, isTaskStatus, type Priority, type TaskStatus } from "@/components/task-labels";
import type { TaskListQuery } from "@/lib/query-keys";
import { isTaskSort, type TaskSort } from "./task-labels";

/** The list's filters, sort and page, as kept in the URL's search params. */
export interface TaskFilters {
  status: TaskStatus[];
  priority: Priority | "";
  technician_id: string;
  client_id: string;
  from: string;
  to: string;
  q: string;
  /** `""`: the server's default order. */
  sort: TaskSort | "";
  offset: number;
}

export const PAGE_SIZE = 25;

const TEXT_KEYS = ["technician_id", "client_id", "from", "to", "q"] as const;

/** Filters from the URL; unknown statuses, priorities and sorts are dropped. */
export function readFilters(params: URLSearchParams): TaskFilters {
  const status = (params.get("status") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(isTaskStatus);
  const priority = params.get("priority") ?? "";
  const sort = params.get("sort") ?? "";
  const offset = Number.parseInt(params.get("offset") ?? "", 10);
  const filters: TaskFilters = {
    status: [...new Set(status)],
    priority: isPriority(priority) ? priority : "",
    technician_id: "",
    client_id: "",
    from: "",
    to: "",
    q: "",
    sort: isTaskSort(sort) ? sort : "",
    offset: Number.isFinite(offset) && offset > 0 ? offset : 0,
  };
  for (const key of TEXT_KEYS) filters[key] = params.get(key) ?? "";
  return filters;
}

/** The URL search params for `filters` (empty values left out, so the URL stays short). */
export function writeFilters(filters: TaskFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.status.length) params.set("status", filters.status.join(","));
  if (filters.priority) params.set("priority", filters.priority);
  for (const key of TEXT_KEYS) {
    const value = filters[key].trim();
    if (value) params.set(key, value);
  }
  if (filters.sort) params.set("sort", filters.sort);
  if (filters.offset > 0) params.set("offset", String(filters.offset));
  return params;
}

/** `filters` as the query of `GET /tasks` and of the CSV export; `paged` adds the page's `limit` and `offset`. */
export function toQuery(filters: TaskFilters, paged: boolean): TaskListQuery {
  const query: TaskListQuery = {};
  if (filters.status.length) query.status = filters.status.join(",");
  if (filters.priority) query.priority = filters.priority;
  for (const key of TEXT_KEYS) {
    const value = filters[key].trim();
    if (value) query[key] = value;
  }
  if (filters.sort) query.sort = filters.sort;
  if (paged) {
    query.limit = PAGE_SIZE;
    query.offset = filters.offset;
  }
  return query;
}

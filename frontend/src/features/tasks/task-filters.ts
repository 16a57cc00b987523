import { PRIORITIES, STATUSES, type Priority, type TaskStatus } from "@/components/task-labels";

/** The list's filters, sort and page, as kept in the URL's search params. */
export interface TaskFilters {
  status: TaskStatus[];
  priority: Priority | "";
  technician_id: string;
  client_id: string;
  from: string;
  to: string;
  q: string;
  sort: string;
  offset: number;
}

export const PAGE_SIZE = 25;

const TEXT_KEYS = ["technician_id", "client_id", "from", "to", "q", "sort"] as const;

/** Filters from the URL; unknown statuses and priorities are dropped. */
export function readFilters(params: URLSearchParams): TaskFilters {
  const status = (params.get("status") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s): s is TaskStatus => (STATUSES as readonly string[]).includes(s));
  const priority = params.get("priority") ?? "";
  const offset = Number.parseInt(params.get("offset") ?? "", 10);
  const filters: TaskFilters = {
    status: [...new Set(status)],
    priority: (PRIORITIES as readonly string[]).includes(priority) ? (priority as Priority) : "",
    technician_id: "",
    client_id: "",
    from: "",
    to: "",
    q: "",
    sort: "",
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
  if (filters.offset > 0) params.set("offset", String(filters.offset));
  return params;
}

/** The query of `GET /tasks` and of the CSV export (which ignores `limit`/`offset`). */
export interface TaskQuery {
  status?: string;
  priority?: Priority;
  technician_id?: string;
  client_id?: string;
  from?: string;
  to?: string;
  q?: string;
  sort?: string;
  limit?: number;
  offset?: number;
}

/** `filters` as the API's query; `paged` adds the page's `limit` and `offset`. */
export function toQuery(filters: TaskFilters, paged: boolean): TaskQuery {
  const query: TaskQuery = {};
  if (filters.status.length) query.status = filters.status.join(",");
  if (filters.priority) query.priority = filters.priority;
  for (const key of TEXT_KEYS) {
    const value = filters[key].trim();
    if (value) query[key] = value;
  }
  if (paged) {
    query.limit = PAGE_SIZE;
    query.offset = filters.offset;
  }
  return query;
}

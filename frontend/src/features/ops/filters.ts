// The list filters of the plant's screens, kept in the URL's search params so a filtered list
// survives the back button, and turned into the server's queries.
import { localInputToRfc3339 } from "./format";
import { INVENTORY_STATUSES, LOG_CATEGORIES, LOG_SEVERITIES, oneOf } from "./labels";
import type { OpsInventoryQuery, OpsLogQuery } from "./api";
import type { InventoryStatus, LogCategory, LogSeverity } from "./types";

export const INVENTORY_PAGE = 25;
export const LOG_PAGE = 50;

function offsetOf(params: URLSearchParams): number {
  const offset = Number.parseInt(params.get("offset") ?? "", 10);
  return Number.isFinite(offset) && offset > 0 ? offset : 0;
}

/** The params of `values`, empty ones left out so the URL stays short. */
function write(values: Record<string, string | number>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    const text = typeof value === "number" ? (value > 0 ? String(value) : "") : value.trim();
    if (text) params.set(key, text);
  }
  return params;
}

export interface InventoryFilters {
  category: string;
  search: string;
  status: InventoryStatus | "";
  offset: number;
}

export function readInventoryFilters(params: URLSearchParams): InventoryFilters {
  return {
    category: (params.get("category") ?? "").trim(),
    search: (params.get("search") ?? "").trim(),
    status: oneOf(INVENTORY_STATUSES, params.get("status")),
    offset: offsetOf(params),
  };
}

export const writeInventoryFilters = (f: InventoryFilters) => write({ category: f.category, search: f.search, status: f.status, offset: f.offset });

export function toInventoryQuery(f: InventoryFilters): OpsInventoryQuery {
  const query: OpsInventoryQuery = { limit: INVENTORY_PAGE, offset: f.offset };
  if (f.category) query.category = f.category as NonNullable<OpsInventoryQuery["category"]>;
  if (f.search.trim()) query.search = f.search.trim();
  if (f.status) query.status = f.status;
  return query;
}

export interface LogFilters {
  category: LogCategory | "";
  severity: LogSeverity | "";
  /** `datetime-local` values (local time), as typed. */
  from: string;
  to: string;
  search: string;
  offset: number;
}

export function readLogFilters(params: URLSearchParams): LogFilters {
  return {
    category: oneOf(LOG_CATEGORIES, params.get("category")),
    severity: oneOf(LOG_SEVERITIES, params.get("severity")),
    from: params.get("from") ?? "",
    to: params.get("to") ?? "",
    search: (params.get("search") ?? "").trim(),
    offset: offsetOf(params),
  };
}

export const writeLogFilters = (f: LogFilters) => write({ category: f.category, severity: f.severity, from: f.from, to: f.to, search: f.search, offset: f.offset });

/** The log's query: the times as RFC 3339 (a time that does not parse is left out). */
export function toLogQuery(f: LogFilters): OpsLogQuery {
  const query: OpsLogQuery = { limit: LOG_PAGE, offset: f.offset };
  if (f.category) query.category = f.category;
  if (f.severity) query.severity = f.severity;
  const from = localInputToRfc3339(f.from);
  const to = localInputToRfc3339(f.to);
  if (from) query.from = from;
  if (to) query.to = to;
  if (f.search.trim()) query.search = f.search.trim();
  return query;
}

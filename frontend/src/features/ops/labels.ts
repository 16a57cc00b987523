// The plant's enums as exhaustive records over the generated types: a value the server adds fails
// `tsc` here until the screens offer it.
import type { ExceptionStatus, InventoryStatus, LogCategory, LogSeverity, Severity, StationState } from "./types";

const keys = <T extends string>(record: Record<T, true>) => Object.keys(record) as T[];

export const SEVERITIES = keys<Severity>({ Critical: true, High: true, Medium: true, Low: true });
export const EXCEPTION_STATUSES = keys<ExceptionStatus>({ Raised: true, Triaged: true, "In Review": true, Resolved: true, Closed: true });
export const INVENTORY_STATUSES = keys<InventoryStatus>({ Good: true, Hold: true, Blocked: true });
export const STATION_STATES = keys<StationState>({ Ready: true, Running: true, Blocked: true, Idle: true });
export const LOG_CATEGORIES = keys<LogCategory>({ Workflow: true, System: true, Compliance: true, Security: true });
export const LOG_SEVERITIES = keys<LogSeverity>({ Info: true, Success: true, Warning: true, Error: true });

/** `value` if it is one of `values` (from a URL, say), else `""`. */
export function oneOf<T extends string>(values: readonly T[], value: string | null): T | "" {
  return value !== null && (values as readonly string[]).includes(value) ? (value as T) : "";
}

/** Options of a filter select: "any" first, then each value as its own label. */
export const filterOptions = (any: string, values: readonly string[]) => [["", any] as const, ...values.map((v) => [v, v] as const)];

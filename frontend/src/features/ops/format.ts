// How the plant screens show what the server computed. The server sends `null` for a figure it has
// no data for (an empty plant, a window without telemetry): that reads "—", never "0" or "NaN".

/** What a missing figure reads. */
export const NO_VALUE = "—";

const numberFormat = (digits: number) => new Intl.NumberFormat("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });

/** `1240` → `"1,240"`; `null`, `undefined` and non-finite numbers → `"—"`. */
export function formatNumber(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE;
  return numberFormat(digits).format(value);
}

/** A percentage as the server computed it: `95.1` → `"95.1 %"`; missing → `"—"`. */
export function formatPercent(value: number | null | undefined, digits = 1): string {
  const text = formatNumber(value, digits);
  return text === NO_VALUE ? text : `${text} %`;
}

/**
 * A metric's value as sent: a number is formatted, a text (`"98.2%"`, `"2h 15m"`) is shown as
 * is, and nothing (`null`, `""`) is `"—"`.
 */
export function formatValue(value: number | string | null | undefined): string {
  if (typeof value === "number") return formatNumber(value);
  if (value === null || value === undefined || value.trim() === "") return NO_VALUE;
  return value;
}

/** An RFC 3339 time as people read it (the browser's locale), or the text itself if it is not one. */
export function formatDateTime(value: string | null | undefined, locale?: string): string {
  if (!value) return NO_VALUE;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
}

/**
 * The value of a `<input type="datetime-local">` (`2026-01-15T10:30`, local time) as RFC 3339 in
 * UTC (`2026-01-15T09:30:00.000Z` in Paris in winter); `undefined` when empty or not a time.
 */
export function localInputToRfc3339(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** A colour family for a status word, so one badge style serves every enum of the plant. */
export type Tone = "ok" | "warn" | "danger" | "info" | "muted";

const TONES: Record<string, Tone> = {
  // Going well.
  Healthy: "ok",
  Running: "ok",
  OK: "ok",
  Open: "ok",
  Completed: "ok",
  Good: "ok",
  Ready: "ok",
  Success: "ok",
  Resolved: "ok",
  Active: "ok",
  // Needs someone's eye.
  Degraded: "warn",
  Hold: "warn",
  Attention: "warn",
  Warning: "warn",
  Maintenance: "warn",
  "In Progress": "info",
  Triaged: "warn",
  "In Review": "warn",
  "Under Review": "warn",
  "Claim Raised": "warn",
  High: "warn",
  Medium: "warn",
  // Stopped.
  Blocked: "danger",
  Critical: "danger",
  Locked: "danger",
  Error: "danger",
  Raised: "danger",
  // Nothing happening.
  Idle: "muted",
  Pending: "muted",
  Closed: "muted",
  Expired: "muted",
  Low: "muted",
  Info: "info",
  // Attention items' types.
  Block: "danger",
  Exception: "warn",
  Risk: "warn",
  Compliance: "info",
};

/** The tone of a status word; an unknown word is `muted`. */
export const toneOf = (status: string | null | undefined): Tone => (status ? (TONES[status] ?? "muted") : "muted");

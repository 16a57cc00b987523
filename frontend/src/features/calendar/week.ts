// Pure date logic of the week view: local-time weeks starting on Monday, the UTC range sent to the
// server, and where each event sits in the grid. No React, no clock: everything takes its dates.

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

/** The hours the grid shows by default (07:00 to 20:00). */
export const DEFAULT_HOURS = { start: 7, end: 20 } as const;

/** First and last hour of the grid: rows from `start`:00 to `end`:00. */
export interface HourRange {
  start: number;
  end: number;
}

/** Local midnight of `date`'s day. */
export function startOfDay(date: Date): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

/** `date` moved by whole local days (a DST change keeps the wall-clock time). */
export function addDays(date: Date, days: number): Date {
  const moved = new Date(date);
  moved.setDate(moved.getDate() + days);
  return moved;
}

/** Local midnight of the Monday of `date`'s week. */
export function startOfWeek(date: Date): Date {
  const day = startOfDay(date);
  const sinceMonday = (day.getDay() + 6) % 7; // getDay: Sunday 0 … Saturday 6
  return addDays(day, -sinceMonday);
}

/** The seven local midnights of the week starting at `weekStart`. */
export function weekDays(weekStart: Date): Date[] {
  return Array.from({ length: 7 }, (_, i) => addDays(weekStart, i));
}

/** A UTC RFC 3339 timestamp with whole seconds (`2026-11-23T08:00:00Z`). */
export function toRfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The `from`/`to` query of the week starting at `weekStart`: its local Monday to the next Monday, in UTC. */
export function weekQuery(weekStart: Date): { from: string; to: string } {
  const from = startOfWeek(weekStart);
  return { from: toRfc3339(from), to: toRfc3339(addDays(from, 7)) };
}

/** `YYYY-MM-DD` of a local date (for `<input type="date">` and URLs). */
export function localDateString(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** `HH:MM` of a local time (for `<input type="time">`). */
export function localTimeString(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The local instant of a `YYYY-MM-DD` day and an `HH:MM` time; `null` when either is malformed. */
export function fromLocalInputs(day: string, time = "00:00"): Date | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  const [year, month, date, hours, minutes] = [d[1], d[2], d[3], t[1], t[2]].map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || date < 1 || date > 31 || hours > 23 || minutes > 59) return null;
  const result = new Date(year, month - 1, date, hours, minutes);
  // Reject days that roll over (Feb 30 → Mar 2).
  if (result.getMonth() !== month - 1 || result.getDate() !== date) return null;
  return result;
}

/** The Monday of the week named by a `YYYY-MM-DD` parameter, or of `fallback`'s week. */
export function weekFromParam(param: string | null, fallback: Date): Date {
  const day = param ? fromLocalInputs(param) : null;
  return startOfWeek(day ?? fallback);
}

/** Minutes from local midnight of `day` to `at` (negative before it, past 1440 on later days). */
function minutesInto(day: Date, at: Date): number {
  // On `day` itself use the wall clock, so DST days (23 or 25 hours) still line up with the rows.
  if (startOfDay(at).getTime() === day.getTime()) return at.getHours() * 60 + at.getMinutes() + at.getSeconds() / 60;
  return (at.getTime() - day.getTime()) / MINUTE;
}

/** The minutes of `[start, end)` that fall on local `day`, or `null`; a zero-length event keeps its instant. */
export function daySpan(start: Date, end: Date, day: Date): { from: number; to: number } | null {
  const midnight = startOfDay(day);
  const rawFrom = minutesInto(midnight, start);
  const rawTo = Math.max(rawFrom, minutesInto(midnight, end));
  if (rawFrom === rawTo) return rawFrom >= 0 && rawFrom < DAY_MINUTES ? { from: rawFrom, to: rawTo } : null;
  const from = Math.max(rawFrom, 0);
  const to = Math.min(rawTo, DAY_MINUTES);
  return to > from ? { from, to } : null;
}

/** An event's place in one day column, in percent of the column's height. */
export interface DayBox {
  top: number;
  height: number;
  /** The event started before the visible hours (or the day). */
  clippedStart: boolean;
  /** The event goes on after the visible hours (or the day). */
  clippedEnd: boolean;
}

/** Smallest height (minutes) an event gets, so a 5-minute reminder stays clickable. */
export const MIN_EVENT_MINUTES = 20;

/**
 * Where the part of `[start, end)` that falls on local `day` sits between `hours.start` and
 * `hours.end`; `null` when none of it is visible that day.
 */
export function dayBox(start: Date, end: Date, day: Date, hours: HourRange): DayBox | null {
  const span = daySpan(start, end, day);
  if (!span) return null;
  const gridFrom = hours.start * 60;
  const gridTo = hours.end * 60;
  const from = Math.max(span.from, gridFrom);
  const to = Math.min(span.to, gridTo);
  const instant = span.from === span.to;
  if (instant ? span.from < gridFrom || span.from >= gridTo : to <= from) return null;
  const length = Math.max(to - from, Math.min(MIN_EVENT_MINUTES, gridTo - from));
  const total = gridTo - gridFrom;
  return {
    top: ((from - gridFrom) / total) * 100,
    height: (length / total) * 100,
    clippedStart: minutesInto(startOfDay(day), start) < from,
    clippedEnd: minutesInto(startOfDay(day), end) > to,
  };
}

/** The hours to show: the default range, widened to whole hours so every timed event of `days` fits. */
export function visibleHours(
  events: readonly { start: Date; end: Date }[],
  days: readonly Date[],
  base: HourRange = DEFAULT_HOURS,
): HourRange {
  let { start, end } = base;
  for (const event of events) {
    for (const day of days) {
      const span = daySpan(event.start, event.end, day);
      if (!span) continue;
      start = Math.min(start, Math.floor(span.from / 60));
      end = Math.max(end, Math.ceil(Math.max(span.to, span.from + MIN_EVENT_MINUTES) / 60));
    }
  }
  return { start: Math.max(0, start), end: Math.min(24, end) };
}

/** A column slot in a group of overlapping events: `column` of `columns`, both from 0 / 1. */
export interface Lane {
  column: number;
  columns: number;
}

/**
 * Side-by-side layout of overlapping events: each event takes the first column free at its start;
 * events that overlap (directly or through others) share the same number of columns.
 */
export function layoutLanes<T extends { id: string; start: number; end: number }>(items: readonly T[]): Map<string, Lane> {
  const sorted = [...items].sort((a, b) => a.start - b.start || b.end - a.end || a.id.localeCompare(b.id));
  const lanes = new Map<string, Lane>();
  let group: { id: string; column: number }[] = [];
  let columnEnds: number[] = [];
  let groupEnd = -Infinity;

  const close = () => {
    for (const { id, column } of group) lanes.set(id, { column, columns: columnEnds.length });
    group = [];
    columnEnds = [];
  };

  for (const item of sorted) {
    // Zero-length events still occupy their instant.
    const end = Math.max(item.end, item.start + 1);
    if (item.start >= groupEnd) close();
    let column = columnEnds.findIndex((columnEnd) => columnEnd <= item.start);
    if (column === -1) {
      column = columnEnds.length;
      columnEnds.push(end);
    } else {
      columnEnds[column] = end;
    }
    group.push({ id: item.id, column });
    groupEnd = Math.max(groupEnd, end);
  }
  close();
  return lanes;
}

/** Whether `[aStart, aEnd)` and `[bStart, bEnd)` overlap. */
export function overlaps(aStart: Date, aEnd: Date, bStart: Date, bEnd: Date): boolean {
  return aStart < bEnd && bStart < aEnd;
}

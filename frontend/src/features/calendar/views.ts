// Pure date logic of the calendar's views: which view and day the URL names, the days each view
// shows, the UTC range it asks the server for, and how far previous/next move. No React, no clock.
import { addDays, fromLocalInputs, localDateString, startOfDay, startOfWeek, toRfc3339, weekDays } from "./week";

/** The views, in the switcher's order. */
export const VIEWS = ["month", "week", "day", "agenda"] as const;
/** One of the calendar's views. */
export type CalendarView = (typeof VIEWS)[number];
/** The view of a plain `/calendar`. */
export const DEFAULT_VIEW: CalendarView = "week";

/** The switcher's labels. */
export const VIEW_LABELS: Record<CalendarView, string> = { month: "Month", week: "Week", day: "Day", agenda: "Agenda" };

/** What previous/next move by: the agenda lists a month, so it moves by months too. */
export const VIEW_UNITS: Record<CalendarView, "month" | "week" | "day"> = { month: "month", week: "week", day: "day", agenda: "month" };

/** Days in the month grid: six weeks, so every month fits whatever its first weekday. */
export const MONTH_GRID_DAYS = 42;

/** The view named by a `view` parameter; anything else is the default view. */
export function parseView(param: string | null): CalendarView {
  return (VIEWS as readonly string[]).includes(param ?? "") ? (param as CalendarView) : DEFAULT_VIEW;
}

/** Local midnight of the day named by a `YYYY-MM-DD` parameter, or of `fallback`'s day. */
export function parseDate(param: string | null, fallback: Date): Date {
  return startOfDay((param ? fromLocalInputs(param) : null) ?? fallback);
}

/** Local midnight of the first of `date`'s month. */
export function startOfMonth(date: Date): Date {
  return new Date(date.getFullYear(), date.getMonth(), 1);
}

/** `date`'s day `months` months on, kept in its month (31 January + 1 month is 28 or 29 February). */
export function addMonths(date: Date, months: number): Date {
  const first = new Date(date.getFullYear(), date.getMonth() + months, 1);
  const lastDay = new Date(first.getFullYear(), first.getMonth() + 1, 0).getDate();
  return new Date(first.getFullYear(), first.getMonth(), Math.min(date.getDate(), lastDay));
}

/** The 42 local midnights of the month grid of `date`'s month: Monday of the week of its 1st onwards. */
export function monthGrid(date: Date): Date[] {
  const first = startOfWeek(startOfMonth(date));
  return Array.from({ length: MONTH_GRID_DAYS }, (_, i) => addDays(first, i));
}

/** Every local midnight of `date`'s month. */
export function monthDays(date: Date): Date[] {
  const first = startOfMonth(date);
  const count = new Date(first.getFullYear(), first.getMonth() + 1, 0).getDate();
  return Array.from({ length: count }, (_, i) => addDays(first, i));
}

/** The days `view` shows around `date`: the month grid, the week, the day, or the month listed. */
export function viewDays(view: CalendarView, date: Date): Date[] {
  switch (view) {
    case "month":
      return monthGrid(date);
    case "week":
      return weekDays(startOfWeek(date));
    case "day":
      return [startOfDay(date)];
    case "agenda":
      return monthDays(date);
  }
}

/** The `from`/`to` query of `days`: local midnight of the first to that of the day after the last, in UTC. */
export function daysQuery(days: readonly Date[]): { from: string; to: string } {
  const first = days[0];
  const last = days[days.length - 1];
  if (!first || !last) throw new Error("a view shows at least one day");
  return { from: toRfc3339(startOfDay(first)), to: toRfc3339(addDays(startOfDay(last), 1)) };
}

/** The day previous (`-1`) or next (`1`) moves `date` to in `view`. */
export function stepDate(view: CalendarView, date: Date, step: -1 | 1): Date {
  switch (VIEW_UNITS[view]) {
    case "month":
      return addMonths(date, step);
    case "week":
      return addDays(startOfDay(date), 7 * step);
    case "day":
      return addDays(startOfDay(date), step);
  }
}

/**
 * The search parameters of `view` at `date`, the others of `current` kept; the default view and
 * today are left out, so a plain `/calendar` (and a bookmark of it) follows today.
 */
export function calendarSearch(current: URLSearchParams, view: CalendarView, date: Date, today: Date): URLSearchParams {
  const next = new URLSearchParams(current);
  // `week` named the week before the views had a date; a link that still has it moves to `date`.
  next.delete("week");
  if (view === DEFAULT_VIEW) next.delete("view");
  else next.set("view", view);
  const day = localDateString(date);
  if (day === localDateString(today)) next.delete("date");
  else next.set("date", day);
  return next;
}

/** The view and day of the URL's `view` and `date` (or the older `week`), today by default. */
export function readCalendarSearch(params: URLSearchParams, today: Date): { view: CalendarView; date: Date } {
  return { view: parseView(params.get("view")), date: parseDate(params.get("date") ?? params.get("week"), today) };
}

// Pure logic over the events a view shows: their occurrence keys, which fall on a day and in
// what order, the agenda's days and a month cell's overflow. No React, no clock.
import type { CalendarEvent } from "./api";
import { addDays, overlaps, startOfDay } from "./week";

/** An event as the views place it: its occurrence key and its start and end as dates. */
export interface Placed {
  key: string;
  event: CalendarEvent;
  start: Date;
  end: Date;
}

/**
 * What tells one shown event from another. A repeating event's occurrences share the event's id
 * (the server expands the `RRULE`), so the id alone is not enough: the start goes with it.
 */
export const occurrenceKey = (event: Pick<CalendarEvent, "id" | "start_datetime">) => `${event.id}:${event.start_datetime}`;

/** A slot an event is being moved to (dragged, or sent and not yet answered). */
export interface MovedSlot {
  key: string;
  start: Date;
  end: Date;
}

/** The events as the views place them, the one being moved (if any) at its new slot. */
export function placeEvents(events: readonly CalendarEvent[], moving: MovedSlot | null = null): Placed[] {
  return events.map((event) => {
    const key = occurrenceKey(event);
    if (moving && moving.key === key) return { key, event, start: moving.start, end: moving.end };
    return { key, event, start: new Date(event.start_datetime), end: new Date(event.end_datetime) };
  });
}

/** Whether `item` shows on local `day`: it overlaps it, or is an instant within it. */
export function isOnDay(item: { start: Date; end: Date }, day: Date): boolean {
  const from = startOfDay(day);
  const to = addDays(from, 1);
  if (item.start.getTime() === item.end.getTime()) return item.start >= from && item.start < to;
  return overlaps(item.start, item.end, from, to);
}

/** How an event sits on one day: the whole day, starting that day, or going on from an earlier one. */
export type DayPart = "all-day" | "starts" | "continues";

/** How `item` sits on local `day` (which it is on). */
export function dayPart(item: { start: Date; end: Date; event: { all_day: boolean } }, day: Date): DayPart {
  const from = startOfDay(day);
  if (item.event.all_day) return "all-day";
  if (item.start >= from) return "starts";
  return item.end >= addDays(from, 1) ? "all-day" : "continues";
}

const PART_ORDER: Record<DayPart, number> = { "all-day": 0, continues: 1, starts: 2 };

/** The order of a day's events: whole days first, then what goes on from before, then by start, end and title. */
export function compareOnDay(day: Date) {
  return (a: Placed, b: Placed) =>
    PART_ORDER[dayPart(a, day)] - PART_ORDER[dayPart(b, day)] ||
    a.start.getTime() - b.start.getTime() ||
    a.end.getTime() - b.end.getTime() ||
    a.event.title.localeCompare(b.event.title) ||
    a.key.localeCompare(b.key);
}

/** The events on local `day`, in the day's order. */
export function eventsOnDay(items: readonly Placed[], day: Date): Placed[] {
  return items.filter((item) => isOnDay(item, day)).sort(compareOnDay(day));
}

/** The agenda: each of `days` that has events, with them in the day's order (an event over several days is on each). */
export function groupByDay(items: readonly Placed[], days: readonly Date[]): { day: Date; items: Placed[] }[] {
  return days.map((day) => ({ day, items: eventsOnDay(items, day) })).filter((group) => group.items.length > 0);
}

/**
 * What a month cell lists of a day's `items`: all of them when they fit in `max` lines, otherwise
 * `max - 1` and the count left for the "+N more" line.
 */
export function cellEvents<T>(items: readonly T[], max: number): { shown: T[]; more: number } {
  if (items.length <= max) return { shown: [...items], more: 0 };
  const shown = items.slice(0, Math.max(0, max - 1));
  return { shown, more: items.length - shown.length };
}

// Pure logic of dragging an event: where the pointer is in a column of hours, and the slot an event
// moves to by the distance between where it was taken and where it is dropped. No DOM, no clock.
import { startOfDay, type HourRange } from "./week";

/** Moves snap to quarter hours. */
export const SNAP_MINUTES = 15;

const DAY_MS = 24 * 60 * 60_000;

/**
 * A place the pointer can be over: a time in a column of hours (`minutes` from that day's local
 * midnight), or a whole day (a month cell, a week's all-day row).
 */
export type DropPoint = { kind: "time"; day: Date; minutes: number } | { kind: "day"; day: Date };

/** The minutes after midnight at `offset` pixels from the top of a column `height` pixels tall showing `hours`. */
export function minutesAt(offset: number, height: number, hours: HourRange): number {
  if (!(height > 0)) return hours.start * 60;
  const ratio = Math.min(1, Math.max(0, offset / height));
  return hours.start * 60 + ratio * (hours.end - hours.start) * 60;
}

/** Whole local days from `from`'s day to `to`'s (a DST day still counts one). */
export function daysBetween(from: Date, to: Date): number {
  return Math.round((startOfDay(to).getTime() - startOfDay(from).getTime()) / DAY_MS);
}

/** `date` moved by `minutes` on the wall clock (a day on is the same time the next day, DST or not). */
export function addWallMinutes(date: Date, minutes: number): Date {
  const moved = new Date(date);
  moved.setMinutes(moved.getMinutes() + minutes);
  return moved;
}

/**
 * The wall-clock minutes from `grab` to `drop`, snapped to `step`: whole days between the days,
 * plus the time between the two points when both are in columns of hours.
 */
export function dragDelta(grab: DropPoint, drop: DropPoint, step = SNAP_MINUTES): number {
  const days = daysBetween(grab.day, drop.day) * 24 * 60;
  const within = grab.kind === "time" && drop.kind === "time" ? drop.minutes - grab.minutes : 0;
  // `+ 0` turns the -0 that rounding a small negative gives into 0.
  return Math.round((days + within) / step) * step + 0;
}

/**
 * Where an event goes when taken at `grab` and dropped at `drop`, or `null` when it stays put.
 * A timed event moves by the snapped delta and keeps its duration; a whole-day event moves by
 * whole days only (start and end stay at midnight), wherever it is dropped.
 */
export function movedSlot(
  item: { start: Date; end: Date; allDay: boolean },
  grab: DropPoint,
  drop: DropPoint,
  step = SNAP_MINUTES,
): { start: Date; end: Date } | null {
  const delta = item.allDay ? daysBetween(grab.day, drop.day) * 24 * 60 : dragDelta(grab, drop, step);
  if (delta === 0) return null;
  const start = addWallMinutes(item.start, delta);
  const end = item.allDay ? addWallMinutes(item.end, delta) : new Date(start.getTime() + (item.end.getTime() - item.start.getTime()));
  return { start, end };
}

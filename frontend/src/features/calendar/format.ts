// How the calendar writes dates and times: the user's locale and local time zone.

const time = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const hour = new Intl.DateTimeFormat(undefined, { hour: "numeric" });
const day = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short" });
const longDay = new Intl.DateTimeFormat(undefined, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
const range = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });

/** `09:30` in the local zone. */
export const formatTime = (date: Date) => time.format(date);
/** `09` or `9 AM`: the hour rows' labels. */
export const formatHour = (h: number) => hour.format(new Date(2000, 0, 1, h));
/** `Mon 23 Nov`. */
export const formatDay = (date: Date) => day.format(date);
/** `Monday 23 November 2026`. */
export const formatLongDay = (date: Date) => longDay.format(date);
/** `23 – 29 Nov 2026`. */
export const formatWeek = (monday: Date, sunday: Date) => range.formatRange(monday, sunday);

/** `Mon 23 Nov, 09:00–12:00`, with the end's day too when it is another day. */
export function formatSlot(start: Date, end: Date): string {
  const sameDay = start.toDateString() === end.toDateString();
  return sameDay
    ? `${formatDay(start)}, ${formatTime(start)}–${formatTime(end)}`
    : `${formatDay(start)}, ${formatTime(start)} – ${formatDay(end)}, ${formatTime(end)}`;
}

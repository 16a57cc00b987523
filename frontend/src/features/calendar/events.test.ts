import { describe, expect, it } from "vitest";
import type { CalendarEvent } from "./api";
import { cellEvents, dayPart, eventsOnDay, groupByDay, isOnDay, occurrenceKey, placeEvents } from "./events";
import { viewDays } from "./views";
import { fromLocalInputs, localDateString, toRfc3339 } from "./week";

const at = (day: string, time = "00:00") => {
  const date = fromLocalInputs(day, time);
  if (!date) throw new Error(`bad date ${day} ${time}`);
  return date;
};

let ids = 0;
/** An event from `start` to `end` (`YYYY-MM-DD HH:MM`, local). */
function event(title: string, start: string, end: string, fields: Partial<CalendarEvent> = {}): CalendarEvent {
  const [startDay, startTime] = start.split(" ");
  const [endDay, endTime] = end.split(" ");
  ids += 1;
  return {
    id: `00000000-0000-4000-8000-${String(ids).padStart(12, "0")}`,
    title,
    start_datetime: toRfc3339(at(startDay!, startTime)),
    end_datetime: toRfc3339(at(endDay!, endTime)),
    all_day: false,
    event_type: "appointment",
    status: "confirmed",
    participants: [],
    reminders: [],
    timezone: "UTC",
    created_at: "2026-11-01T00:00:00Z",
    updated_at: "2026-11-01T00:00:00Z",
    ...fields,
  };
}

const titles = (items: { event: CalendarEvent }[]) => items.map((item) => item.event.title);

describe("occurrence keys", () => {
  it("tell apart the occurrences of one repeating event", () => {
    const first = event("Stand-up", "2026-12-01 09:00", "2026-12-01 09:15", { recurrence_rule: "FREQ=DAILY" });
    const second = { ...first, start_datetime: toRfc3339(at("2026-12-02", "09:00")), end_datetime: toRfc3339(at("2026-12-02", "09:15")) };
    const keys = placeEvents([first, second]).map((item) => item.key);
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys).toEqual([`${first.id}:${first.start_datetime}`, `${first.id}:${second.start_datetime}`]);
  });

  it("place the event being moved at its new slot, and only that occurrence", () => {
    const first = event("Stand-up", "2026-12-01 09:00", "2026-12-01 09:15");
    const second = { ...first, start_datetime: toRfc3339(at("2026-12-02", "09:00")), end_datetime: toRfc3339(at("2026-12-02", "09:15")) };
    const moving = { key: occurrenceKey(second), start: at("2026-12-02", "11:00"), end: at("2026-12-02", "11:15") };
    const [a, b] = placeEvents([first, second], moving);
    expect(a!.start).toEqual(at("2026-12-01", "09:00"));
    expect(b!.start).toEqual(at("2026-12-02", "11:00"));
    expect(b!.end).toEqual(at("2026-12-02", "11:15"));
    expect(b!.key).toBe(occurrenceKey(second));
  });
});

describe("isOnDay and dayPart", () => {
  const day = at("2026-12-04");

  it("counts what overlaps the day and instants within it, not what ends at its midnight", () => {
    const [inside, before, after, instant, endsAtMidnight, over] = placeEvents([
      event("inside", "2026-12-04 09:00", "2026-12-04 10:00"),
      event("before", "2026-12-03 09:00", "2026-12-03 10:00"),
      event("after", "2026-12-05 00:00", "2026-12-05 01:00"),
      event("instant", "2026-12-04 00:00", "2026-12-04 00:00"),
      event("ends at midnight", "2026-12-03 22:00", "2026-12-04 00:00"),
      event("over", "2026-12-03 22:00", "2026-12-05 02:00"),
    ]);
    expect([inside, before, after, instant, endsAtMidnight, over].map((item) => isOnDay(item!, day))).toEqual([true, false, false, true, false, true]);
  });

  it("says whether an event fills the day, starts on it or goes on from before", () => {
    const [starts, continues, fills, allDay] = placeEvents([
      event("starts", "2026-12-04 22:00", "2026-12-05 02:00"),
      event("continues", "2026-12-03 22:00", "2026-12-04 02:00"),
      event("fills", "2026-12-03 22:00", "2026-12-05 02:00"),
      event("all day", "2026-12-04 00:00", "2026-12-05 00:00", { all_day: true }),
    ]);
    expect([starts, continues, fills, allDay].map((item) => dayPart(item!, day))).toEqual(["starts", "continues", "all-day", "all-day"]);
    expect(dayPart(starts!, at("2026-12-05"))).toBe("continues");
  });
});

describe("eventsOnDay", () => {
  it("orders whole days first, then what goes on from before, then by start, end and title", () => {
    const items = placeEvents([
      event("b 09:00", "2026-12-04 09:00", "2026-12-04 10:00"),
      event("late", "2026-12-04 16:00", "2026-12-04 17:00"),
      event("a 09:00", "2026-12-04 09:00", "2026-12-04 10:00"),
      event("short 09:00", "2026-12-04 09:00", "2026-12-04 09:30"),
      event("from yesterday", "2026-12-03 20:00", "2026-12-04 08:00"),
      event("holiday", "2026-12-04 00:00", "2026-12-05 00:00", { all_day: true }),
      event("tomorrow", "2026-12-05 09:00", "2026-12-05 10:00"),
    ]);
    expect(titles(eventsOnDay(items, at("2026-12-04")))).toEqual(["holiday", "from yesterday", "short 09:00", "a 09:00", "b 09:00", "late"]);
  });
});

describe("groupByDay (the agenda)", () => {
  it("lists only the days with events, in time order, an event over several days on each", () => {
    const items = placeEvents([
      event("Friday late", "2026-12-04 18:00", "2026-12-04 19:00"),
      event("Friday early", "2026-12-04 08:00", "2026-12-04 09:00"),
      event("Night shift", "2026-12-07 22:00", "2026-12-08 06:00"),
      event("Next month", "2027-01-02 08:00", "2027-01-02 09:00"),
      event("Last month", "2026-11-30 08:00", "2026-11-30 09:00"),
    ]);
    const groups = groupByDay(items, viewDays("agenda", at("2026-12-10")));
    expect(groups.map((group) => [localDateString(group.day), titles(group.items)])).toEqual([
      ["2026-12-04", ["Friday early", "Friday late"]],
      ["2026-12-07", ["Night shift"]],
      ["2026-12-08", ["Night shift"]],
    ]);
  });

  it("is empty for a range without events", () => {
    expect(groupByDay([], viewDays("agenda", at("2026-12-10")))).toEqual([]);
  });
});

describe("cellEvents (a month cell)", () => {
  it("lists everything that fits, else one line less and how many more", () => {
    expect(cellEvents([1, 2, 3], 3)).toEqual({ shown: [1, 2, 3], more: 0 });
    expect(cellEvents([1, 2, 3, 4], 3)).toEqual({ shown: [1, 2], more: 2 });
    expect(cellEvents([1, 2, 3, 4, 5, 6, 7], 3)).toEqual({ shown: [1, 2], more: 5 });
    expect(cellEvents([], 3)).toEqual({ shown: [], more: 0 });
    expect(cellEvents([1, 2], 1)).toEqual({ shown: [], more: 2 });
  });
});

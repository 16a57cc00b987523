import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addWallMinutes, daysBetween, dragDelta, minutesAt, movedSlot, type DropPoint } from "./drag";
import { fromLocalInputs, localDateString, localTimeString } from "./week";

const at = (day: string, time = "00:00") => {
  const date = fromLocalInputs(day, time);
  if (!date) throw new Error(`bad date ${day} ${time}`);
  return date;
};
const time = (day: string, hhmm: string): DropPoint => {
  const [h, m] = hhmm.split(":").map(Number) as [number, number];
  return { kind: "time", day: at(day), minutes: h * 60 + m };
};
const wholeDay = (day: string): DropPoint => ({ kind: "day", day: at(day) });
const show = (slot: { start: Date; end: Date } | null) =>
  slot && `${localDateString(slot.start)} ${localTimeString(slot.start)} – ${localDateString(slot.end)} ${localTimeString(slot.end)}`;
const HOUR = 60 * 60_000;

describe("minutesAt", () => {
  const hours = { start: 7, end: 20 };

  it("maps the column's height onto its hours", () => {
    expect(minutesAt(0, 520, hours)).toBe(7 * 60);
    expect(minutesAt(520, 520, hours)).toBe(20 * 60);
    expect(minutesAt(40, 520, hours)).toBe(8 * 60);
    expect(minutesAt(60, 520, hours)).toBe(8 * 60 + 30);
  });

  it("stays inside the column above and below it, and on an empty column", () => {
    expect(minutesAt(-50, 520, hours)).toBe(7 * 60);
    expect(minutesAt(900, 520, hours)).toBe(20 * 60);
    expect(minutesAt(10, 0, hours)).toBe(7 * 60);
  });
});

describe("dragDelta", () => {
  it("is the time between the two points, snapped to quarter hours", () => {
    expect(dragDelta(time("2026-12-04", "09:10"), time("2026-12-04", "11:10"))).toBe(120);
    expect(dragDelta(time("2026-12-04", "09:10"), time("2026-12-04", "09:17"))).toBe(0);
    expect(dragDelta(time("2026-12-04", "09:10"), time("2026-12-04", "09:18"))).toBe(15);
    expect(dragDelta(time("2026-12-04", "09:10"), time("2026-12-04", "09:03"))).toBe(0);
    expect(Object.is(dragDelta(time("2026-12-04", "09:10"), time("2026-12-04", "09:03")), 0)).toBe(true);
    expect(dragDelta(time("2026-12-04", "09:00"), time("2026-12-04", "08:10"))).toBe(-45);
  });

  it("counts whole days between the days, and only days when either point is a whole day", () => {
    expect(dragDelta(time("2026-12-04", "09:00"), time("2026-12-06", "08:00"))).toBe(2 * 1440 - 60);
    expect(dragDelta(wholeDay("2026-12-04"), wholeDay("2026-12-01"))).toBe(-3 * 1440);
    expect(dragDelta(time("2026-12-04", "09:00"), wholeDay("2026-12-05"))).toBe(1440);
  });
});

describe("movedSlot", () => {
  const meeting = { start: at("2026-12-04", "09:00"), end: at("2026-12-04", "10:30"), allDay: false };

  it("moves a timed event by the drag and keeps its duration", () => {
    const moved = movedSlot(meeting, time("2026-12-04", "09:20"), time("2026-12-04", "14:25"));
    expect(show(moved)).toBe("2026-12-04 14:00 – 2026-12-04 15:30");
    expect(moved!.end.getTime() - moved!.start.getTime()).toBe(1.5 * HOUR);
  });

  it("moves to another day's column of the week, at the hour it is dropped", () => {
    expect(show(movedSlot(meeting, time("2026-12-04", "09:30"), time("2026-12-01", "16:30")))).toBe("2026-12-01 16:00 – 2026-12-01 17:30");
  });

  it("moves to another day of the month grid at the same time", () => {
    expect(show(movedSlot(meeting, wholeDay("2026-12-04"), wholeDay("2026-12-15")))).toBe("2026-12-15 09:00 – 2026-12-15 10:30");
    expect(show(movedSlot(meeting, wholeDay("2026-12-04"), wholeDay("2026-11-30")))).toBe("2026-11-30 09:00 – 2026-11-30 10:30");
  });

  it("keeps an event that is not on a quarter hour off the quarters (the delta snaps, not the time)", () => {
    const odd = { start: at("2026-12-04", "09:10"), end: at("2026-12-04", "09:55"), allDay: false };
    expect(show(movedSlot(odd, time("2026-12-04", "09:20"), time("2026-12-04", "10:20")))).toBe("2026-12-04 10:10 – 2026-12-04 10:55");
  });

  it("is null when the drop is where it was taken (or within half a step)", () => {
    expect(movedSlot(meeting, time("2026-12-04", "09:20"), time("2026-12-04", "09:27"))).toBeNull();
    expect(movedSlot(meeting, wholeDay("2026-12-04"), wholeDay("2026-12-04"))).toBeNull();
  });

  it("moves an event over midnight and one taken on its second day", () => {
    const night = { start: at("2026-12-04", "22:00"), end: at("2026-12-05", "06:00"), allDay: false };
    // Taken on the Saturday column at 02:00, dropped at 03:00: an hour later.
    expect(show(movedSlot(night, time("2026-12-05", "02:00"), time("2026-12-05", "03:00")))).toBe("2026-12-04 23:00 – 2026-12-05 07:00");
  });

  it("moves a whole-day event by whole days wherever it is dropped", () => {
    const holiday = { start: at("2026-12-04"), end: at("2026-12-06"), allDay: true };
    expect(show(movedSlot(holiday, wholeDay("2026-12-04"), wholeDay("2026-12-08")))).toBe("2026-12-08 00:00 – 2026-12-10 00:00");
    expect(show(movedSlot(holiday, wholeDay("2026-12-05"), time("2026-12-07", "15:00")))).toBe("2026-12-06 00:00 – 2026-12-08 00:00");
    expect(movedSlot(holiday, wholeDay("2026-12-04"), time("2026-12-04", "15:00"))).toBeNull();
  });
});

describe("across a DST change (Europe/Paris, 29 March and 25 October 2026)", () => {
  const zone = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = "Europe/Paris";
  });
  afterAll(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it("counts the short and the long day as one day each", () => {
    // The zone took: Paris is UTC+1 before the change and UTC+2 after it.
    expect([at("2026-03-28", "12:00").getTimezoneOffset(), at("2026-03-29", "12:00").getTimezoneOffset()]).toEqual([-60, -120]);
    expect(daysBetween(at("2026-03-28"), at("2026-03-30"))).toBe(2);
    expect(daysBetween(at("2026-10-25", "23:00"), at("2026-10-24", "01:00"))).toBe(-1);
  });

  it("moves a day on to the same wall-clock time, and keeps the duration in real time", () => {
    expect(localTimeString(addWallMinutes(at("2026-03-28", "10:00"), 1440))).toBe("10:00");
    const meeting = { start: at("2026-03-28", "10:00"), end: at("2026-03-28", "11:00"), allDay: false };
    const moved = movedSlot(meeting, wholeDay("2026-03-28"), wholeDay("2026-03-29"));
    expect(show(moved)).toBe("2026-03-29 10:00 – 2026-03-29 11:00");
    expect(moved!.end.getTime() - moved!.start.getTime()).toBe(HOUR);
  });

  it("keeps a whole-day event at midnight across the change", () => {
    const holiday = { start: at("2026-10-24"), end: at("2026-10-25"), allDay: true };
    expect(show(movedSlot(holiday, wholeDay("2026-10-24"), wholeDay("2026-10-25")))).toBe("2026-10-25 00:00 – 2026-10-26 00:00");
  });
});

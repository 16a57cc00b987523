import { describe, expect, it } from "vitest";
import {
  addDays,
  dayBox,
  daySpan,
  fromLocalInputs,
  layoutLanes,
  localDateString,
  localTimeString,
  overlaps,
  startOfWeek,
  toRfc3339,
  visibleHours,
  weekDays,
  weekFromParam,
  weekQuery,
} from "./week";

const at = (day: string, time = "00:00") => {
  const date = fromLocalInputs(day, time);
  if (!date) throw new Error(`bad date ${day} ${time}`);
  return date;
};
const hours = { start: 7, end: 20 };

describe("startOfWeek", () => {
  it("is the Monday at local midnight for every day of the week", () => {
    // 2026-11-23 is a Monday.
    for (let i = 0; i < 7; i++) {
      const monday = startOfWeek(at(`2026-11-${23 + i}`, "15:45"));
      expect(localDateString(monday)).toBe("2026-11-23");
      expect(localTimeString(monday)).toBe("00:00");
    }
  });

  it("treats Sunday as the end of the week, not its start", () => {
    expect(localDateString(startOfWeek(at("2026-11-29", "23:59")))).toBe("2026-11-23");
    expect(localDateString(startOfWeek(at("2026-11-30")))).toBe("2026-11-30");
  });

  it("crosses months and years", () => {
    expect(localDateString(startOfWeek(at("2027-01-01")))).toBe("2026-12-28");
  });
});

describe("weekDays and addDays", () => {
  it("lists Monday to Sunday at local midnight", () => {
    const days = weekDays(at("2026-03-23")).map(localDateString);
    expect(days).toEqual(["2026-03-23", "2026-03-24", "2026-03-25", "2026-03-26", "2026-03-27", "2026-03-28", "2026-03-29"]);
  });

  it("keeps local midnight across a DST change", () => {
    // Whatever the machine's zone, every day of a week around the European and US changes starts at 00:00.
    for (const monday of ["2026-03-09", "2026-03-23", "2026-10-19", "2026-10-26", "2026-11-02"]) {
      for (const day of weekDays(at(monday))) expect(localTimeString(day)).toBe("00:00");
      const next = addDays(at(monday), 7);
      expect(localTimeString(next)).toBe("00:00");
      expect(next.getDay()).toBe(1);
    }
  });

  it("places events by wall clock on a DST day", () => {
    // 2026-03-08 (US) and 2026-03-29 (EU) are 23-hour days in those zones; 09:00 is still row 2.
    for (const day of ["2026-03-08", "2026-03-29", "2026-10-25", "2026-11-01"]) {
      const box = dayBox(at(day, "09:00"), at(day, "12:00"), at(day), hours);
      expect(box?.top).toBeCloseTo((2 / 13) * 100);
      expect(box?.height).toBeCloseTo((3 / 13) * 100);
    }
  });
});

describe("weekQuery", () => {
  it("asks for the local Monday to the next local Monday, in UTC RFC 3339", () => {
    const { from, to } = weekQuery(at("2026-11-25", "10:00"));
    expect(from).toBe(toRfc3339(at("2026-11-23")));
    expect(to).toBe(toRfc3339(at("2026-11-30")));
    expect(from).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(new Date(to).getTime() - new Date(from).getTime()).toBeGreaterThanOrEqual(167 * 3600_000);
    expect(new Date(to).getTime() - new Date(from).getTime()).toBeLessThanOrEqual(169 * 3600_000);
  });

  it("writes whole seconds in UTC", () => {
    expect(toRfc3339(new Date(Date.UTC(2026, 10, 23, 8, 30, 0, 250)))).toBe("2026-11-23T08:30:00Z");
  });
});

describe("fromLocalInputs and weekFromParam", () => {
  it("reads date and time inputs as local time", () => {
    const date = at("2026-11-23", "09:30");
    expect([date.getFullYear(), date.getMonth(), date.getDate(), date.getHours(), date.getMinutes()]).toEqual([2026, 10, 23, 9, 30]);
  });

  it("rejects malformed or impossible values", () => {
    for (const [day, time] of [["2026-02-30", "10:00"], ["2026-13-01", "10:00"], ["23/11/2026", "10:00"], ["2026-11-23", "24:00"], ["2026-11-23", "9:30"]] as const) {
      expect(fromLocalInputs(day, time)).toBeNull();
    }
  });

  it("falls back to the current week for a missing or bad parameter", () => {
    const now = at("2026-11-26", "12:00");
    expect(localDateString(weekFromParam(null, now))).toBe("2026-11-23");
    expect(localDateString(weekFromParam("nonsense", now))).toBe("2026-11-23");
    expect(localDateString(weekFromParam("2026-12-03", now))).toBe("2026-11-30");
  });
});

describe("dayBox", () => {
  const monday = at("2026-11-23");

  it("places an event by its local start and length within the visible hours", () => {
    // 09:00–12:00 in a 07:00–20:00 grid (13 hours).
    const box = dayBox(at("2026-11-23", "09:00"), at("2026-11-23", "12:00"), monday, hours);
    expect(box?.top).toBeCloseTo((2 / 13) * 100);
    expect(box?.height).toBeCloseTo((3 / 13) * 100);
    expect(box?.clippedStart).toBe(false);
    expect(box?.clippedEnd).toBe(false);
  });

  it("clips what falls outside the visible hours and says so", () => {
    const box = dayBox(at("2026-11-23", "06:00"), at("2026-11-23", "21:00"), monday, hours);
    expect(box).toMatchObject({ top: 0, clippedStart: true, clippedEnd: true });
    expect(box?.height).toBeCloseTo(100);
  });

  it("is null on other days and outside the visible hours", () => {
    expect(dayBox(at("2026-11-24", "09:00"), at("2026-11-24", "10:00"), monday, hours)).toBeNull();
    expect(dayBox(at("2026-11-23", "05:00"), at("2026-11-23", "07:00"), monday, hours)).toBeNull();
    expect(dayBox(at("2026-11-23", "20:00"), at("2026-11-23", "22:00"), monday, hours)).toBeNull();
  });

  it("splits an event across the days it spans", () => {
    const start = at("2026-11-23", "18:00");
    const end = at("2026-11-24", "09:00");
    const first = dayBox(start, end, monday, hours);
    const second = dayBox(start, end, at("2026-11-24"), hours);
    expect(first).toMatchObject({ clippedStart: false, clippedEnd: true });
    expect(first?.top).toBeCloseTo((11 / 13) * 100);
    expect(second).toMatchObject({ top: 0, clippedStart: true, clippedEnd: false });
    expect(second?.height).toBeCloseTo((2 / 13) * 100);
  });

  it("gives very short and zero-length events a clickable height", () => {
    const box = dayBox(at("2026-11-23", "10:00"), at("2026-11-23", "10:00"), monday, hours);
    expect(box?.height).toBeCloseTo((20 / 780) * 100);
    const late = dayBox(at("2026-11-23", "19:55"), at("2026-11-23", "20:00"), monday, hours);
    expect((late?.top ?? 0) + (late?.height ?? 0)).toBeLessThanOrEqual(100.0001);
  });
});

describe("daySpan and visibleHours", () => {
  const days = weekDays(at("2026-11-23"));

  it("keeps the default hours when everything fits", () => {
    expect(visibleHours([{ start: at("2026-11-24", "08:00"), end: at("2026-11-24", "17:00") }], days)).toEqual(hours);
  });

  it("widens to whole hours to fit early and late events", () => {
    const events = [
      { start: at("2026-11-24", "06:30"), end: at("2026-11-24", "08:00") },
      { start: at("2026-11-25", "19:00"), end: at("2026-11-25", "21:15") },
    ];
    expect(visibleHours(events, days)).toEqual({ start: 6, end: 22 });
  });

  it("ignores events outside the week", () => {
    expect(visibleHours([{ start: at("2026-12-01", "02:00"), end: at("2026-12-01", "03:00") }], days)).toEqual(hours);
  });

  it("shows the part of an overnight event on each day", () => {
    const start = at("2026-11-23", "22:00");
    const end = at("2026-11-24", "02:00");
    expect(daySpan(start, end, at("2026-11-23"))).toEqual({ from: 22 * 60, to: 24 * 60 });
    expect(daySpan(start, end, at("2026-11-24"))).toEqual({ from: 0, to: 120 });
    expect(daySpan(start, end, at("2026-11-25"))).toBeNull();
    expect(visibleHours([{ start, end }], days)).toEqual({ start: 0, end: 24 });
  });
});

describe("layoutLanes", () => {
  const item = (id: string, start: number, end: number) => ({ id, start, end });

  it("gives lone events the whole width", () => {
    const lanes = layoutLanes([item("a", 0, 10), item("b", 10, 20)]);
    expect(lanes.get("a")).toEqual({ column: 0, columns: 1 });
    expect(lanes.get("b")).toEqual({ column: 0, columns: 1 });
  });

  it("puts overlapping events side by side", () => {
    const lanes = layoutLanes([item("a", 0, 10), item("b", 5, 15)]);
    expect(lanes.get("a")).toEqual({ column: 0, columns: 2 });
    expect(lanes.get("b")).toEqual({ column: 1, columns: 2 });
  });

  it("reuses a freed column and shares the width across a chain of overlaps", () => {
    // a overlaps b, b overlaps c, a and c do not: two columns, c reuses a's.
    const lanes = layoutLanes([item("c", 12, 20), item("a", 0, 10), item("b", 5, 15)]);
    expect(lanes.get("a")).toEqual({ column: 0, columns: 2 });
    expect(lanes.get("b")).toEqual({ column: 1, columns: 2 });
    expect(lanes.get("c")).toEqual({ column: 0, columns: 2 });
  });

  it("starts a new group after a gap", () => {
    const lanes = layoutLanes([item("a", 0, 10), item("b", 0, 10), item("c", 0, 10), item("d", 30, 40)]);
    expect(new Set(["a", "b", "c"].map((id) => lanes.get(id)?.column))).toEqual(new Set([0, 1, 2]));
    expect(lanes.get("a")?.columns).toBe(3);
    expect(lanes.get("d")).toEqual({ column: 0, columns: 1 });
  });

  it("handles zero-length events", () => {
    const lanes = layoutLanes([item("a", 5, 5), item("b", 5, 5)]);
    expect(lanes.get("a")?.columns).toBe(2);
  });
});

describe("overlaps", () => {
  it("is strict at the edges", () => {
    expect(overlaps(at("2026-11-23", "09:00"), at("2026-11-23", "10:00"), at("2026-11-23", "10:00"), at("2026-11-23", "11:00"))).toBe(false);
    expect(overlaps(at("2026-11-23", "09:00"), at("2026-11-23", "10:30"), at("2026-11-23", "10:00"), at("2026-11-23", "11:00"))).toBe(true);
  });
});

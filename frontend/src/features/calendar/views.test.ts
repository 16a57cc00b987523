import { describe, expect, it } from "vitest";
import {
  addMonths,
  calendarSearch,
  daysQuery,
  monthDays,
  monthGrid,
  parseDate,
  parseView,
  readCalendarSearch,
  stepDate,
  viewDays,
  VIEW_UNITS,
  VIEWS,
} from "./views";
import { fromLocalInputs, localDateString, localTimeString, toRfc3339 } from "./week";

const at = (day: string, time = "00:00") => {
  const date = fromLocalInputs(day, time);
  if (!date) throw new Error(`bad date ${day} ${time}`);
  return date;
};
const days = (list: Date[]) => list.map(localDateString);

describe("parseView and parseDate", () => {
  it("takes the four views and falls back to the week", () => {
    for (const view of VIEWS) expect(parseView(view)).toBe(view);
    expect(parseView(null)).toBe("week");
    expect(parseView("")).toBe("week");
    expect(parseView("year")).toBe("week");
    expect(parseView("Month")).toBe("week");
  });

  it("reads a day at local midnight, and falls back on a missing or malformed one", () => {
    const today = at("2026-11-25", "15:30");
    expect(localDateString(parseDate("2026-12-04", today))).toBe("2026-12-04");
    expect(localTimeString(parseDate("2026-12-04", today))).toBe("00:00");
    for (const bad of [null, "", "2026-02-30", "04/12/2026", "2026-13-01"]) {
      const date = parseDate(bad, today);
      expect(localDateString(date)).toBe("2026-11-25");
      expect(localTimeString(date)).toBe("00:00");
    }
  });
});

describe("the month grid", () => {
  it("is six weeks from the Monday of the week of the 1st", () => {
    // 1 December 2026 is a Tuesday.
    const grid = monthGrid(at("2026-12-04"));
    expect(grid).toHaveLength(42);
    expect(localDateString(grid[0]!)).toBe("2026-11-30");
    expect(localDateString(grid[41]!)).toBe("2027-01-10");
    for (const [i, day] of grid.entries()) {
      expect(day.getDay()).toBe((i + 1) % 7);
      expect(localTimeString(day)).toBe("00:00");
    }
  });

  it("starts on the 1st itself when it is a Monday, and holds a 31-day month starting on Sunday", () => {
    // 1 February 2027 is a Monday; 1 August 2027 is a Sunday (its 31st falls in the sixth row).
    expect(localDateString(monthGrid(at("2027-02-15"))[0]!)).toBe("2027-02-01");
    const august = days(monthGrid(at("2027-08-20")));
    expect(august[0]).toBe("2027-07-26");
    expect(august).toContain("2027-08-31");
  });

  it("keeps local midnight over the DST changes of March and October", () => {
    for (const month of ["2026-03-10", "2026-10-10", "2026-11-10"]) {
      for (const day of monthGrid(at(month))) expect(localTimeString(day)).toBe("00:00");
    }
  });

  it("lists the month's own days for the agenda", () => {
    expect(days(monthDays(at("2027-02-10")))).toHaveLength(28);
    expect(days(monthDays(at("2028-02-10")))).toHaveLength(29);
    const december = days(monthDays(at("2026-12-31")));
    expect([december[0], december.at(-1), december.length]).toEqual(["2026-12-01", "2026-12-31", 31]);
  });
});

describe("viewDays and daysQuery", () => {
  it("gives each view its days", () => {
    const friday = at("2026-12-04", "10:00");
    expect(viewDays("month", friday)).toHaveLength(42);
    expect(days(viewDays("week", friday))).toEqual(["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05", "2026-12-06"]);
    expect(days(viewDays("day", friday))).toEqual(["2026-12-04"]);
    expect(localTimeString(viewDays("day", friday)[0]!)).toBe("00:00");
    expect(days(viewDays("agenda", friday))).toHaveLength(31);
  });

  it("asks from the first day's local midnight to the one after the last day, in UTC", () => {
    const day = viewDays("day", at("2026-12-04"));
    expect(daysQuery(day)).toEqual({ from: toRfc3339(at("2026-12-04")), to: toRfc3339(at("2026-12-05")) });
    const month = viewDays("month", at("2026-12-04"));
    expect(daysQuery(month)).toEqual({ from: toRfc3339(at("2026-11-30")), to: toRfc3339(at("2027-01-11")) });
    expect(daysQuery(viewDays("agenda", at("2026-12-04")))).toEqual({ from: toRfc3339(at("2026-12-01")), to: toRfc3339(at("2027-01-01")) });
    expect(() => daysQuery([])).toThrow();
  });
});

describe("stepDate", () => {
  it("moves by the view's unit", () => {
    const friday = at("2026-12-04");
    expect(localDateString(stepDate("day", friday, 1))).toBe("2026-12-05");
    expect(localDateString(stepDate("day", friday, -1))).toBe("2026-12-03");
    expect(localDateString(stepDate("week", friday, 1))).toBe("2026-12-11");
    expect(localDateString(stepDate("week", friday, -1))).toBe("2026-11-27");
    expect(localDateString(stepDate("month", friday, 1))).toBe("2027-01-04");
    expect(localDateString(stepDate("agenda", friday, -1))).toBe("2026-11-04");
    expect(VIEW_UNITS.agenda).toBe("month");
  });

  it("keeps a month's last day in the next, shorter month", () => {
    expect(localDateString(addMonths(at("2027-01-31"), 1))).toBe("2027-02-28");
    expect(localDateString(addMonths(at("2028-01-31"), 1))).toBe("2028-02-29");
    expect(localDateString(addMonths(at("2026-03-31"), -1))).toBe("2026-02-28");
    expect(localDateString(addMonths(at("2026-12-15"), 13))).toBe("2028-01-15");
  });

  it("crosses the DST changes at local midnight", () => {
    for (const [view, from] of [["day", "2026-03-28"], ["day", "2026-10-24"], ["week", "2026-03-23"], ["week", "2026-10-19"]] as const) {
      expect(localTimeString(stepDate(view, at(from), 1))).toBe("00:00");
    }
  });
});

describe("calendarSearch and readCalendarSearch", () => {
  const today = at("2026-11-25", "09:00");

  it("writes the view and the day, and leaves out the default view and today", () => {
    expect(calendarSearch(new URLSearchParams(), "month", at("2026-12-04"), today).toString()).toBe("view=month&date=2026-12-04");
    expect(calendarSearch(new URLSearchParams("view=month&date=2026-12-04"), "week", today, today).toString()).toBe("");
  });

  it("keeps the other parameters and drops the older week parameter", () => {
    const current = new URLSearchParams("technician=abc&week=2026-11-23");
    expect(calendarSearch(current, "day", at("2026-12-01"), today).toString()).toBe("technician=abc&view=day&date=2026-12-01");
    expect(current.toString()).toBe("technician=abc&week=2026-11-23");
  });

  it("reads back what it wrote, with today and the week by default", () => {
    const written = calendarSearch(new URLSearchParams(), "agenda", at("2027-01-15"), today);
    const read = readCalendarSearch(written, today);
    expect(read.view).toBe("agenda");
    expect(localDateString(read.date)).toBe("2027-01-15");
    const plain = readCalendarSearch(new URLSearchParams(), today);
    expect([plain.view, localDateString(plain.date)]).toEqual(["week", "2026-11-25"]);
  });

  it("still opens an older link's week", () => {
    const read = readCalendarSearch(new URLSearchParams("week=2026-11-30"), today);
    expect([read.view, localDateString(read.date)]).toEqual(["week", "2026-11-30"]);
  });
});

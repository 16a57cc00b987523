import { describe, expect, it } from "vitest";
import { formatNumber, formatPercent, formatValue, localInputToRfc3339, NO_VALUE, toneOf } from "./format";

describe("plant figures", () => {
  it("shows a missing number as a dash, never 0 or NaN", () => {
    expect(formatNumber(null)).toBe(NO_VALUE);
    expect(formatNumber(undefined)).toBe(NO_VALUE);
    expect(formatNumber(Number.NaN)).toBe(NO_VALUE);
    expect(formatPercent(null)).toBe("—");
  });

  it("formats counts with separators and percentages with one decimal", () => {
    expect(formatNumber(1240)).toBe("1,240");
    expect(formatNumber(0)).toBe("0");
    expect(formatPercent(95.12)).toBe("95.1 %");
    expect(formatPercent(100)).toBe("100 %");
  });

  it("shows a metric's text as sent, and an empty one as a dash", () => {
    expect(formatValue("2h 15m")).toBe("2h 15m");
    expect(formatValue("")).toBe(NO_VALUE);
    expect(formatValue(null)).toBe(NO_VALUE);
    expect(formatValue(12.345)).toBe("12.3");
  });

  it("sends a datetime-local value as RFC 3339 in UTC, and nothing for an empty input", () => {
    expect(localInputToRfc3339("")).toBeUndefined();
    expect(localInputToRfc3339("not a time")).toBeUndefined();
    const sent = localInputToRfc3339("2026-01-15T10:30");
    expect(sent).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(new Date(sent ?? "").getTime()).toBe(new Date(2026, 0, 15, 10, 30).getTime());
  });

  it("gives every status word a tone", () => {
    expect(toneOf("Blocked")).toBe("danger");
    expect(toneOf("Running")).toBe("ok");
    expect(toneOf("Hold")).toBe("warn");
    expect(toneOf("something new")).toBe("muted");
    expect(toneOf(null)).toBe("muted");
  });
});

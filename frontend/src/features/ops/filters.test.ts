import { describe, expect, it } from "vitest";
import { readInventoryFilters, readLogFilters, toInventoryQuery, toLogQuery, writeInventoryFilters, writeLogFilters } from "./filters";

describe("plant list filters", () => {
  it("reads inventory filters from the URL, dropping an unknown status", () => {
    const f = readInventoryFilters(new URLSearchParams("category=cells&status=Broken&search= CELL &offset=-3"));
    expect(f).toEqual({ category: "cells", search: "CELL", status: "", offset: 0 });
  });

  it("writes only the filters that are set, and queries one page", () => {
    const f = { category: "", search: "", status: "Hold" as const, offset: 25 };
    expect(writeInventoryFilters(f).toString()).toBe("status=Hold&offset=25");
    expect(toInventoryQuery(f)).toEqual({ limit: 25, offset: 25, status: "Hold" });
  });

  it("sends the log's time range as RFC 3339 and leaves out what is empty", () => {
    const f = readLogFilters(new URLSearchParams("category=Security&severity=Nope&from=2026-01-15T10:30"));
    expect(f.category).toBe("Security");
    expect(f.severity).toBe("");
    const query = toLogQuery(f);
    expect(query.from).toBe(new Date(2026, 0, 15, 10, 30).toISOString());
    expect(query).not.toHaveProperty("to");
    expect(query).not.toHaveProperty("severity");
    expect(writeLogFilters(f).toString()).toBe("category=Security&from=2026-01-15T10%3A30");
  });
});

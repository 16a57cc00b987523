import { describe, expect, it } from "vitest";
import { PAGE_SIZE, readFilters, toQuery, writeFilters } from "./task-filters";

describe("task filters in the URL", () => {
  it("reads several statuses and drops unknown values", () => {
    const filters = readFilters(new URLSearchParams("status=pending,bogus,scheduled,pending&priority=huge&offset=-5&q=AB"));
    expect(filters.status).toEqual(["pending", "scheduled"]);
    expect(filters.priority).toBe("");
    expect(filters.offset).toBe(0);
    expect(filters.q).toBe("AB");
    expect(readFilters(new URLSearchParams("sort=-priority")).sort).toBe("-priority");
    expect(readFilters(new URLSearchParams("sort=colour")).sort).toBe("");
  });

  it("round-trips through the search params, leaving empty values out", () => {
    const params = new URLSearchParams("status=pending,scheduled&priority=high&from=2026-12-01&sort=priority&offset=25");
    const filters = readFilters(params);
    expect(writeFilters(filters).toString()).toBe(params.toString());
    expect(writeFilters(readFilters(new URLSearchParams())).toString()).toBe("");
  });

  it("becomes the API query, with the page only when asked", () => {
    const filters = readFilters(new URLSearchParams("status=pending,scheduled&q=%20model%20&offset=50"));
    expect(toQuery(filters, true)).toEqual({ status: "pending,scheduled", q: "model", limit: PAGE_SIZE, offset: 50 });
    expect(toQuery(filters, false)).toEqual({ status: "pending,scheduled", q: "model" });
  });
});

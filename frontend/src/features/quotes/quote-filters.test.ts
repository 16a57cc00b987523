import { describe, expect, it } from "vitest";
import { PAGE_SIZE, readFilters, toQuery, writeFilters } from "./quote-filters";

describe("quote filters", () => {
  it("read back what they wrote", () => {
    const filters = { status: "sent" as const, q: "Dupont", offset: 25 };
    expect(readFilters(writeFilters(filters))).toEqual(filters);
    expect(writeFilters(filters).toString()).toBe("status=sent&q=Dupont&offset=25");
  });
  it("drop an unknown status and a bad offset, and leave empty values out", () => {
    expect(readFilters(new URLSearchParams("status=paid&offset=-3&q=%20"))).toEqual({ status: "", q: "", offset: 0 });
    expect(writeFilters({ status: "", q: " ", offset: 0 }).toString()).toBe("");
  });
  it("become one page of the list, newest first", () => {
    expect(toQuery({ status: "", q: "", offset: 0 })).toEqual({ sort: "-created_at", limit: PAGE_SIZE, offset: 0 });
    expect(toQuery({ status: "draft", q: " AB-123 ", offset: 50 })).toEqual({ sort: "-created_at", limit: PAGE_SIZE, offset: 50, status: "draft", q: "AB-123" });
  });
});

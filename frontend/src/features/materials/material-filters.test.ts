import { describe, expect, it } from "vitest";
import { readFilters, toQuery, writeFilters } from "./material-filters";

describe("inventory filters", () => {
  it("go to the URL and back unchanged", () => {
    const filters = { q: "xpel", material_type: "ppf_film" as const, category_id: "cat_ppf_films", low_stock: true, expired: false, offset: 50 };
    const params = writeFilters(filters);
    expect(params.toString()).toBe("q=xpel&material_type=ppf_film&category_id=cat_ppf_films&low_stock=1&offset=50");
    expect(readFilters(params)).toEqual(filters);
  });
  it("drop what the server would refuse", () => {
    const filters = readFilters(new URLSearchParams("material_type=paint&low_stock=yes&expired=true&offset=-3"));
    expect(filters).toEqual({ q: "", material_type: "", category_id: "", low_stock: false, expired: true, offset: 0 });
  });
  it("become the list's query with only the filters set", () => {
    expect(toQuery(readFilters(new URLSearchParams("q=+glue+&expired=1")))).toEqual({ sort: "name", limit: 25, offset: 0, q: "glue", expired: true });
  });
});

import { describe, expect, it } from "vitest";
import { formatQuantity, parseQuantity } from "./quantity";

describe("parseQuantity", () => {
  it("reads up to three decimals with a comma or a point", () => {
    expect(parseQuantity("2.5")).toBe(2.5);
    expect(parseQuantity("2,5")).toBe(2.5);
    expect(parseQuantity("0.125")).toBe(0.125);
    expect(parseQuantity("10")).toBe(10);
    expect(parseQuantity("0")).toBe(0);
  });
  it("is null when empty and NaN when not a quantity", () => {
    expect(parseQuantity(" ")).toBeNull();
    for (const text of ["0.1255", "-1", "1,2,3", "two", "1e3", "1000000001"]) expect(parseQuantity(text)).toBeNaN();
  });
});

describe("formatQuantity", () => {
  it("shows the quantity with its unit", () => {
    expect(formatQuantity(12.5, "meter", "en")).toBe("12.5 m");
    expect(formatQuantity(3, "piece", "en")).toBe("3 pcs");
    expect(formatQuantity(0.125, "liter", "en")).toBe("0.125 L");
  });
});

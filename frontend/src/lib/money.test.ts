import { describe, expect, it } from "vitest";
import { centsToEuros, formatMoney, parseEuros } from "./money";

describe("parseEuros", () => {
  it("reads a comma or a point before the cents", () => {
    expect(parseEuros("12,50")).toBe(1250);
    expect(parseEuros("12.50")).toBe(1250);
    expect(parseEuros("12.5")).toBe(1250);
    expect(parseEuros("12")).toBe(1200);
    expect(parseEuros(" 0,29 € ")).toBe(29);
    expect(parseEuros("0.07")).toBe(7);
  });
  it("is null when empty", () => {
    expect(parseEuros("")).toBeNull();
    expect(parseEuros("  ")).toBeNull();
  });
  it("refuses more than two decimals, signs, separators and words", () => {
    for (const text of ["12.505", "12,999", "-3", "1,234.50", "1.2.3", "abc", "12.", ".5", "1e3"]) expect(parseEuros(text)).toBeNaN();
  });
  it("refuses more than the server takes", () => {
    expect(parseEuros("1000000000")).toBe(100_000_000_000);
    expect(parseEuros("1000000000.01")).toBeNaN();
  });
});

describe("centsToEuros and formatMoney", () => {
  it("writes cents back as an input's text", () => {
    expect(centsToEuros(1250)).toBe("12.50");
    expect(centsToEuros(7)).toBe("0.07");
    expect(centsToEuros(0)).toBe("0.00");
    expect(parseEuros(centsToEuros(123456))).toBe(123456);
  });
  it("formats cents as an amount of the currency", () => {
    expect(formatMoney(1250, "EUR", "en-IE")).toBe("€12.50");
    expect(formatMoney(123456, "EUR", "en-IE")).toBe("€1,234.56");
  });
});

import { describe, expect, it } from "vitest";
import { arcPath, clampPercent, niceMax, polar, scale, slices, sparkRuns } from "./scale";

describe("chart scales", () => {
  it("rounds an axis up to a nice number, and never to zero", () => {
    expect(niceMax([])).toBe(1);
    expect(niceMax([0, null])).toBe(1);
    expect(niceMax([7])).toBe(10);
    expect(niceMax([12, 3])).toBe(20);
    expect(niceMax([1240])).toBe(2000);
    expect(niceMax([230])).toBe(250);
    expect(niceMax([95.1])).toBe(100);
  });

  it("scales values onto a length, clamping and ignoring missing ones", () => {
    expect(scale(50, 100, 200)).toBe(100);
    expect(scale(150, 100, 200)).toBe(200);
    expect(scale(-5, 100, 200)).toBe(0);
    expect(scale(null, 100, 200)).toBe(0);
    expect(scale(5, 0, 200)).toBe(0);
  });

  it("clamps percentages and keeps a missing one missing", () => {
    expect(clampPercent(104)).toBe(100);
    expect(clampPercent(-1)).toBe(0);
    expect(clampPercent(null)).toBeNull();
  });

  it("measures angles clockwise from 12 o'clock", () => {
    expect(polar(50, 50, 10, 0)).toEqual([50, 40]);
    expect(polar(50, 50, 10, Math.PI / 2)).toEqual([60, 50]);
    expect(arcPath(50, 50, 10, 0, Math.PI / 2)).toBe("M 50 40 A 10 10 0 0 1 60 50");
    expect(arcPath(50, 50, 10, 0, (3 * Math.PI) / 2)).toContain(" 0 1 1 ");
  });

  it("cuts a mix into slices that add up to a full turn, skipping empty shares", () => {
    const cut = slices([1, 0, 3, null]);
    expect(cut.map((s) => s.index)).toEqual([0, 2]);
    expect(cut.map((s) => s.percent)).toEqual([25, 75]);
    expect(cut[1]?.end).toBeCloseTo(Math.PI * 2);
    expect(slices([0, null])).toEqual([]);
  });

  it("draws a sparkline top-down, broken where a value is missing", () => {
    expect(sparkRuns([], 100, 20)).toEqual([]);
    expect(sparkRuns([0, 10], 100, 20, 0)).toEqual(["0,20 100,0"]);
    expect(sparkRuns([1, null, 3, 2], 30, 10, 0)).toEqual(["0,10", "20,0 30,5"]);
    expect(sparkRuns([4, 4], 10, 10, 0)).toEqual(["0,5 10,5"]);
  });
});

import { describe, expect, it } from "vitest";
import { exceptionMoves, noteMissing } from "./exception-moves";

const targets = (moves: readonly { to: string }[]) => moves.map((m) => m.to);

describe("exception moves", () => {
  it("follows the lifecycle, triage possibly straight to resolved", () => {
    expect(targets(exceptionMoves("Raised", true))).toEqual(["Triaged"]);
    expect(targets(exceptionMoves("Triaged", true))).toEqual(["In Review", "Resolved"]);
    expect(targets(exceptionMoves("In Review", true))).toEqual(["Resolved"]);
    expect(targets(exceptionMoves("Resolved", true))).toEqual(["Closed"]);
    expect(exceptionMoves("Closed", true)).toEqual([]);
  });

  it("offers nothing to those who only read", () => {
    expect(exceptionMoves("Raised", false)).toEqual([]);
    expect(exceptionMoves("Raised", false, ["Triaged"])).toEqual([]);
  });

  it("uses the server's allowed moves when it sends them", () => {
    const moves = exceptionMoves("Triaged", true, ["Resolved"]);
    expect(moves).toEqual([{ to: "Resolved", label: "Resolve", note: "required" }]);
    expect(exceptionMoves("Raised", true, [])).toEqual([]);
  });

  it("needs a resolution note to resolve, and none for the other moves", () => {
    const [review, resolve] = exceptionMoves("Triaged", true);
    expect(resolve && noteMissing(resolve, "  ")).toBe(true);
    expect(resolve && noteMissing(resolve, "Seal replaced")).toBe(false);
    expect(review && noteMissing(review, "")).toBe(false);
  });
});

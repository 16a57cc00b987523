import { describe, expect, it } from "vitest";
import { canConvert, canEdit, movesFor } from "./quote-moves";

const targets = (...args: Parameters<typeof movesFor>) => movesFor(...args).map((m) => m.to);

describe("quote moves", () => {
  it("follow the state machine for a supervisor; expiring by hand is an admin's", () => {
    expect(targets("draft", "supervisor")).toEqual(["sent"]);
    expect(targets("draft", "admin")).toEqual(["sent", "expired"]);
    expect(targets("sent", "supervisor")).toEqual(["accepted", "rejected", "changes_requested"]);
    expect(targets("sent", "admin")).toEqual(["accepted", "rejected", "changes_requested", "expired"]);
    expect(targets("rejected", "supervisor")).toEqual(["draft"]);
    expect(targets("changes_requested", "admin")).toEqual(["draft"]);
    for (const status of ["accepted", "expired", "converted"] as const) expect(targets(status, "admin")).toEqual([]);
  });
  it("offer nothing to those who only read quotes", () => {
    for (const role of ["technician", "viewer", undefined] as const) {
      expect(targets("sent", role)).toEqual([]);
      expect(canConvert("accepted", role)).toBe(false);
      expect(canEdit("draft", role)).toBe(false);
    }
  });
  it("convert only an accepted quote and edit only a draft", () => {
    expect(canConvert("accepted", "supervisor")).toBe(true);
    expect(canConvert("sent", "admin")).toBe(false);
    expect(canEdit("draft", "supervisor")).toBe(true);
    expect(canEdit("sent", "admin")).toBe(false);
  });
  it("ask for a reason only when rejecting or asking for changes", () => {
    expect(movesFor("sent", "admin").filter((m) => m.reason).map((m) => m.to)).toEqual(["rejected", "changes_requested"]);
  });
});

import { describe, expect, it } from "vitest";
import { backupCodesFileName, backupCodesText } from "./backup-codes";

describe("backupCodesText", () => {
  it("lists one code a line under a heading", () => {
    const text = backupCodesText(["aaaaa-bbbbb", "ccccc-ddddd"], "ada@example.com", new Date("2025-03-04T10:00:00Z"));
    expect(text.split("\n")).toEqual([
      "RPMA backup codes for ada@example.com",
      "Created 2025-03-04. Each code works once, instead of a code from your authenticator app.",
      "",
      "aaaaa-bbbbb",
      "ccccc-ddddd",
      "",
    ]);
  });
});

describe("backupCodesFileName", () => {
  it("keeps the name safe for any file system", () => {
    expect(backupCodesFileName("ada+x@example.com")).toBe("rpma-backup-codes-ada_x_example.com.txt");
  });
});

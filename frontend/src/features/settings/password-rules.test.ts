import { describe, expect, it } from "vitest";
import { checkPasswordChange, passwordProblem } from "./password-rules";

describe("passwordProblem", () => {
  it("accepts 8–128 characters with upper, lower and a digit", () => {
    expect(passwordProblem("Admin1234")).toBeNull();
    expect(passwordProblem("Aa1" + "x".repeat(125))).toBeNull();
    expect(passwordProblem("Éclair99")).toBeNull();
  });
  it("says what is missing, as the server does", () => {
    expect(passwordProblem("Ab1")).toBe("must be at least 8 characters");
    expect(passwordProblem("Aa1" + "x".repeat(126))).toBe("must be at most 128 characters");
    expect(passwordProblem("abcdefgh")).toBe("must contain an uppercase letter, a digit");
    expect(passwordProblem("ABCDEFG1")).toBe("must contain a lowercase letter");
    expect(passwordProblem("Abcdefgh")).toBe("must contain a digit");
  });
  it("counts characters, not UTF-16 units", () => {
    expect(passwordProblem("Aa1😀😀😀😀")).toBe("must be at least 8 characters");
  });
});

describe("checkPasswordChange", () => {
  const ok = { current_password: "Old12345", new_password: "New12345", confirm_password: "New12345" };

  it("passes a good change", () => {
    expect(checkPasswordChange(ok)).toEqual({});
  });
  it("wants the confirmation to match", () => {
    expect(checkPasswordChange({ ...ok, confirm_password: "New12346" })).toEqual({ confirm_password: ["does not match the new password"] });
  });
  it("wants the current password and a strong, different new one", () => {
    expect(checkPasswordChange({ current_password: "", new_password: "weak", confirm_password: "weak" })).toEqual({
      current_password: ["is required"],
      new_password: ["must be at least 8 characters"],
    });
    expect(checkPasswordChange({ ...ok, new_password: "Old12345", confirm_password: "Old12345" })).toEqual({
      new_password: ["must differ from the current password"],
    });
  });
});

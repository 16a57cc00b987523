import { describe, expect, it } from "vitest";
import { ApiError } from "@/api/errors";
import { fieldErrors, formLevelMessage } from "./field-errors";

describe("fieldErrors", () => {
  it("takes a validation error's fields", () => {
    const error = new ApiError("VALIDATION_ERROR", "invalid", 400, { email: ["must be a valid email address"] });
    expect(fieldErrors(error)).toEqual({ email: ["must be a valid email address"] });
  });
  it("takes a conflict that names its field", () => {
    const error = new ApiError("CONFLICT", "a user with this email already exists", 409, { email: ["is already taken"] });
    expect(fieldErrors(error)).toEqual({ email: ["is already taken"] });
  });
  it("ignores conflicts without field details, and other errors", () => {
    expect(fieldErrors(new ApiError("CONFLICT", "the last active admin cannot be demoted", 409))).toEqual({});
    expect(fieldErrors(new ApiError("CONFLICT", "busy", 409, { tasks: [{ id: 1 }] }))).toEqual({});
    expect(fieldErrors(new Error("boom"))).toEqual({});
    expect(fieldErrors(null)).toEqual({});
  });
});

describe("formLevelMessage", () => {
  it("is silent when the fields show everything", () => {
    const error = new ApiError("VALIDATION_ERROR", "invalid", 400, { email: ["bad"] });
    expect(formLevelMessage(error, ["email", "username"])).toBeNull();
  });
  it("speaks for fields the form does not have, and for other errors", () => {
    const error = new ApiError("VALIDATION_ERROR", "invalid body", 400, { body: ["bad"] });
    expect(formLevelMessage(error, ["email"])).toBe("invalid body");
    expect(formLevelMessage(new ApiError("CONFLICT", "the last active admin cannot be banned", 409), ["email"])).toBe(
      "the last active admin cannot be banned",
    );
    expect(formLevelMessage(null, [])).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { ApiError } from "@/api/errors";
import { fieldErrors, formLevelErrors } from "./field-errors";

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

describe("formLevelErrors", () => {
  it("is silent when the fields show everything", () => {
    const error = new ApiError("VALIDATION_ERROR", "the request is not valid", 400, { email: ["bad"] });
    expect(formLevelErrors(error, ["email", "username"])).toEqual({ message: null, fields: [] });
  });
  it("names the fields the form does not have, without the generic summary", () => {
    const error = new ApiError("VALIDATION_ERROR", "the request is not valid", 400, { email: ["bad"], body: ["too long"] });
    expect(formLevelErrors(error, ["email"])).toEqual({ message: null, fields: [["body", ["too long"]]] });
  });
  it("gives the message of an error about no field", () => {
    expect(formLevelErrors(new ApiError("CONFLICT", "the last active admin cannot be banned", 409), ["email"])).toEqual({
      message: "the last active admin cannot be banned",
      fields: [],
    });
    expect(formLevelErrors(new ApiError("VALIDATION_ERROR", "invalid body", 400, { body: [] }), [])).toEqual({ message: "invalid body", fields: [] });
    expect(formLevelErrors(new Error("boom"), [])).toEqual({ message: "boom", fields: [] });
    expect(formLevelErrors(null, [])).toEqual({ message: null, fields: [] });
  });
});

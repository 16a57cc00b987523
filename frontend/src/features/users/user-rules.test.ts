import { describe, expect, it } from "vitest";
import { accountStatus, assignableRoles, canManage, displayName } from "./user-rules";

describe("assignableRoles", () => {
  it("lets admins give every role", () => {
    expect(assignableRoles("admin")).toEqual(["admin", "supervisor", "technician", "viewer", "operator", "plant_head", "auditor"]);
  });
  it("lets supervisors give technician and viewer only", () => {
    expect(assignableRoles("supervisor")).toEqual(["technician", "viewer"]);
  });
  it("gives nothing to other roles", () => {
    expect(assignableRoles("technician")).toEqual([]);
    expect(assignableRoles("viewer")).toEqual([]);
  });
});

describe("canManage", () => {
  it("follows the server's supervisor rule", () => {
    expect(canManage("supervisor", "technician")).toBe(true);
    expect(canManage("supervisor", "supervisor")).toBe(false);
    expect(canManage("supervisor", "admin")).toBe(false);
    expect(canManage("admin", "admin")).toBe(true);
    expect(canManage("technician", "viewer")).toBe(false);
  });
});

describe("accountStatus", () => {
  it("puts a ban before deactivation", () => {
    expect(accountStatus({ banned_at: "2025-01-01T00:00:00Z", is_active: false })).toBe("banned");
    expect(accountStatus({ banned_at: null, is_active: false })).toBe("inactive");
    expect(accountStatus({ is_active: true })).toBe("active");
  });
});

describe("displayName", () => {
  it("joins the names, or falls back to the username", () => {
    expect(displayName({ first_name: "Ada", last_name: "Lovelace", username: "ada" })).toBe("Ada Lovelace");
    expect(displayName({ first_name: "", last_name: " ", username: "ada" })).toBe("ada");
  });
});

import { describe, expect, it } from "vitest";
import type { components } from "@/api/schema";
import { profileChanges, profileDraft } from "./profile-changes";

const user: components["schemas"]["User"] = {
  id: "7d0c2f4e-1111-4222-8333-944455556666",
  email: "ada@example.com",
  username: "ada",
  first_name: "Ada",
  last_name: "Lovelace",
  phone: null,
  role: "admin",
  is_active: true,
  two_factor_enabled: false,
  login_count: 3,
  created_at: "2025-01-01T00:00:00Z",
  updated_at: "2025-01-01T00:00:00Z",
};

describe("profileChanges", () => {
  it("is empty when nothing changed", () => {
    expect(profileChanges(user, profileDraft(user))).toEqual({});
  });
  it("sends only the changed fields, trimmed", () => {
    expect(profileChanges(user, { ...profileDraft(user), first_name: " Augusta ", phone: "+33 6 12 34 56 78" })).toEqual({
      first_name: "Augusta",
      phone: "+33 6 12 34 56 78",
    });
  });
  it("clears a phone with an empty string", () => {
    const withPhone = { ...user, phone: "0612345678" };
    expect(profileChanges(withPhone, { ...profileDraft(withPhone), phone: "  " })).toEqual({ phone: "" });
  });
});

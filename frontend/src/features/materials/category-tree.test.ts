import { describe, expect, it } from "vitest";
import type { Category } from "./api";
import { categoryTree, withDescendants } from "./category-tree";

const at = "2026-12-01T09:00:00Z";
const category = (id: string, name: string, level: number, parent_id: string | null = null): Category => ({ id, code: id.toUpperCase(), name, level, parent_id, created_at: at, updated_at: at });

const list = [
  category("films", "Films", 1),
  category("tools", "Tools", 1),
  category("gloss", "Gloss", 2, "films"),
  category("matte", "Matte", 2, "films"),
  category("squeegees", "Squeegees", 2, "tools"),
  category("soft", "Soft", 3, "squeegees"),
  category("orphan", "Orphan", 2, "gone"),
];

describe("categoryTree", () => {
  it("puts each category under its parent, each level by name", () => {
    expect(categoryTree(list).map((c) => c.id)).toEqual(["films", "gloss", "matte", "orphan", "tools", "squeegees", "soft"]);
  });
  it("finds a category's descendants", () => {
    expect([...withDescendants(list, "tools")].sort()).toEqual(["soft", "squeegees", "tools"]);
  });
});

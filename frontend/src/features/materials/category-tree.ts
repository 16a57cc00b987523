import type { Category } from "./api";

/**
 * The categories in tree order: each root, then its subcategories (depth first), each level by
 * name. A category whose parent is missing is shown as a root rather than dropped.
 */
export function categoryTree(categories: readonly Category[]): Category[] {
  const ids = new Set(categories.map((c) => c.id));
  const children = new Map<string | null, Category[]>();
  for (const category of categories) {
    const parent = category.parent_id && ids.has(category.parent_id) ? category.parent_id : null;
    children.set(parent, [...(children.get(parent) ?? []), category]);
  }
  const ordered: Category[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null) => {
    for (const category of [...(children.get(parent) ?? [])].sort((a, b) => a.name.localeCompare(b.name))) {
      if (seen.has(category.id)) continue;
      seen.add(category.id);
      ordered.push(category);
      walk(category.id);
    }
  };
  walk(null);
  return ordered;
}

/** `id` and every category under it (a category cannot move under one of these). */
export function withDescendants(categories: readonly Category[], id: string): Set<string> {
  const found = new Set([id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of categories) {
      if (c.parent_id && found.has(c.parent_id) && !found.has(c.id)) {
        found.add(c.id);
        grew = true;
      }
    }
  }
  return found;
}

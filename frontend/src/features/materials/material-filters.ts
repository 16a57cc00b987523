import type { MaterialListQuery, MaterialType } from "./api";
import { isMaterialType } from "./labels";

/** The inventory list's filters and page, as kept in the URL's search params. */
export interface MaterialFilters {
  q: string;
  material_type: MaterialType | "";
  category_id: string;
  low_stock: boolean;
  expired: boolean;
  offset: number;
}

export const PAGE_SIZE = 25;

/** Filters from the URL; an unknown type is dropped, a flag is on only as `1` or `true`. */
export function readFilters(params: URLSearchParams): MaterialFilters {
  const type = params.get("material_type") ?? "";
  const offset = Number.parseInt(params.get("offset") ?? "", 10);
  const flag = (key: string) => ["1", "true"].includes(params.get(key) ?? "");
  return {
    q: (params.get("q") ?? "").trim(),
    material_type: isMaterialType(type) ? type : "",
    category_id: params.get("category_id") ?? "",
    low_stock: flag("low_stock"),
    expired: flag("expired"),
    offset: Number.isFinite(offset) && offset > 0 ? offset : 0,
  };
}

/** The URL search params for `filters` (empty values left out, so the URL stays short). */
export function writeFilters(filters: MaterialFilters): URLSearchParams {
  const params = new URLSearchParams();
  const q = filters.q.trim();
  if (q) params.set("q", q);
  if (filters.material_type) params.set("material_type", filters.material_type);
  if (filters.category_id) params.set("category_id", filters.category_id);
  if (filters.low_stock) params.set("low_stock", "1");
  if (filters.expired) params.set("expired", "1");
  if (filters.offset > 0) params.set("offset", String(filters.offset));
  return params;
}

/** Whether any filter narrows the list (for the empty state's wording). */
export const isFiltered = (filters: MaterialFilters) =>
  Boolean(filters.q || filters.material_type || filters.category_id || filters.low_stock || filters.expired);

/** `filters` as the query of `GET /materials`, by name, one page. */
export function toQuery(filters: MaterialFilters): MaterialListQuery {
  const query: MaterialListQuery = { sort: "name", limit: PAGE_SIZE, offset: filters.offset };
  const q = filters.q.trim();
  if (q) query.q = q;
  if (filters.material_type) query.material_type = filters.material_type;
  if (filters.category_id) query.category_id = filters.category_id;
  if (filters.low_stock) query.low_stock = true;
  if (filters.expired) query.expired = true;
  return query;
}

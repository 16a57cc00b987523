import type { QuoteListQuery, QuoteStatus } from "./api";
import { isQuoteStatus } from "./labels";

/** The quote list's filters and page, as kept in the URL's search params. */
export interface QuoteFilters {
  status: QuoteStatus | "";
  q: string;
  offset: number;
}

export const PAGE_SIZE = 25;

/** Filters from the URL; an unknown status is dropped. */
export function readFilters(params: URLSearchParams): QuoteFilters {
  const status = params.get("status") ?? "";
  const offset = Number.parseInt(params.get("offset") ?? "", 10);
  return {
    status: isQuoteStatus(status) ? status : "",
    q: (params.get("q") ?? "").trim(),
    offset: Number.isFinite(offset) && offset > 0 ? offset : 0,
  };
}

/** The URL search params for `filters` (empty values left out, so the URL stays short). */
export function writeFilters(filters: QuoteFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.status) params.set("status", filters.status);
  const q = filters.q.trim();
  if (q) params.set("q", q);
  if (filters.offset > 0) params.set("offset", String(filters.offset));
  return params;
}

/** `filters` as the query of `GET /quotes`, newest first, one page. */
export function toQuery(filters: QuoteFilters): QuoteListQuery {
  const query: QuoteListQuery = { sort: "-created_at", limit: PAGE_SIZE, offset: filters.offset };
  if (filters.status) query.status = filters.status;
  const q = filters.q.trim();
  if (q) query.q = q;
  return query;
}

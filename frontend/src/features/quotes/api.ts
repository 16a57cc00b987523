import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, unwrap } from "@/api/errors";
import { useApi } from "@/api/provider";
import type { components } from "@/api/schema";
import { attachmentName, saveFile } from "@/lib/download";
import { invalidateTasks, quoteKeys, type QuoteListQuery } from "@/lib/query-keys";
import { isManager, type Role } from "@/lib/roles";

export type Quote = components["schemas"]["Quote"];
/** A quote with its lines and the totals the server computed. */
export type QuoteDetail = components["schemas"]["QuoteDetail"];
export type QuoteItem = components["schemas"]["QuoteItem"];
export type Totals = components["schemas"]["Totals"];
export type QuoteFields = components["schemas"]["QuoteFields"];
/** A create: the fields with the client required. */
export type NewQuote = components["schemas"]["NewQuote"];
export type ItemFields = components["schemas"]["ItemFields"];
/** A new line: the fields with its kind required. */
export type NewItem = components["schemas"]["NewItem"];
export type QuoteTransition = components["schemas"]["QuoteTransition"];
export type ConvertQuote = components["schemas"]["ConvertQuote"];
export type QuoteStatus = components["schemas"]["QuoteStatus"];
export type ItemKind = components["schemas"]["ItemKind"];
export type DiscountType = components["schemas"]["DiscountType"];
export type Material = components["schemas"]["Material"];

export type { QuoteListQuery };

/** Who may create quotes, change drafts and move them (the server checks again). */
export const canManageQuotes = (role: Role | undefined) => Boolean(role && isManager(role));
/** Who may delete a quote, or expire one by hand. */
export const isQuoteAdmin = (role: Role | undefined) => role === "admin";

/** A missing quote will not appear by asking again. */
const retryUnlessClientError = (count: number, error: unknown) => count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500);

/** A page of quotes; the previous page stays on screen while the next one loads. */
export function useQuotes(query: QuoteListQuery) {
  const api = useApi();
  return useQuery({
    queryKey: quoteKeys.list(query),
    queryFn: () => unwrap(api.GET("/api/v1/quotes", { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

/** One quote with its lines and totals. */
export function useQuote(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: quoteKeys.detail(id),
    queryFn: () => unwrap(api.GET("/api/v1/quotes/{id}", { params: { path: { id } } })),
    retry: retryUnlessClientError,
  });
}

/** After a write: the quote from the answer (lines and totals as the server has them), lists refetched. */
function useQuoteChanged() {
  const queryClient = useQueryClient();
  return (quote: QuoteDetail) => {
    queryClient.setQueryData(quoteKeys.detail(quote.id), quote);
    return queryClient.invalidateQueries({ queryKey: quoteKeys.lists() });
  };
}

export function useCreateQuote() {
  const api = useApi();
  const changed = useQuoteChanged();
  return useMutation({
    mutationFn: (body: NewQuote) => unwrap(api.POST("/api/v1/quotes", { body })),
    onSuccess: changed,
  });
}

/** Change a draft's fields (and its discount); absent fields stay, `""` clears a text. */
export function useUpdateQuote(id: string) {
  const api = useApi();
  const changed = useQuoteChanged();
  return useMutation({
    mutationFn: (body: QuoteFields) => unwrap(api.PATCH("/api/v1/quotes/{id}", { params: { path: { id } }, body })),
    onSuccess: changed,
  });
}

/** Delete (admins); the quote's screen is being left, so its detail is dropped, not refetched. */
export function useDeleteQuote(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/quotes/{id}", { params: { path: { id } } })),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: quoteKeys.detail(id) });
      return queryClient.invalidateQueries({ queryKey: quoteKeys.lists() });
    },
  });
}

/** Add a line at the end; without a unit price, a material's line costs the material's unit cost. */
export function useAddItem(id: string) {
  const api = useApi();
  const changed = useQuoteChanged();
  return useMutation({
    mutationFn: (body: NewItem) => unwrap(api.POST("/api/v1/quotes/{id}/items", { params: { path: { id } }, body })),
    onSuccess: changed,
  });
}

export function useUpdateItem(id: string) {
  const api = useApi();
  const changed = useQuoteChanged();
  return useMutation({
    mutationFn: ({ itemId, body }: { itemId: string; body: ItemFields }) =>
      unwrap(api.PATCH("/api/v1/quotes/{id}/items/{item_id}", { params: { path: { id, item_id: itemId } }, body })),
    onSuccess: changed,
  });
}

export function useDeleteItem(id: string) {
  const api = useApi();
  const changed = useQuoteChanged();
  return useMutation({
    mutationFn: (itemId: string) => unwrap(api.DELETE("/api/v1/quotes/{id}/items/{item_id}", { params: { path: { id, item_id: itemId } } })),
    onSuccess: changed,
  });
}

/** Every line's id in the new order. */
export function useReorderItems(id: string) {
  const api = useApi();
  const changed = useQuoteChanged();
  return useMutation({
    mutationFn: (itemIds: string[]) => unwrap(api.PUT("/api/v1/quotes/{id}/items/order", { params: { path: { id } }, body: { item_ids: itemIds } })),
    onSuccess: changed,
  });
}

/** Send, accept, reject, ask for changes, back to draft, expire. */
export function useTransitionQuote(id: string) {
  const api = useApi();
  const changed = useQuoteChanged();
  return useMutation({
    mutationFn: (body: QuoteTransition) => unwrap(api.POST("/api/v1/quotes/{id}/status", { params: { path: { id } }, body })),
    onSuccess: changed,
  });
}

/** Turn an accepted quote into its task; the answer has both. */
export function useConvertQuote(id: string) {
  const api = useApi();
  const changed = useQuoteChanged();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ConvertQuote) => unwrap(api.POST("/api/v1/quotes/{id}/convert", { params: { path: { id } }, body })),
    onSuccess: ({ quote }) => Promise.all([changed(quote), invalidateTasks(queryClient)]),
  });
}

/**
 * Save the quote's PDF (`DEV-00001.pdf`): the native save dialog in the desktop, a download in a
 * browser. `fallbackName` is used when the answer's file name cannot be read. Answers where it
 * went, or `null` when the dialog was cancelled.
 */
export function useDownloadQuotePdf(id: string, fallbackName: string) {
  const api = useApi();
  return useMutation({
    mutationFn: async () => {
      const { data, error, response } = await api.GET("/api/v1/quotes/{id}/pdf", { params: { path: { id } }, parseAs: "blob" });
      if (error !== undefined || !data) {
        const failure = (error as { error?: { message?: string } } | undefined)?.error?.message;
        throw new Error(failure ?? "The PDF could not be downloaded.");
      }
      return saveFile(attachmentName(response.headers, fallbackName), data as unknown as Blob);
    },
  });
}

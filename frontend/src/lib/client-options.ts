// The client pickers' reads (tasks, quotes): a search over the clients, and the chosen one.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/errors";
import { useApi } from "@/api/provider";
import { clientKeys } from "./query-keys";

/** Up to 100 clients matching `q`, by name, for the client pickers. */
export function useClientOptions(q: string) {
  const api = useApi();
  return useQuery({
    queryKey: clientKeys.options(q),
    queryFn: () => unwrap(api.GET("/api/v1/clients", { params: { query: { limit: 100, sort: "name", ...(q ? { q } : {}) } } })),
    placeholderData: keepPreviousData,
  });
}

/** One client (so a picker can show the chosen one even when it is not among the matches). */
export function useClientOption(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: clientKeys.detail(id),
    queryFn: () => unwrap(api.GET("/api/v1/clients/{id}", { params: { path: { id } } })),
    enabled: Boolean(id),
  });
}

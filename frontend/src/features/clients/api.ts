import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, unwrap } from "@/api/errors";
import { useApi } from "@/api/provider";
import type { components } from "@/api/schema";
import { clientKeys, invalidateClients, type ClientListQuery } from "@/lib/query-keys";
import type { Role } from "@/lib/roles";

export type Client = components["schemas"]["Client"];
export type ClientDetail = components["schemas"]["ClientDetail"];
export type ClientFields = components["schemas"]["ClientFields"];
/** A create: the fields with `name` required. */
export type NewClient = components["schemas"]["NewClient"];
export type CustomerType = components["schemas"]["CustomerType"];

export type { ClientListQuery };

/** Who may create and edit clients (the server checks again). */
export const canWriteClients = (role: Role | undefined) => role === "admin" || role === "supervisor" || role === "technician";
/** Who may delete clients. */
export const canDeleteClients = (role: Role | undefined) => role === "admin";

/** A page of clients; the previous page stays on screen while the next one loads. */
export function useClients(query: ClientListQuery) {
  const api = useApi();
  return useQuery({
    queryKey: clientKeys.list(query),
    queryFn: () => unwrap(api.GET("/api/v1/clients", { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

/** Counts by type and activity. */
export function useClientStats() {
  const api = useApi();
  return useQuery({
    queryKey: clientKeys.stats(),
    queryFn: () => unwrap(api.GET("/api/v1/clients/stats")),
  });
}

/** One client with its latest tasks. */
export function useClient(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: clientKeys.detailWithTasks(id),
    queryFn: () => unwrap(api.GET("/api/v1/clients/{id}", { params: { path: { id }, query: { include: "tasks" } } })),
    // A missing or forbidden client will not appear by asking again.
    retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
  });
}

/** Create a client; the lists and stats refetch. */
export function useCreateClient() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewClient) => unwrap(api.POST("/api/v1/clients", { body })),
    onSuccess: () => invalidateClients(queryClient),
  });
}

/** Change a client; absent fields stay, `""` clears a text field. */
export function useUpdateClient(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ClientFields) => unwrap(api.PATCH("/api/v1/clients/{id}", { params: { path: { id } }, body })),
    onSuccess: () => invalidateClients(queryClient),
  });
}

/** Delete a client (admin). */
export function useDeleteClient(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/clients/{id}", { params: { path: { id } } })),
    // Not awaited, and the gone client's own queries are left alone: the caller leaves the page
    // at once, and refetching a query still on screen would only fetch a 404.
    onSuccess: () => {
      void invalidateClients(queryClient, id);
    },
  });
}

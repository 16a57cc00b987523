import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, unwrap } from "@/api/errors";
import { useApi } from "@/api/provider";
import type { components } from "@/api/schema";
import { invalidateMaterials, materialKeys, type MaterialListQuery } from "@/lib/query-keys";
import { isManager, isStaff, type Role } from "@/lib/roles";

export type Material = components["schemas"]["Material"];
export type MaterialFields = components["schemas"]["MaterialFields"];
/** A create: the fields with SKU, name, type and unit required. */
export type NewMaterial = components["schemas"]["NewMaterial"];
export type MaterialType = components["schemas"]["MaterialType"];
export type StockMove = components["schemas"]["StockMove"];
export type TransactionType = components["schemas"]["TransactionType"];
export type LedgerEntry = components["schemas"]["LedgerEntry"];
export type Category = components["schemas"]["Category"];
export type CategoryFields = components["schemas"]["CategoryFields"];
/** A new category: its name and code are required. */
export type NewCategory = components["schemas"]["NewCategory"];
/** A new supplier: its name is required. */
export type NewSupplier = components["schemas"]["NewSupplier"];
export type Supplier = components["schemas"]["Supplier"];
export type SupplierFields = components["schemas"]["SupplierFields"];
export type MaterialStats = components["schemas"]["MaterialStats"];

export type { MaterialListQuery };

/** Who may read materials, create and change them, move stock (the server checks again). */
export const canUseInventory = (role: Role | undefined) => Boolean(role && isStaff(role));
/** Who may delete materials and create or change categories and suppliers. */
export const canManageInventory = (role: Role | undefined) => Boolean(role && isManager(role));

/** A missing material will not appear by asking again. */
const retryUnlessClientError = (count: number, error: unknown) => count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500);

/** A page of materials; the previous page stays on screen while the next one loads. */
export function useMaterials(query: MaterialListQuery) {
  const api = useApi();
  return useQuery({
    queryKey: materialKeys.list(query),
    queryFn: () => unwrap(api.GET("/api/v1/materials", { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

/** One material. */
export function useMaterial(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: materialKeys.detail(id),
    queryFn: () => unwrap(api.GET("/api/v1/materials/{id}", { params: { path: { id } } })),
    retry: retryUnlessClientError,
  });
}

/** The live material with a SKU (a scanned label), asked for on demand. */
export function useFindBySku() {
  const api = useApi();
  return useMutation({
    mutationFn: (sku: string) => unwrap(api.GET("/api/v1/materials/by-sku/{sku}", { params: { path: { sku } } })),
  });
}

/** A page of a material's ledger, newest first. */
export function useLedger(id: string, offset: number, limit: number) {
  const api = useApi();
  return useQuery({
    queryKey: materialKeys.ledger(id, offset),
    queryFn: () => unwrap(api.GET("/api/v1/materials/{id}/transactions", { params: { path: { id }, query: { limit, offset } } })),
    placeholderData: keepPreviousData,
  });
}

/** Stock value, low and expired counts, the last 30 days' consumption. */
export function useMaterialStats() {
  const api = useApi();
  return useQuery({
    queryKey: materialKeys.stats(),
    queryFn: () => unwrap(api.GET("/api/v1/materials/stats")),
  });
}

/** Every category, roots first (each level by name). */
export function useCategories() {
  const api = useApi();
  return useQuery({
    queryKey: materialKeys.categories(),
    queryFn: () => unwrap(api.GET("/api/v1/materials/categories")),
    staleTime: 60_000,
  });
}

/** Every supplier, by name. */
export function useSuppliers() {
  const api = useApi();
  return useQuery({
    queryKey: materialKeys.suppliers(),
    queryFn: () => unwrap(api.GET("/api/v1/materials/suppliers")),
    staleTime: 60_000,
  });
}

/** After a change: the material from the answer, and every material query refetched. */
function useMaterialChanged() {
  const queryClient = useQueryClient();
  return (material?: Material) => {
    if (material) queryClient.setQueryData(materialKeys.detail(material.id), material);
    return invalidateMaterials(queryClient);
  };
}

export function useCreateMaterial() {
  const api = useApi();
  const changed = useMaterialChanged();
  return useMutation({
    mutationFn: (body: NewMaterial) => unwrap(api.POST("/api/v1/materials", { body })),
    onSuccess: (material) => changed(material),
  });
}

export function useUpdateMaterial(id: string) {
  const api = useApi();
  const changed = useMaterialChanged();
  return useMutation({
    mutationFn: (body: MaterialFields) => unwrap(api.PATCH("/api/v1/materials/{id}", { params: { path: { id } }, body })),
    onSuccess: (material) => changed(material),
  });
}

export function useDeleteMaterial(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/materials/{id}", { params: { path: { id } } })),
    onSuccess: () => invalidateMaterials(queryClient, id),
  });
}

/** In, out, count, transfer, waste or return; the answer has the material after it. */
export function useMoveStock(id: string) {
  const api = useApi();
  const changed = useMaterialChanged();
  return useMutation({
    mutationFn: (body: StockMove) => unwrap(api.POST("/api/v1/materials/{id}/stock", { params: { path: { id } }, body })),
    onSuccess: (moved) => changed(moved.material),
  });
}

export function useCreateCategory() {
  const api = useApi();
  const changed = useMaterialChanged();
  return useMutation({
    mutationFn: (body: NewCategory) => unwrap(api.POST("/api/v1/materials/categories", { body })),
    onSuccess: () => changed(),
  });
}

export function useUpdateCategory() {
  const api = useApi();
  const changed = useMaterialChanged();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: CategoryFields }) =>
      unwrap(api.PATCH("/api/v1/materials/categories/{id}", { params: { path: { id } }, body })),
    onSuccess: () => changed(),
  });
}

export function useCreateSupplier() {
  const api = useApi();
  const changed = useMaterialChanged();
  return useMutation({
    mutationFn: (body: NewSupplier) => unwrap(api.POST("/api/v1/materials/suppliers", { body })),
    onSuccess: () => changed(),
  });
}

export function useUpdateSupplier() {
  const api = useApi();
  const changed = useMaterialChanged();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: SupplierFields }) =>
      unwrap(api.PATCH("/api/v1/materials/suppliers/{id}", { params: { path: { id } }, body })),
    onSuccess: () => changed(),
  });
}

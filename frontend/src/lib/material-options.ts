// The material pickers' read (an intervention's consumption, a quote's lines).
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/errors";
import { useApi } from "@/api/provider";
import { materialKeys, type MaterialListQuery } from "./query-keys";

/** Up to 100 active materials matching `q` (SKU, name, brand, model), by name, for the pickers. */
export function useMaterialOptions(q: string) {
  const api = useApi();
  const query: MaterialListQuery = { active: true, sort: "name", limit: 100, ...(q ? { q } : {}) };
  return useQuery({
    queryKey: materialKeys.list(query),
    queryFn: () => unwrap(api.GET("/api/v1/materials", { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

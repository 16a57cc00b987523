import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/errors";
import { useApi } from "@/api/provider";
import { statsKeys, type TaskStatsQuery } from "@/lib/query-keys";

/** Task statistics over the tasks scheduled in `from`..`to` (either may be empty: open-ended). */
export function useTaskStats(from: string, to: string) {
  const api = useApi();
  const query: TaskStatsQuery = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
  return useQuery({
    queryKey: statsKeys.tasks(query),
    queryFn: () => unwrap(api.GET("/api/v1/tasks/stats", { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

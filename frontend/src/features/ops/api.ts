import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, unwrap } from "@/api/errors";
import { useApi } from "@/api/provider";
import { invalidateOps, opsKeys, type OpsExceptionQuery, type OpsInventoryQuery, type OpsLogQuery, type OpsOeeQuery } from "@/lib/query-keys";
import type { PlantDashboardRole } from "@/lib/roles";
import type { ExceptionTransition, GateDecision, InventoryItemUpdate, NewException, StationUpdate } from "./types";

export type { OpsExceptionQuery, OpsInventoryQuery, OpsLogQuery };

/** A missing runbook, line or exception will not appear by asking again. */
const retryUnlessClientError = (count: number, error: unknown) => count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500);

export function useDashboardSummary() {
  const api = useApi();
  return useQuery({ queryKey: opsKeys.summary(), queryFn: () => unwrap(api.GET("/api/v1/ops/dashboard/summary")) });
}

export function useDashboardTrends() {
  const api = useApi();
  return useQuery({ queryKey: opsKeys.trends(), queryFn: () => unwrap(api.GET("/api/v1/ops/dashboard/trends")) });
}

export function useDashboardDistributions() {
  const api = useApi();
  return useQuery({ queryKey: opsKeys.distributions(), queryFn: () => unwrap(api.GET("/api/v1/ops/dashboard/distributions")) });
}

/** One role's view: its cards, and the supervisor's approvals, the auditor's strip, the plant head's bottleneck. */
export function useRoleSummary(role: PlantDashboardRole) {
  const api = useApi();
  return useQuery({
    queryKey: opsKeys.roleSummary(role),
    queryFn: () => unwrap(api.GET("/api/v1/ops/dashboard/{role}/summary", { params: { path: { role } } })),
    placeholderData: keepPreviousData,
  });
}

/** What needs a role's attention. */
export function useRoleAttention(role: PlantDashboardRole) {
  const api = useApi();
  return useQuery({
    queryKey: opsKeys.roleAttention(role),
    queryFn: () => unwrap(api.GET("/api/v1/ops/dashboard/{role}/attention", { params: { path: { role } } })),
    placeholderData: keepPreviousData,
  });
}

export function useRunbooks() {
  const api = useApi();
  return useQuery({ queryKey: opsKeys.runbooks(), queryFn: () => unwrap(api.GET("/api/v1/ops/control-tower/runbooks")) });
}

export function useRunbook(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: opsKeys.runbook(id),
    queryFn: () => unwrap(api.GET("/api/v1/ops/runbooks/{runbookId}", { params: { path: { runbookId: id } } })),
    retry: retryUnlessClientError,
  });
}

export function useLiveSummary() {
  const api = useApi();
  return useQuery({ queryKey: opsKeys.liveSummary(), queryFn: () => unwrap(api.GET("/api/v1/ops/live-status/summary")) });
}

export function useLiveOperations() {
  const api = useApi();
  return useQuery({ queryKey: opsKeys.liveOperations(), queryFn: () => unwrap(api.GET("/api/v1/ops/live-status/operations")) });
}

export function useLiveLines() {
  const api = useApi();
  return useQuery({ queryKey: opsKeys.liveLines(), queryFn: () => unwrap(api.GET("/api/v1/ops/live-status/lines")) });
}

export function useInventoryCategories() {
  const api = useApi();
  return useQuery({ queryKey: opsKeys.inventoryCategories(), queryFn: () => unwrap(api.GET("/api/v1/ops/inventory/categories")) });
}

/** A page of inventory items; the previous page stays on screen while the next one loads. */
export function useInventoryItems(query: OpsInventoryQuery) {
  const api = useApi();
  return useQuery({
    queryKey: opsKeys.inventoryItems(query),
    queryFn: () => unwrap(api.GET("/api/v1/ops/inventory/items", { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

export function useLines() {
  const api = useApi();
  return useQuery({ queryKey: opsKeys.lines(), queryFn: () => unwrap(api.GET("/api/v1/ops/lines")) });
}

export function useLine(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: opsKeys.line(id),
    queryFn: () => unwrap(api.GET("/api/v1/ops/lines/{lineId}", { params: { path: { lineId: id } } })),
    retry: retryUnlessClientError,
  });
}

export function useStations(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: opsKeys.stations(id),
    queryFn: () => unwrap(api.GET("/api/v1/ops/lines/{lineId}/stations", { params: { path: { lineId: id } } })),
    retry: retryUnlessClientError,
  });
}

/** A line's OEE over the server's default window (the last 24 h) unless `query` names one. */
export function useLineOee(id: string, query: OpsOeeQuery = {}) {
  const api = useApi();
  return useQuery({
    queryKey: opsKeys.oee(id, query),
    queryFn: () => unwrap(api.GET("/api/v1/ops/lines/{lineId}/oee", { params: { path: { lineId: id }, query } })),
    retry: retryUnlessClientError,
  });
}

export function useExceptions(query: OpsExceptionQuery) {
  const api = useApi();
  return useQuery({
    queryKey: opsKeys.exceptions(query),
    queryFn: () => unwrap(api.GET("/api/v1/ops/exceptions", { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

export function useException(id: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: opsKeys.exception(id ?? ""),
    queryFn: () => unwrap(api.GET("/api/v1/ops/exceptions/{id}", { params: { path: { id: id ?? "" } } })),
    enabled: id !== null,
    retry: retryUnlessClientError,
  });
}

/** A page of the log, newest first. */
export function useLogs(query: OpsLogQuery) {
  const api = useApi();
  return useQuery({
    queryKey: opsKeys.logs(query),
    queryFn: () => unwrap(api.GET("/api/v1/ops/logs", { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

/** Recompute the log's hash chain on the server (asked for, not cached). */
export function useVerifyLogs() {
  const api = useApi();
  return useMutation({ mutationFn: () => unwrap(api.GET("/api/v1/ops/logs/verify")) });
}

export function useReports() {
  const api = useApi();
  return useQuery({ queryKey: opsKeys.reports(), queryFn: () => unwrap(api.GET("/api/v1/ops/reports")) });
}

export function useReportPreview(id: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: opsKeys.reportPreview(id ?? ""),
    queryFn: () => unwrap(api.GET("/api/v1/ops/reports/{reportId}/preview", { params: { path: { reportId: id ?? "" } } })),
    enabled: id !== null,
    retry: retryUnlessClientError,
  });
}

export function useCompliance() {
  const api = useApi();
  return useQuery({ queryKey: opsKeys.compliance(), queryFn: () => unwrap(api.GET("/api/v1/ops/compliance")) });
}

/** A plant write: every plant figure may move, so every plant query refetches after it. */
function useOpsWrite<TVariables, TResult>(write: (variables: TVariables) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: write, onSuccess: () => invalidateOps(queryClient) });
}

/** Start the runbook's current stage, or complete it (its gate open). */
export function useAdvanceStage(runbookId: string) {
  const api = useApi();
  return useOpsWrite((stageId: string) =>
    unwrap(api.POST("/api/v1/ops/runbooks/{runbookId}/stages/{stageId}/advance", { params: { path: { runbookId, stageId } } })),
  );
}

/** Open a stage's gate, or lock it with the evidence. */
export function useDecideGate(runbookId: string) {
  const api = useApi();
  return useOpsWrite(({ stageId, body }: { stageId: string; body: GateDecision }) =>
    unwrap(api.POST("/api/v1/ops/runbooks/{runbookId}/stages/{stageId}/gate", { params: { path: { runbookId, stageId } }, body })),
  );
}

/** Raise an exception on a stage (which puts the stage on hold). */
export function useRaiseException() {
  const api = useApi();
  return useOpsWrite((body: NewException) => unwrap(api.POST("/api/v1/ops/exceptions", { body })));
}

/** Move an exception along its lifecycle. */
export function useTransitionException(id: string) {
  const api = useApi();
  return useOpsWrite((body: ExceptionTransition) => unwrap(api.POST("/api/v1/ops/exceptions/{id}/transition", { params: { path: { id } }, body })));
}

/** Set a station's state (a blocked one with its reason). */
export function useUpdateStation(lineId: string) {
  const api = useApi();
  return useOpsWrite(({ stationId, body }: { stationId: string; body: StationUpdate }) =>
    unwrap(api.PUT("/api/v1/ops/lines/{lineId}/stations/{stationId}", { params: { path: { lineId, stationId } }, body })),
  );
}

/** Set an inventory item's status (and the exception it is held for). */
export function useUpdateInventoryItem() {
  const api = useApi();
  return useOpsWrite(({ id, body }: { id: string; body: InventoryItemUpdate }) =>
    unwrap(api.PUT("/api/v1/ops/inventory/items/{id}", { params: { path: { id } }, body })),
  );
}

/** Load the demo plant (admins, on an empty plant). */
export function useLoadDemo() {
  const api = useApi();
  return useOpsWrite(() => unwrap(api.POST("/api/v1/ops/demo")));
}

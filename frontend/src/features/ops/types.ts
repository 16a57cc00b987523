// The plant's server types, by the names the screens use: each is the generated one (from
// `schema.d.ts`), never a copy.
import type { components } from "@/api/schema";

type S = components["schemas"];

export type DashboardSummary = S["DashboardSummary"];
export type DashboardTrends = S["Trends"];
export type Distributions = S["Distributions"];
export type ChartPoint = S["ChartPoint"];
export type RoleSummary = S["RoleSummary"];
export type AttentionItem = S["AttentionItem"];
export type SystemMetric = S["SystemMetric"];
export type RunbookSummary = S["RunbookSummary"];
export type RunbookData = S["RunbookData"];
export type StageDefinition = S["StageDefinition"];
export type GateDecision = S["GateDecision"];
export type Exception = S["Exception"];
export type ExceptionDetail = S["ExceptionDetail"];
export type ExceptionStatus = S["ExceptionStatus"];
export type Severity = S["Severity"];
export type NewException = S["RaiseException"];
export type ExceptionTransition = S["ExceptionTransition"];
export type LiveOperations = S["Operations"];
export type LineSnapshot = S["LineSnapshot"];
export type InventoryCategory = S["InventoryCategory"];
export type InventoryItem = S["InventoryItem"];
export type InventoryStatus = S["InventoryStatus"];
export type InventoryItemUpdate = S["ItemStatusChange"];
export type LineData = S["LineData"];
export type Station = S["Station"];
export type StationState = S["StationState"];
export type StationUpdate = S["StationChange"];
export type LineOee = S["LineOee"];
export type LogEntry = S["LogEntry"];
export type LogCategory = S["LogCategory"];
export type LogSeverity = S["LogSeverity"];
export type ReportTile = S["ReportTile"];
export type ReportPreview = S["ReportPreview"];
export type Compliance = S["Compliance"];

// The query keys of every cached server read, one factory per resource. A key always holds the
// same data in the same shape, whichever screen asks for it; invalidation goes through these too
// (a prefix such as `taskKeys.all` refetches everything under it).
import type { QueryClient } from "@tanstack/react-query";
import type { components, operations, paths } from "@/api/schema";

/** The query of `GET /tasks` (and of its CSV export): filters, sort and page. */
export type TaskListQuery = NonNullable<operations["list_tasks"]["parameters"]["query"]>;
/** The query of `GET /clients`: search, type filter, sort and page. */
export type ClientListQuery = NonNullable<operations["list_clients"]["parameters"]["query"]>;
/** The query of `GET /users`. */
export type UserListQuery = NonNullable<operations["list_users"]["parameters"]["query"]>;
/** The query of `GET /tasks/stats`: the scheduled-date range. */
export type TaskStatsQuery = NonNullable<operations["task_stats"]["parameters"]["query"]>;

export const taskKeys = {
  all: ["tasks"] as const,
  /** Pages of the task list (`GET /tasks`). */
  lists: () => [...taskKeys.all, "list"] as const,
  list: (query: TaskListQuery) => [...taskKeys.lists(), query] as const,
  /** The tasks the calendar may still book: an array, not a page. */
  schedulable: () => [...taskKeys.all, "schedulable"] as const,
  /** One task; its history, notes and transitions sit under it, so they refetch with it. */
  detail: (id: string) => [...taskKeys.all, "detail", id] as const,
  history: (id: string) => [...taskKeys.detail(id), "history"] as const,
  notes: (id: string) => [...taskKeys.detail(id), "notes"] as const,
  transitions: (id: string) => [...taskKeys.detail(id), "transitions"] as const,
};

/** The query of `GET /interventions`: task, technician, status, dates and page. */
export type InterventionListQuery = NonNullable<operations["list_interventions"]["parameters"]["query"]>;

export const interventionKeys = {
  all: ["interventions"] as const,
  /** Pages of the intervention list. */
  list: (query: InterventionListQuery) => [...interventionKeys.all, "list", query] as const,
  /** One intervention with its steps (`InterventionDetail`). */
  detail: (id: string) => [...interventionKeys.all, "detail", id] as const,
  /** A task's interventions, latest first: an array. */
  ofTask: (taskId: string) => [...interventionKeys.all, "task", taskId] as const,
  /** A step's photos: an array. */
  photos: (stepId: string) => [...interventionKeys.all, "photos", stepId] as const,
  /** An object URL of a photo's thumbnail. */
  thumbnail: (photoId: string) => [...interventionKeys.all, "thumbnail", photoId] as const,
};

export const statsKeys = {
  all: ["stats"] as const,
  tasks: (query: TaskStatsQuery) => [...statsKeys.all, "tasks", query] as const,
};

export const clientKeys = {
  all: ["clients"] as const,
  /** Pages of the client list. */
  list: (query: ClientListQuery) => [...clientKeys.all, "list", query] as const,
  /** Up to 100 clients matching a search, for the pickers: a page. */
  options: (q: string) => [...clientKeys.all, "options", q] as const,
  stats: () => [...clientKeys.all, "stats"] as const,
  /** One client without its tasks (`Client`). */
  detail: (id: string) => [...clientKeys.all, "detail", id] as const,
  /** One client with its latest tasks (`ClientDetail`). */
  detailWithTasks: (id: string) => [...clientKeys.detail(id), "with-tasks"] as const,
};

export const calendarKeys = {
  all: ["calendar"] as const,
  /** Every event overlapping `[from, to)` (of one technician, or `null` for all): an array. */
  events: (range: { from: string; to: string }, technicianId: string | null) =>
    [...calendarKeys.all, "events", range.from, range.to, technicianId] as const,
  conflicts: (request: components["schemas"]["ConflictRequest"] | null) => [...calendarKeys.all, "conflicts", request] as const,
};

export const userKeys = {
  all: ["users"] as const,
  /** Pages of the user list. */
  list: (query: UserListQuery) => [...userKeys.all, "list", query] as const,
  /** Every technician, active or not, sorted by name: an array of `User` (see `useTechnicians`). */
  technicians: () => [...userKeys.all, "technicians"] as const,
};

/** The signed-in user's own account. */
export const meKeys = {
  all: ["me"] as const,
  user: () => [...meKeys.all, "user"] as const,
  twoFactor: () => [...meKeys.all, "2fa"] as const,
};

/** The signed-in user's sessions (under `meKeys.all`). */
export const sessionKeys = {
  mine: () => [...meKeys.all, "sessions"] as const,
};

export const authKeys = {
  hasAdmins: () => ["auth", "has-admins"] as const,
};

export const settingsKeys = {
  app: () => ["app-settings"] as const,
};

export const systemKeys = {
  info: () => ["system", "info"] as const,
  /** The desktop shell's `get_app_info` (not a REST call). */
  appInfo: () => ["shell", "app-info"] as const,
  /** The desktop shell's `get_connection`: this computer or a team server. */
  connection: () => ["shell", "connection"] as const,
};

// What a change shows up in, in one place for the page's own writes and for the live events of
// everybody else's.

/** Tasks changed: task lists and details, statistics, the calendar's bookings, clients' latest tasks. */
export function invalidateTasks(queryClient: QueryClient) {
  return Promise.all([taskKeys.all, statsKeys.all, calendarKeys.all, clientKeys.all].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}

/**
 * Clients changed: every client query, but for `gone`'s own (a deleted client; its screen is being
 * left, and asking again would only fetch a 404).
 */
export function invalidateClients(queryClient: QueryClient, gone?: string) {
  const goneKey = gone === undefined ? null : clientKeys.detail(gone);
  return queryClient.invalidateQueries({
    queryKey: clientKeys.all,
    predicate: (query) => goneKey === null || !goneKey.every((part, i) => query.queryKey[i] === part),
  });
}

/** Calendar events changed: the calendar, and the tasks they book (a booking moves its task). */
export function invalidateCalendar(queryClient: QueryClient) {
  return Promise.all([calendarKeys.all, taskKeys.all].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}

/** The query of `GET /materials`: type, category, supplier, low stock, expiry, text and page. */
export type MaterialListQuery = NonNullable<operations["list_materials"]["parameters"]["query"]>;

export const materialKeys = {
  all: ["materials"] as const,
  /** Pages of the material list. */
  list: (query: MaterialListQuery) => [...materialKeys.all, "list", query] as const,
  /** One material. */
  detail: (id: string) => [...materialKeys.all, "detail", id] as const,
  /** Pages of a material's ledger. */
  ledger: (id: string, offset: number) => [...materialKeys.all, "ledger", id, offset] as const,
  /** The inventory's figures. */
  stats: () => [...materialKeys.all, "stats"] as const,
  /** The category tree. */
  categories: () => [...materialKeys.all, "categories"] as const,
  /** The suppliers. */
  suppliers: () => [...materialKeys.all, "suppliers"] as const,
  /** An intervention's consumption rows and their summary. */
  consumption: (interventionId: string) => [...materialKeys.all, "consumption", interventionId] as const,
};

/**
 * Stock changed: every material query (lists, ledgers, stats, consumption), but for `gone`'s own
 * (a deleted material: its screen is being left, and asking for it or its ledger again would
 * only fetch a 404).
 */
export function invalidateMaterials(queryClient: QueryClient, gone?: string) {
  return queryClient.invalidateQueries({
    queryKey: materialKeys.all,
    predicate: (query) => gone === undefined || !query.queryKey.includes(gone),
  });
}

/** The query of `GET /quotes`: status, client, text and page. */
export type QuoteListQuery = NonNullable<operations["list_quotes"]["parameters"]["query"]>;

export const quoteKeys = {
  all: ["quotes"] as const,
  /** Pages of the quote list. */
  lists: () => [...quoteKeys.all, "list"] as const,
  list: (query: QuoteListQuery) => [...quoteKeys.lists(), query] as const,
  /** One quote with its lines and totals (`QuoteDetail`). */
  detail: (id: string) => [...quoteKeys.all, "detail", id] as const,
};

/** Quotes changed: every quote query; a conversion also made a task. */
export function invalidateQuotes(queryClient: QueryClient) {
  return Promise.all([quoteKeys.all, taskKeys.all].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}

/** Interventions changed: every intervention query, and the tasks they move. */
export function invalidateInterventions(queryClient: QueryClient) {
  return Promise.all([interventionKeys.all, taskKeys.all].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}

/** The query of `GET /ops/inventory/items`: category, search, status and page. */
export type OpsInventoryQuery = NonNullable<paths["/api/v1/ops/inventory/items"]["get"]["parameters"]["query"]>;
/** The query of `GET /ops/exceptions`: status, severity and runbook. */
export type OpsExceptionQuery = NonNullable<paths["/api/v1/ops/exceptions"]["get"]["parameters"]["query"]>;
/** The query of `GET /ops/logs`: category, severity, time range, search and page. */
export type OpsLogQuery = NonNullable<paths["/api/v1/ops/logs"]["get"]["parameters"]["query"]>;
/** The query of `GET /ops/lines/{id}/oee`: the window. */
export type OpsOeeQuery = NonNullable<paths["/api/v1/ops/lines/{lineId}/oee"]["get"]["parameters"]["query"]>;

/**
 * The plant (BPM-OS). Every plant figure is computed by the server from the same rows, so a write
 * anywhere may move any of them: writes and `ops.*` events invalidate `opsKeys.all`.
 */
export const opsKeys = {
  all: ["ops"] as const,
  dashboard: () => [...opsKeys.all, "dashboard"] as const,
  summary: () => [...opsKeys.dashboard(), "summary"] as const,
  trends: () => [...opsKeys.dashboard(), "trends"] as const,
  distributions: () => [...opsKeys.dashboard(), "distributions"] as const,
  /** A role's view (`admin`, `plant-head`, …): its cards and its attention list. */
  roleSummary: (role: string) => [...opsKeys.dashboard(), role, "summary"] as const,
  roleAttention: (role: string) => [...opsKeys.dashboard(), role, "attention"] as const,
  /** The control tower's runbooks: an array. */
  runbooks: () => [...opsKeys.all, "runbooks"] as const,
  /** One runbook with its stages, custody and warranty context. */
  runbook: (id: string) => [...opsKeys.runbooks(), id] as const,
  live: () => [...opsKeys.all, "live"] as const,
  liveSummary: () => [...opsKeys.live(), "summary"] as const,
  liveOperations: () => [...opsKeys.live(), "operations"] as const,
  liveLines: () => [...opsKeys.live(), "lines"] as const,
  inventoryCategories: () => [...opsKeys.all, "inventory", "categories"] as const,
  /** Pages of inventory items. */
  inventoryItems: (query: OpsInventoryQuery) => [...opsKeys.all, "inventory", "items", query] as const,
  lines: () => [...opsKeys.all, "lines"] as const,
  line: (id: string) => [...opsKeys.lines(), id] as const,
  stations: (id: string) => [...opsKeys.line(id), "stations"] as const,
  oee: (id: string, query: OpsOeeQuery) => [...opsKeys.line(id), "oee", query] as const,
  /** The exception board (an array) and one exception's detail. */
  exceptions: (query: OpsExceptionQuery) => [...opsKeys.all, "exceptions", "list", query] as const,
  exception: (id: string) => [...opsKeys.all, "exceptions", "detail", id] as const,
  /** Pages of the log, newest first. */
  logs: (query: OpsLogQuery) => [...opsKeys.all, "logs", query] as const,
  reports: () => [...opsKeys.all, "reports"] as const,
  reportPreview: (id: string) => [...opsKeys.reports(), id, "preview"] as const,
  compliance: () => [...opsKeys.all, "compliance"] as const,
};

/** The plant changed: every plant query. */
export function invalidateOps(queryClient: QueryClient) {
  return queryClient.invalidateQueries({ queryKey: opsKeys.all });
}

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, unwrap } from "@/api/errors";
import { useApi } from "@/api/provider";
import type { components } from "@/api/schema";
import { calendarKeys, invalidateCalendar, taskKeys } from "@/lib/query-keys";

export type CalendarEvent = components["schemas"]["CalendarEvent"];
export type EventFields = components["schemas"]["EventFields"];
/** A create: the fields with title, start and end required. */
export type NewEvent = components["schemas"]["NewEvent"];
export type EventType = components["schemas"]["EventType"];
export type Booking = components["schemas"]["Booking"];
export type ConflictRequest = components["schemas"]["ConflictRequest"];
export type ScheduleTaskRequest = components["schemas"]["ScheduleTaskRequest"];

/** The server's largest page: a week rarely needs more than one. */
const PAGE = 500;
/** Stop paging there: a week this full would not be readable anyway. */
const MAX_EVENTS = 5000;

/** Every event overlapping `[from, to)`, optionally of one technician. */
export function useWeekEvents(range: { from: string; to: string }, technicianId: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: calendarKeys.events(range, technicianId ?? null),
    queryFn: async () => {
      const events: CalendarEvent[] = [];
      for (let offset = 0; offset < MAX_EVENTS; offset += PAGE) {
        const query = { from: range.from, to: range.to, limit: PAGE, offset, ...(technicianId ? { technician_id: technicianId } : {}) };
        const page = await unwrap(api.GET("/api/v1/calendar/events", { params: { query } }));
        events.push(...page.items);
        if (page.items.length < PAGE || events.length >= page.total) break;
      }
      return events;
    },
    placeholderData: keepPreviousData,
  });
}

/** Tasks that can still be scheduled (draft, pending or already scheduled). */
export function useSchedulableTasks(enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: taskKeys.schedulable(),
    queryFn: async () => (await unwrap(api.GET("/api/v1/tasks", { params: { query: { status: "pending,draft,scheduled", limit: 100, sort: "scheduled_date" } } }))).items,
    enabled,
  });
}

/** The bookings in the way of a slot; `null` asks nothing (the form is not complete yet). */
export function useConflicts(request: ConflictRequest | null) {
  const api = useApi();
  return useQuery({
    queryKey: calendarKeys.conflicts(request),
    queryFn: () => unwrap(api.POST("/api/v1/calendar/conflicts", { body: request as ConflictRequest })),
    enabled: request !== null,
    staleTime: 0,
  });
}

/** A direct conflicts check (the last word before booking). */
export function useCheckConflicts() {
  const api = useApi();
  return useMutation({
    mutationFn: (body: ConflictRequest) => unwrap(api.POST("/api/v1/calendar/conflicts", { body })),
  });
}

/** Book a task: its event, date, times and technician change together. */
export function useScheduleTask() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ScheduleTaskRequest) => unwrap(api.POST("/api/v1/calendar/schedule-task", { body })),
    onSuccess: () => invalidateCalendar(queryClient),
  });
}

/** Create a plain event. */
export function useCreateEvent() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewEvent) => unwrap(api.POST("/api/v1/calendar/events", { body })),
    onSuccess: () => invalidateCalendar(queryClient),
  });
}

/** Delete an event (a task's booking too: the task keeps its date). */
export function useDeleteEvent() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/v1/calendar/events/{id}", { params: { path: { id } } })),
    onSuccess: () => invalidateCalendar(queryClient),
  });
}

function isBooking(value: unknown): value is Booking {
  if (typeof value !== "object" || value === null) return false;
  const b = value as Record<string, unknown>;
  return typeof b.id === "string" && typeof b.title === "string" && typeof b.start === "string" && typeof b.end === "string";
}

/** The bookings of a `409 CONFLICT` answer (`details.conflicts`), or `null` for other errors. */
export function conflictsOf(error: unknown): Booking[] | null {
  if (!(error instanceof ApiError) || error.code !== "CONFLICT") return null;
  const list = error.details?.conflicts;
  return Array.isArray(list) ? list.filter(isBooking) : null;
}

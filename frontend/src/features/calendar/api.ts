import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, unwrap } from "@/api/errors";
import { useApi } from "@/api/provider";
import type { components } from "@/api/schema";

export type CalendarEvent = components["schemas"]["CalendarEvent"];
export type EventFields = components["schemas"]["EventFields"];
export type EventType = components["schemas"]["EventType"];
export type Booking = components["schemas"]["Booking"];
export type ConflictRequest = components["schemas"]["ConflictRequest"];
export type ScheduleTaskRequest = components["schemas"]["ScheduleTaskRequest"];
export type User = components["schemas"]["User"];
type Role = components["schemas"]["Role"];

/** Admins and supervisors schedule, create and delete events (the server checks again). */
export const canManageCalendar = (role: Role | undefined) => role === "admin" || role === "supervisor";

/** The server's largest page: a week rarely needs more than one. */
const PAGE = 500;
/** Stop paging there: a week this full would not be readable anyway. */
const MAX_EVENTS = 5000;

/** Every event overlapping `[from, to)`, optionally of one technician. */
export function useWeekEvents(range: { from: string; to: string }, technicianId: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ["calendar", "events", range.from, range.to, technicianId ?? null],
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

/** The technicians (managers only: `/users` is closed to technicians), by name. */
export function useTechnicians(enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: ["users", "technicians"],
    queryFn: async () => {
      const page = await unwrap(api.GET("/api/v1/users", { params: { query: { role: "technician", limit: PAGE, sort: "username" } } }));
      return [...page.items].sort((a, b) => technicianName(a).localeCompare(technicianName(b)));
    },
    enabled,
    staleTime: 60_000,
  });
}

/** "First Last", the way people are shown. */
export const technicianName = (user: User) => `${user.first_name} ${user.last_name}`.trim() || user.username;

/** Tasks that can still be scheduled (draft, pending or already scheduled). */
export function useSchedulableTasks(enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: ["tasks", "schedulable"],
    queryFn: async () => (await unwrap(api.GET("/api/v1/tasks", { params: { query: { status: "pending,draft,scheduled", limit: 100, sort: "scheduled_date" } } }))).items,
    enabled,
  });
}

/** The bookings in the way of a slot; `null` asks nothing (the form is not complete yet). */
export function useConflicts(request: ConflictRequest | null) {
  const api = useApi();
  return useQuery({
    queryKey: ["calendar", "conflicts", request],
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
    onSuccess: () => invalidateBookings(queryClient),
  });
}

/** Create a plain event. */
export function useCreateEvent() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: EventFields) => unwrap(api.POST("/api/v1/calendar/events", { body })),
    onSuccess: () => invalidateBookings(queryClient),
  });
}

/** Delete an event (a task's booking too: the task keeps its date). */
export function useDeleteEvent() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/v1/calendar/events/{id}", { params: { path: { id } } })),
    onSuccess: () => invalidateBookings(queryClient),
  });
}

function invalidateBookings(queryClient: ReturnType<typeof useQueryClient>) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: ["calendar"] }),
    queryClient.invalidateQueries({ queryKey: ["tasks"] }),
    queryClient.invalidateQueries({ queryKey: ["task"] }),
  ]);
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

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "@/api/errors";
import { useApi } from "@/api/provider";
import type { components } from "@/api/schema";
import type { NewTaskBody, TaskBody } from "./task-form-model";
import type { TaskStatus } from "@/components/task-labels";
import { invalidateTasks, taskKeys, type TaskListQuery } from "@/lib/query-keys";

export type ImportMode = components["schemas"]["ImportMode"];
export type Booking = components["schemas"]["Booking"];

/** A page of tasks for `query` (the previous page stays shown while the next one loads). */
export function useTasks(query: TaskListQuery) {
  const api = useApi();
  return useQuery({
    queryKey: taskKeys.list(query),
    queryFn: () => unwrap(api.GET("/api/v1/tasks", { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

/** One task. */
export function useTask(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: taskKeys.detail(id),
    queryFn: () => unwrap(api.GET("/api/v1/tasks/{id}", { params: { path: { id } } })),
  });
}

/** A task's history, oldest first. */
export function useTaskHistory(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: taskKeys.history(id),
    queryFn: () => unwrap(api.GET("/api/v1/tasks/{id}/history", { params: { path: { id } } })),
  });
}

/** A task's notes, oldest first. */
export function useTaskNotes(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: taskKeys.notes(id),
    queryFn: () => unwrap(api.GET("/api/v1/tasks/{id}/notes", { params: { path: { id } } })),
  });
}

/** The statuses the caller may move the task to now (empty for viewers and closed tasks). */
export function useTransitions(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: taskKeys.transitions(id),
    queryFn: () => unwrap(api.GET("/api/v1/tasks/{id}/transitions", { params: { path: { id } } })),
  });
}

/** After a task changed: everything that shows tasks refetches. */
function useTaskChanged() {
  const queryClient = useQueryClient();
  return () => void invalidateTasks(queryClient);
}

export function useCreateTask() {
  const api = useApi();
  const changed = useTaskChanged();
  return useMutation({
    mutationFn: (body: NewTaskBody) => unwrap(api.POST("/api/v1/tasks", { body })),
    onSuccess: () => changed(),
  });
}

export function useUpdateTask(id: string) {
  const api = useApi();
  const changed = useTaskChanged();
  return useMutation({
    mutationFn: (body: TaskBody) => unwrap(api.PATCH("/api/v1/tasks/{id}", { params: { path: { id } }, body })),
    onSuccess: () => changed(),
  });
}

export function useTransitionTask(id: string) {
  const api = useApi();
  const changed = useTaskChanged();
  return useMutation({
    mutationFn: (body: { to: TaskStatus; reason?: string }) =>
      unwrap(api.POST("/api/v1/tasks/{id}/transition", { params: { path: { id } }, body })),
    onSuccess: () => changed(),
  });
}

export function useAssignTask(id: string) {
  const api = useApi();
  const changed = useTaskChanged();
  return useMutation({
    mutationFn: (technicianId: string | null) =>
      unwrap(api.POST("/api/v1/tasks/{id}/assign", { params: { path: { id } }, body: { technician_id: technicianId } })),
    onSuccess: () => changed(),
  });
}

export function useDelayTask(id: string) {
  const api = useApi();
  const changed = useTaskChanged();
  return useMutation({
    mutationFn: (body: { scheduled_date: string; reason: string }) =>
      unwrap(api.POST("/api/v1/tasks/{id}/delay", { params: { path: { id } }, body })),
    onSuccess: () => changed(),
  });
}

export function useDeleteTask(id: string) {
  const api = useApi();
  const changed = useTaskChanged();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/tasks/{id}", { params: { path: { id } } })),
    onSuccess: () => changed(),
  });
}

export function useAddNote(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: string) => unwrap(api.POST("/api/v1/tasks/{id}/notes", { params: { path: { id } }, body: { body } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: taskKeys.notes(id) }),
  });
}

/** The CSV of every task matching `query` (same filters and sort as the list, no paging). */
export function useExportTasks() {
  const api = useApi();
  return useMutation({
    mutationFn: (query: TaskListQuery) =>
      // The body is CSV, not an envelope: wrap it as one so failures go through `unwrap` like the rest.
      unwrap(
        api
          .GET("/api/v1/tasks/export.csv", { params: { query }, parseAs: "text" })
          .then((result) => (result.data === undefined ? { ...result, data: undefined } : { ...result, data: { success: true, data: result.data } })),
      ),
  });
}

/** Send a CSV file to the import; the report lists what was created and each row's problems. */
export function useImportTasks() {
  const api = useApi();
  const changed = useTaskChanged();
  return useMutation({
    mutationFn: ({ csv, mode }: { csv: string; mode: ImportMode }) =>
      unwrap(
        api.POST("/api/v1/tasks/import", {
          params: { query: { mode } },
          body: csv,
          // The body is the file's text as it is, not JSON.
          bodySerializer: (text: string) => text,
          headers: { "Content-Type": "text/csv" },
        }),
      ),
    onSuccess: (report) => {
      if (report.created > 0) changed();
    },
  });
}

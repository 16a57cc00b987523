import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "@/api/errors";
import { useApi } from "@/api/provider";
import { attachmentName, saveFile } from "@/lib/download";
import type { components } from "@/api/schema";
import { interventionKeys, invalidateInterventions, invalidateMaterials, materialKeys, type InterventionListQuery } from "@/lib/query-keys";

export type Intervention = components["schemas"]["Intervention"];
export type InterventionDetail = components["schemas"]["InterventionDetail"];
export type Step = components["schemas"]["Step"];
export type StepType = components["schemas"]["StepType"];
export type Photo = components["schemas"]["Photo"];
export type StartIntervention = components["schemas"]["StartIntervention"];
export type StepProgress = components["schemas"]["StepProgress"];
export type Finalize = components["schemas"]["Finalize"];
export type Consumption = components["schemas"]["Consumption"];
export type ConsumptionSummary = components["schemas"]["ConsumptionSummary"];
export type RecordConsumption = components["schemas"]["RecordConsumption"];
export type Material = components["schemas"]["Material"];

/** A page of interventions. */
export function useInterventions(query: InterventionListQuery) {
  const api = useApi();
  return useQuery({
    queryKey: interventionKeys.list(query),
    queryFn: () => unwrap(api.GET("/api/v1/interventions", { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

/** One intervention with its steps. */
export function useIntervention(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: interventionKeys.detail(id),
    queryFn: () => unwrap(api.GET("/api/v1/interventions/{id}", { params: { path: { id } } })),
  });
}

/** A task's interventions, latest first. */
export function useTaskInterventions(taskId: string) {
  const api = useApi();
  return useQuery({
    queryKey: interventionKeys.ofTask(taskId),
    queryFn: () => unwrap(api.GET("/api/v1/tasks/{id}/interventions", { params: { path: { id: taskId } } })),
  });
}

/** After a change: the detail from the answer, and everything it moved (lists, the task). */
function useChanged() {
  const queryClient = useQueryClient();
  return (detail: InterventionDetail) => {
    queryClient.setQueryData(interventionKeys.detail(detail.intervention.id), detail);
    return invalidateInterventions(queryClient);
  };
}

export function useStartIntervention() {
  const api = useApi();
  const changed = useChanged();
  return useMutation({
    mutationFn: (body: StartIntervention) => unwrap(api.POST("/api/v1/interventions", { body })),
    onSuccess: changed,
  });
}

type StepCall = { stepId: string; body: StepProgress };

export function useSaveStep(id: string) {
  const api = useApi();
  const changed = useChanged();
  return useMutation({
    mutationFn: ({ stepId, body }: StepCall) =>
      unwrap(api.PUT("/api/v1/interventions/{id}/steps/{step_id}", { params: { path: { id, step_id: stepId } }, body })),
    onSuccess: changed,
  });
}

export function useAdvanceStep(id: string) {
  const api = useApi();
  const changed = useChanged();
  return useMutation({
    mutationFn: ({ stepId, body }: StepCall) =>
      unwrap(api.POST("/api/v1/interventions/{id}/steps/{step_id}/advance", { params: { path: { id, step_id: stepId } }, body })),
    onSuccess: changed,
  });
}

/** Pause, resume or cancel. */
export function useLifecycle(id: string) {
  const api = useApi();
  const changed = useChanged();
  return useMutation({
    mutationFn: (action: "pause" | "resume" | "cancel") => {
      const params = { params: { path: { id } } };
      if (action === "pause") return unwrap(api.POST("/api/v1/interventions/{id}/pause", params));
      if (action === "resume") return unwrap(api.POST("/api/v1/interventions/{id}/resume", params));
      return unwrap(api.POST("/api/v1/interventions/{id}/cancel", params));
    },
    onSuccess: changed,
  });
}

export function useFinalize(id: string) {
  const api = useApi();
  const changed = useChanged();
  return useMutation({
    mutationFn: (body: Finalize) => unwrap(api.POST("/api/v1/interventions/{id}/finalize", { params: { path: { id } }, body })),
    onSuccess: changed,
  });
}

/** A step's photos. */
export function usePhotos(id: string, stepId: string) {
  const api = useApi();
  return useQuery({
    queryKey: interventionKeys.photos(stepId),
    queryFn: () => unwrap(api.GET("/api/v1/interventions/{id}/steps/{step_id}/photos", { params: { path: { id, step_id: stepId } } })),
  });
}

export function useUploadPhoto(id: string, stepId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append("photo", file, file.name);
      return unwrap(
        api.POST("/api/v1/interventions/{id}/steps/{step_id}/photos", {
          params: { path: { id, step_id: stepId } },
          // The browser writes the multipart body and its boundary.
          body: form as unknown as { photo: string },
          bodySerializer: (body: unknown) => body as FormData,
        }),
      );
    },
    onSuccess: () => invalidateInterventions(queryClient),
  });
}

export function useDeletePhoto(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (photoId: string) =>
      unwrap(api.DELETE("/api/v1/interventions/{id}/photos/{photo_id}", { params: { path: { id, photo_id: photoId } } })),
    onSuccess: () => invalidateInterventions(queryClient),
  });
}

/** An object URL of a photo's thumbnail (fetched with the session's token), revoked on unmount. */
export function usePhotoUrl(id: string, photoId: string) {
  const api = useApi();
  return useQuery({
    queryKey: interventionKeys.thumbnail(photoId),
    queryFn: async () => {
      const { data, error } = await api.GET("/api/v1/interventions/{id}/photos/{photo_id}", {
        params: { path: { id, photo_id: photoId }, query: { size: "thumb" } },
        parseAs: "blob",
      });
      if (error !== undefined || !data) throw new Error("The photo could not be loaded.");
      return URL.createObjectURL(data as Blob);
    },
    staleTime: Infinity,
  });
}

/** Download the intervention's latest report (the browser saves `INT-YYYY-NNNN.pdf`). */
export function useDownloadReport(id: string) {
  const api = useApi();
  return useMutation({
    mutationFn: async () => {
      const { data, error, response } = await api.GET("/api/v1/interventions/{id}/report.pdf", { params: { path: { id } }, parseAs: "blob" });
      if (error !== undefined || !data) throw new Error("The report could not be downloaded.");
      const name = attachmentName(response.headers, "report.pdf");
      return saveFile(name, data as Blob);
    },
  });
}

/** What the intervention used, oldest first, and its summary (the total cost), in one read. */
export function useConsumption(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: materialKeys.consumption(id),
    queryFn: async () => {
      const params = { params: { path: { id } } };
      const [rows, summary] = await Promise.all([
        unwrap(api.GET("/api/v1/interventions/{id}/consumption", params)),
        unwrap(api.GET("/api/v1/interventions/{id}/consumption/summary", params)),
      ]);
      return { rows, summary };
    },
  });
}

/** Record a material used (and wasted) in a step; the answer has the material's stock after it. */
export function useRecordConsumption(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RecordConsumption) => unwrap(api.POST("/api/v1/interventions/{id}/consumption", { params: { path: { id } }, body })),
    onSuccess: ({ material }) => {
      queryClient.setQueryData(materialKeys.detail(material.id), material);
      return invalidateMaterials(queryClient);
    },
  });
}

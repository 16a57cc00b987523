import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useApi, useApiBaseUrl, useSession } from "@/api/provider";
import type { components } from "@/api/schema";
import { desktopRequest, isTauri, type DesktopRequest } from "./tauri";
import { invalidateCalendar, invalidateClients, invalidateInterventions, invalidateMaterials, invalidateOps, invalidateQuotes, invalidateTasks, taskKeys } from "./query-keys";

/** A kind of event the server publishes on `GET /api/v1/events` (`event: task.updated`, ...). */
export type EventKind = components["schemas"]["EventKind"];

/** What to refetch when an event arrives; `data` is the event's entity (`DomainEvent.data`). */
type Refetch = (queryClient: QueryClient, data: unknown) => Promise<unknown> | undefined;

/** The `key` field of an event's entity when it is a string (`id` of a task, `task_id` of a note). */
function field(data: unknown, key: string): string | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const value = (data as Record<string, unknown>)[key];
  return typeof value === "string" ? value : undefined;
}

const tasksChanged: Refetch = (queryClient) => invalidateTasks(queryClient);
const clientsChanged: Refetch = (queryClient) => invalidateClients(queryClient);
const calendarChanged: Refetch = (queryClient) => invalidateCalendar(queryClient);
const interventionsChanged: Refetch = (queryClient) => invalidateInterventions(queryClient);
const materialsChanged: Refetch = (queryClient) => invalidateMaterials(queryClient);
const quotesChanged: Refetch = (queryClient) => invalidateQuotes(queryClient);
// Every plant figure (OEE, yield, holds, bottleneck, compliance) is computed from the same rows.
const plantChanged: Refetch = (queryClient) => invalidateOps(queryClient);

/**
 * A team server's request for this desktop (the stream carries only those addressed to the
 * signed-in user): handed to the shell, which shows the notification and may bring the window
 * forward. Nothing to refetch; in a browser there is no shell, and it is ignored.
 */
export const toShell: Refetch = (_queryClient, data) => {
  if (!isTauri() || !isDesktopRequest(data)) return undefined;
  return desktopRequest(data).catch((error: unknown) => {
    console.warn("the shell did not take the desktop request", error);
  });
};

function isDesktopRequest(data: unknown): data is DesktopRequest {
  if (typeof data !== "object" || data === null) return false;
  const notification = (data as { notification?: unknown }).notification;
  return typeof notification === "object" && notification !== null && typeof (notification as { title?: unknown }).title === "string";
}

/**
 * Every kind the server publishes and what it refetches. Exhaustive over the generated
 * `EventKind`: a kind the server adds fails `tsc` here until the page handles it.
 */
export const ON_EVENT: Record<EventKind, Refetch> = {
  "task.created": tasksChanged,
  "task.updated": tasksChanged,
  "task.status_changed": tasksChanged,
  "task.assigned": tasksChanged,
  "task.deleted": tasksChanged,
  // One event for a whole CSV import (its data is the count, not the tasks).
  "task.imported": tasksChanged,
  // The data is the note: only that task's notes change.
  "task.note_added": (queryClient, note) => {
    const taskId = field(note, "task_id");
    return taskId ? queryClient.invalidateQueries({ queryKey: taskKeys.notes(taskId) }) : undefined;
  },
  "client.created": clientsChanged,
  "client.updated": clientsChanged,
  // The gone client's own screen is being left: asking for it again would only fetch a 404.
  "client.deleted": (queryClient, client) => invalidateClients(queryClient, field(client, "id")),
  "calendar.created": calendarChanged,
  "calendar.updated": calendarChanged,
  "calendar.deleted": calendarChanged,
  "intervention.started": interventionsChanged,
  "intervention.updated": interventionsChanged,
  "intervention.step_advanced": interventionsChanged,
  "intervention.status_changed": interventionsChanged,
  "intervention.finalized": interventionsChanged,
  "material.created": materialsChanged,
  "material.updated": materialsChanged,
  // The gone material's own screen is being left: asking for it again would only fetch a 404.
  "material.deleted": (queryClient, material) => invalidateMaterials(queryClient, field(material, "id")),
  "material.stock_changed": materialsChanged,
  "material.low_stock": materialsChanged,
  "material.consumed": materialsChanged,
  "quote.created": quotesChanged,
  "quote.updated": quotesChanged,
  "quote.status_changed": quotesChanged,
  "quote.converted": quotesChanged,
  "quote.deleted": quotesChanged,
  "ops.exception_raised": plantChanged,
  "ops.exception_updated": plantChanged,
  "ops.stage_changed": plantChanged,
  "ops.gate_decided": plantChanged,
  "ops.station_changed": plantChanged,
  "ops.telemetry_ingested": plantChanged,
  "ops.inventory_changed": plantChanged,
  "ops.demo_loaded": plantChanged,
  "desktop.request": toShell,
};

/** The event names listened to: exactly the server's kinds. */
export const LIVE_EVENTS = Object.keys(ON_EVENT) as EventKind[];

/** Refetch what one event (`kind`, its SSE `data` text: a `DomainEvent` as JSON) touches. */
export function onLiveEvent(queryClient: QueryClient, kind: EventKind, text: string): Promise<unknown> | undefined {
  let data: unknown;
  try {
    data = (JSON.parse(text) as { data?: unknown }).data;
  } catch {
    data = undefined; // Still refetch what the kind alone says.
  }
  return ON_EVENT[kind](queryClient, data);
}

/** How long to wait before opening the stream again after it ended or failed. */
const RECONNECT_MS = 2_000;

/**
 * Listens to `GET /api/v1/events` while signed in and refetches what an event touches, so a list
 * changes when another user (or another window) changes a task. The stream is opened with a
 * single-use ticket (`POST /api/v1/events/ticket`; an access token never goes in a URL). The
 * server ends it when the access token expires or the session ends; then a new ticket, asked for
 * through the client (which refreshes the token), opens the next one.
 */
export function useLiveEvents(): void {
  const api = useApi();
  const baseUrl = useApiBaseUrl();
  const signedIn = useSession() !== null;
  const queryClient = useQueryClient();

  useEffect(() => {
    if (!signedIn || typeof EventSource === "undefined") return;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;

    const reconnect = () => {
      source?.close();
      source = null;
      if (!stopped) retry = setTimeout(() => void open(), RECONNECT_MS);
    };
    const open = async () => {
      const { data } = await api.POST("/api/v1/events/ticket").catch(() => ({ data: undefined }));
      if (stopped) return;
      if (!data) return reconnect();
      const opened = new EventSource(`${baseUrl}/api/v1/events?ticket=${encodeURIComponent(data.data.ticket)}`);
      source = opened;
      let live = false;
      opened.onopen = () => {
        live = true;
        // Whether changes arrive live, for whoever watches the page (the desktop E2E test waits
        // for it before it changes things behind the page's back).
        document.documentElement.dataset.live = "open";
      };
      for (const kind of LIVE_EVENTS) {
        opened.addEventListener(kind, (event: MessageEvent<string>) => void onLiveEvent(queryClient, kind, event.data));
      }
      // The stream fell behind and dropped events (`event: lagged`): anything may have changed.
      opened.addEventListener("lagged", () => void queryClient.invalidateQueries());
      // A ticket works once, so the browser's own reconnect cannot succeed: open a new stream,
      // and refetch what may have changed while none was open.
      opened.onerror = () => {
        delete document.documentElement.dataset.live;
        reconnect();
        if (live) void queryClient.invalidateQueries();
      };
    };
    void open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
      delete document.documentElement.dataset.live;
    };
  }, [api, baseUrl, signedIn, queryClient]);
}

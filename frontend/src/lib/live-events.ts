import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useApiBaseUrl, useSession } from "@/api/provider";

/** The query-key roots each event family invalidates. */
const INVALIDATES: Record<string, string[][]> = {
  task: [["tasks"], ["task"], ["stats"], ["calendar"], ["clients"]],
  client: [["clients"], ["client"]],
  calendar: [["calendar"], ["tasks"], ["task"]],
};

/** Event names the stream sends (`event: task.updated`, ...). */
export const LIVE_EVENTS = [
  "task.created",
  "task.updated",
  "task.status_changed",
  "task.assigned",
  "task.deleted",
  "client.created",
  "client.updated",
  "client.deleted",
  "calendar.created",
  "calendar.updated",
  "calendar.deleted",
] as const;

/**
 * Listens to `GET /api/v1/events` while signed in and refetches what an event touches, so a list
 * changes when another user (or another window) changes a task. The browser's EventSource
 * reconnects by itself; a new token (after a refresh) opens a new stream.
 */
export function useLiveEvents(): void {
  const baseUrl = useApiBaseUrl();
  const token = useSession()?.accessToken;
  const queryClient = useQueryClient();

  useEffect(() => {
    if (!token || typeof EventSource === "undefined") return;
    const source = new EventSource(`${baseUrl}/api/v1/events?access_token=${encodeURIComponent(token)}`);
    const onEvent = (event: MessageEvent) => {
      const family = event.type.split(".")[0] ?? "";
      for (const queryKey of INVALIDATES[family] ?? []) void queryClient.invalidateQueries({ queryKey });
    };
    for (const name of LIVE_EVENTS) source.addEventListener(name, onEvent);
    return () => source.close();
  }, [baseUrl, token, queryClient]);
}

import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it, vi } from "vitest";
import { invoke } from "@tauri-apps/api/core";
import { LIVE_EVENTS, onLiveEvent } from "./live-events";
import { calendarKeys, clientKeys, materialKeys, opsKeys, statsKeys, taskKeys } from "./query-keys";

// The shell's side of `invoke`: recorded (the real one is driven in the desktop E2E test).
vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn(() => Promise.resolve(null)) }));

/** The kinds the server says it publishes: `components.schemas.EventKind.enum` of its OpenAPI document. */
function serverKinds(): string[] {
  const path = resolve(dirname(fileURLToPath(import.meta.url)), "../../../openapi/openapi.json");
  const document = JSON.parse(readFileSync(path, "utf8")) as { components?: { schemas?: Record<string, { enum?: string[] }> } };
  const kinds = document.components?.schemas?.EventKind?.enum;
  if (!kinds) throw new Error("openapi.json has no EventKind enum");
  return kinds;
}

/** A query client whose invalidations are recorded (keys as JSON, for comparing). */
function recordingClient() {
  const queryClient = new QueryClient();
  const spy = vi.spyOn(queryClient, "invalidateQueries");
  const keys = () => spy.mock.calls.map(([filters]) => JSON.stringify(filters?.queryKey));
  return { queryClient, keys };
}

const event = (data: unknown) => JSON.stringify({ seq: 1, type: "x", at: "2026-01-01T00:00:00Z", data });

describe("live events", () => {
  it("listens to every kind the server publishes, and to nothing else", () => {
    expect([...LIVE_EVENTS].sort()).toEqual([...serverKinds()].sort());
  });

  it("refreshes task lists, statistics, the calendar and clients after a CSV import", async () => {
    const { queryClient, keys } = recordingClient();
    await onLiveEvent(queryClient, "task.imported", event({ created: 3 }));
    expect(keys()).toEqual(expect.arrayContaining([taskKeys.all, statsKeys.all, calendarKeys.all, clientKeys.all].map((k) => JSON.stringify(k))));
  });

  it("refreshes only that task's notes when a note is added", async () => {
    const { queryClient, keys } = recordingClient();
    await onLiveEvent(queryClient, "task.note_added", event({ id: "n1", task_id: "t1", body: "Film ordered" }));
    expect(keys()).toEqual([JSON.stringify(taskKeys.notes("t1"))]);
  });

  it("refreshes every material query but the deleted material's own", async () => {
    const queryClient = new QueryClient();
    const keys = [materialKeys.list({}), materialKeys.detail("m1"), materialKeys.ledger("m1", 0), materialKeys.detail("m2"), materialKeys.stats()];
    for (const key of keys) queryClient.setQueryData(key, {});
    await onLiveEvent(queryClient, "material.deleted", event({ id: "m1", sku: "PPF-1" }));
    const stale = keys.map((key) => queryClient.getQueryState(key)?.isInvalidated);
    expect(stale).toEqual([true, false, false, true, true]);
  });

  it("still refreshes by kind when the data cannot be read", async () => {
    const { queryClient, keys } = recordingClient();
    await onLiveEvent(queryClient, "calendar.deleted", "not json");
    expect(keys()).toEqual(expect.arrayContaining([JSON.stringify(calendarKeys.all), JSON.stringify(taskKeys.all)]));
  });

  it("refreshes every plant query on each plant event, and nothing of the workshop", async () => {
    const kinds = LIVE_EVENTS.filter((kind) => kind.startsWith("ops."));
    expect(kinds).toHaveLength(8);
    for (const kind of kinds) {
      const { queryClient, keys } = recordingClient();
      await onLiveEvent(queryClient, kind, event({ id: "EX-2026-001" }));
      expect(keys()).toEqual([JSON.stringify(opsKeys.all)]);
    }
  });

  it("hands a team server's desktop request to the shell, and refreshes nothing", async () => {
    const request = { notification: { title: "Task 20261204-001 assigned", body: "Front PPF" }, bring_forward: false };
    const { queryClient, keys } = recordingClient();
    await onLiveEvent(queryClient, "desktop.request", event(request));
    expect(invoke).not.toHaveBeenCalled(); // a browser has no shell

    const internals = window as unknown as Record<string, unknown>;
    internals.__TAURI_INTERNALS__ = {};
    try {
      await onLiveEvent(queryClient, "desktop.request", event(request));
      await onLiveEvent(queryClient, "desktop.request", event({ notification: "no title" }));
    } finally {
      delete internals.__TAURI_INTERNALS__;
    }
    expect(vi.mocked(invoke).mock.calls).toEqual([["desktop_request", { request }]]);
    expect(keys()).toEqual([]);
  });
});

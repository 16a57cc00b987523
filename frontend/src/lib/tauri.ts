// The shell's native side (frontend → shell): only inside the Tauri webview.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { components } from "@/api/schema";

/** Whether the page runs inside the desktop shell. */
export function isTauri(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

/** The backend as the shell reports it (`backend://status`, `get_backend_info`). */
export type BackendStatus =
  | { status: "starting" }
  | { status: "healthy"; url: string }
  | { status: "restarting"; attempt: number; reason: string }
  | { status: "failed"; reason: string; last_logs: string[] }
  | { status: "stopped" };

/** What `get_backend_info` answers. */
export interface BackendInfo {
  url: string | null;
  status: BackendStatus;
}

export function getBackendInfo(): Promise<BackendInfo> {
  return invoke<BackendInfo>("get_backend_info");
}

export function onBackendStatus(handler: (status: BackendStatus) => void): Promise<UnlistenFn> {
  return listen<BackendStatus>("backend://status", (event) => handler(event.payload));
}

/** Ask the shell to start a fresh sidecar. */
export function restartBackend(): Promise<void> {
  return invoke("restart_backend");
}

/**
 * Save bytes to a file the user picks in the native save dialog (the shell shows the dialog and
 * writes the file, so the page never names a path itself); `null` when they cancel. The bytes go
 * as the raw body of the call, the suggested name in a header.
 */
export function saveWithDialog(defaultName: string, contents: Uint8Array): Promise<string | null> {
  return invoke<string | null>("save_file", contents, { headers: { "x-file-name": encodeURIComponent(defaultName) } });
}

/** Where the desktop's backend is (the shell's `connection.json`). */
export type Connection = { mode: "this_computer" } | { mode: "team_server"; url: string };

/** What `get_connection` answers: `fixed` when `RPMA_BACKEND_URL` chose the backend. */
export interface ConnectionInfo {
  connection: Connection;
  fixed: boolean;
}

/** What a team server says about itself when the shell checks it. */
export interface ServerFacts {
  database_kind: string;
  version: string;
}

export function getConnection(): Promise<ConnectionInfo> {
  return invoke<ConnectionInfo>("get_connection");
}

/**
 * Use `connection` from now on. The shell checks a team server first (https with a trusted
 * certificate, or http on this machine; it must answer its health check), saves it and switches;
 * a refusal (a message saying why) changes nothing.
 */
export function setConnection(connection: Connection): Promise<ServerFacts | null> {
  return invoke<ServerFacts | null>("set_connection", { connection });
}

/** A team server's `desktop.request`, as its event stream carries it. */
export type DesktopRequest = components["schemas"]["DesktopRequest"];

/** Hand a desktop request to the shell: it shows the notification (and brings the window forward). */
export function desktopRequest(request: DesktopRequest): Promise<void> {
  return invoke("desktop_request", { request });
}

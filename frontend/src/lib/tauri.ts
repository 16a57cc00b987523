// The shell's native side (frontend → shell): only inside the Tauri webview.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";

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

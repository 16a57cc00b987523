import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { getBackendInfo, isTauri, onBackendStatus, type BackendStatus } from "./tauri";

/** Where the sidecar is and whether it answers. */
export interface Backend {
  /** Base URL (no trailing slash), `null` until known. */
  url: string | null;
  /** `healthy` while it answers; anything else shows the restart banner. */
  status: BackendStatus["status"];
  /** Whether the page runs inside the desktop shell. */
  desktop: boolean;
}

const DEFAULT_URL = "http://127.0.0.1:1430";
const HEALTH_INTERVAL_MS = 3000;

/** The sidecar's URL in a browser: `VITE_API_URL`, checked once. */
export function browserApiUrl(value: string | undefined = import.meta.env.VITE_API_URL): string {
  const url = (value ?? "").trim() || DEFAULT_URL;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error("not http");
  } catch {
    throw new Error(`VITE_API_URL must be an http(s) URL, got "${url}"`);
  }
  return url.replace(/\/+$/, "");
}

const BackendContext = createContext<Backend | null>(null);

/**
 * Finds the sidecar and keeps watching it. Inside Tauri the shell says where it is
 * (`get_backend_info`, then `backend://status`; a restarted sidecar has a new port). In a browser
 * the URL is fixed and a health check every few seconds tells whether it answers.
 */
export function BackendProvider({ children }: { children: ReactNode }) {
  const [backend, setBackend] = useState<Backend>(() =>
    isTauri()
      ? { url: null, status: "starting", desktop: true }
      : { url: browserApiUrl(), status: "healthy", desktop: false },
  );

  useEffect(() => {
    if (!isTauri()) return watchHealth(backend.url ?? DEFAULT_URL, setBackend);
    let cancelled = false;
    const apply = (status: BackendStatus) => {
      if (cancelled) return;
      setBackend((previous) => ({
        desktop: true,
        status: status.status,
        url: status.status === "healthy" ? status.url : previous.url,
      }));
    };
    const unlisten = onBackendStatus(apply);
    getBackendInfo().then((info) => apply(info.status), () => apply({ status: "starting" }));
    return () => {
      cancelled = true;
      void unlisten.then((stop) => stop());
    };
    // The URL of a browser build never changes; the shell's comes from its events.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return <BackendContext.Provider value={backend}>{children}</BackendContext.Provider>;
}

function watchHealth(url: string, setBackend: (update: (previous: Backend) => Backend) => void): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const check = async () => {
    let healthy = false;
    try {
      const response = await fetch(`${url}/api/v1/health`, { cache: "no-store" });
      healthy = response.ok;
    } catch {
      healthy = false;
    }
    if (stopped) return;
    setBackend((previous) => {
      const status = healthy ? "healthy" : "restarting";
      return previous.status === status ? previous : { ...previous, status };
    });
    timer = setTimeout(check, HEALTH_INTERVAL_MS);
  };
  void check();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

export function useBackend(): Backend {
  const backend = useContext(BackendContext);
  if (!backend) throw new Error("useBackend outside BackendProvider");
  return backend;
}

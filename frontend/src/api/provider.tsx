import { useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import { useBackend } from "@/lib/backend";
import { createApiClient, type ApiClient } from "./client";
import { SessionStore, type Session } from "./session";

interface ApiContextValue {
  client: ApiClient;
  baseUrl: string;
  sessions: SessionStore;
}

const ApiContext = createContext<ApiContextValue | null>(null);

/**
 * The typed client for the current backend URL, and the session store. A new URL (the shell
 * restarted the sidecar on another port) makes a new client; signing out drops every cached query.
 */
export function ApiProvider({
  children,
  sessions: given,
  unavailable = null,
}: {
  children: ReactNode;
  sessions?: SessionStore;
  /** Shown until the backend has a URL (it has never answered yet). */
  unavailable?: ReactNode;
}) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const [sessions] = useState(() => given ?? new SessionStore());
  const baseUrl = backend.url;

  const value = useMemo(
    () => (baseUrl ? { client: createApiClient(baseUrl, sessions), baseUrl, sessions } : null),
    [baseUrl, sessions],
  );

  // Back after a restart (maybe on a new port): refetch whatever failed or went stale meanwhile.
  const healthy = backend.status === "healthy";
  const wasHealthy = useRef(healthy);
  useEffect(() => {
    if (healthy && !wasHealthy.current) void queryClient.invalidateQueries();
    wasHealthy.current = healthy;
  }, [healthy, queryClient]);

  useEffect(() => {
    let signedIn = sessions.current !== null;
    return sessions.subscribe(() => {
      const now = sessions.current !== null;
      if (signedIn && !now) queryClient.clear();
      signedIn = now;
    });
  }, [sessions, queryClient]);

  if (!value) return <>{unavailable}</>;
  return <ApiContext.Provider value={value}>{children}</ApiContext.Provider>;
}

function useApiContext(): ApiContextValue {
  const value = useContext(ApiContext);
  if (!value) throw new Error("useApi outside ApiProvider");
  return value;
}

/** The typed REST client (`client.GET("/api/v1/tasks", ...)`); wrap calls in `unwrap`. */
export function useApi(): ApiClient {
  return useApiContext().client;
}

/** The sidecar's base URL (for the event stream and raw downloads). */
export function useApiBaseUrl(): string {
  return useApiContext().baseUrl;
}

/** The session store, to sign in and out. */
export function useSessions(): SessionStore {
  return useApiContext().sessions;
}

/** The current session (re-renders on sign-in, refresh and sign-out). */
export function useSession(): Session | null {
  const sessions = useSessions();
  return useSyncExternalStore(sessions.subscribe, () => sessions.current);
}

import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./schema";
import type { SessionStore } from "./session";

/** The typed REST client of the sidecar (paths and bodies from `openapi/openapi.json`). */
export type ApiClient = ReturnType<typeof createClient<paths>>;

/** Routes that take no bearer token and whose 401 means "wrong credentials", not "expired". */
const NO_REFRESH = ["/api/v1/auth/login", "/api/v1/auth/login/2fa", "/api/v1/auth/refresh", "/api/v1/auth/bootstrap-admin"];

/**
 * A client for the sidecar at `baseUrl` whose middleware adds the bearer token, and on a 401
 * refreshes the session once (one refresh shared by concurrent requests) and repeats the request;
 * when the refresh fails too, the session is cleared, which signs the user out.
 */
export function createApiClient(baseUrl: string, sessions: SessionStore, fetchImpl: typeof fetch = fetch): ApiClient {
  const client = createClient<paths>({ baseUrl, fetch: (request) => fetchImpl(request) });
  client.use(authMiddleware(baseUrl, sessions, fetchImpl));
  return client;
}

/** The middleware of `createApiClient`, on its own for tests. */
export function authMiddleware(baseUrl: string, sessions: SessionStore, fetchImpl: typeof fetch = fetch): Middleware {
  // Bodies can be read once: keep a copy of each request until its response is in.
  const pending = new Map<string, Request>();
  let refreshing: Promise<string | null> | null = null;

  const refresh = (): Promise<string | null> => {
    refreshing ??= refreshTokens(baseUrl, sessions, fetchImpl).finally(() => {
      refreshing = null;
    });
    return refreshing;
  };

  return {
    onRequest({ request, schemaPath, id }) {
      const token = sessions.current?.accessToken;
      if (token && !NO_REFRESH.includes(schemaPath)) request.headers.set("Authorization", `Bearer ${token}`);
      pending.set(id, request.clone());
      return request;
    },
    async onResponse({ response, schemaPath, id }) {
      const original = pending.get(id);
      pending.delete(id);
      if (response.status !== 401 || NO_REFRESH.includes(schemaPath) || !original) return response;
      const sentWith = original.headers.get("Authorization");
      if (!sentWith) return response;
      // Another request may have refreshed already: then just retry with the new token.
      const current = sessions.current?.accessToken;
      const token = current && `Bearer ${current}` !== sentWith ? current : await refresh();
      if (!token) return response;
      const retry = new Request(original, { headers: new Headers(original.headers) });
      retry.headers.set("Authorization", `Bearer ${token}`);
      return fetchImpl(retry);
    },
    onError({ id }) {
      pending.delete(id);
    },
  };
}

/** Trade the refresh token for a new pair; `null` (and signed out) when that fails. */
async function refreshTokens(baseUrl: string, sessions: SessionStore, fetchImpl: typeof fetch): Promise<string | null> {
  const session = sessions.current;
  if (!session) return null;
  try {
    const response = await fetchImpl(
      new Request(`${baseUrl}/api/v1/auth/refresh`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh_token: session.refreshToken }),
      }),
    );
    const envelope = (await response.json()) as {
      success: boolean;
      data?: { access_token: string; refresh_token: string; user: Session["user"] };
    };
    if (!response.ok || !envelope.success || !envelope.data) {
      sessions.set(null);
      return null;
    }
    const { access_token, refresh_token, user } = envelope.data;
    sessions.set({ accessToken: access_token, refreshToken: refresh_token, user });
    return access_token;
  } catch {
    // The server is unreachable: keep the session, the request fails as it is.
    return null;
  }
}

type Session = NonNullable<SessionStore["current"]>;

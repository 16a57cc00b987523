// @vitest-environment node
// Node's own fetch classes: jsdom's AbortSignal is not the one Node's Request accepts.
import { afterEach, describe, expect, it, vi } from "vitest";
import { browserApiUrl } from "@/lib/backend";
import { createApiClient } from "./client";
import { ApiError, unwrap } from "./errors";
import { SessionStore, type Session, type User } from "./session";

const BASE = "http://127.0.0.1:9999";

const USER = {
  id: "00000000-0000-0000-0000-000000000001",
  email: "ada@example.com",
  username: "ada",
  first_name: "Ada",
  last_name: "Lovelace",
  role: "admin",
} as unknown as User;

function session(access: string, refresh: string): Session {
  return { accessToken: access, refreshToken: refresh, user: USER };
}

/** What the fake server saw: enough of each request to assert on, body read once. */
interface Seen {
  method: string;
  path: string;
  authorization: string | null;
  body: string;
}

type Handler = (request: Seen) => Response | Promise<Response>;

/** A `fetch` that records every request and answers with `handler`. */
function fakeFetch(handler: Handler) {
  const seen: Seen[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const entry: Seen = {
      method: request.method,
      path: new URL(request.url).pathname,
      authorization: request.headers.get("Authorization"),
      body: await request.text(),
    };
    seen.push(entry);
    return handler(entry);
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, seen };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

const ok = (data: unknown) => json(200, { success: true, data });
const expired = () => json(401, { success: false, error: { code: "AUTH_ERROR", message: "the token has expired" } });
const tokens = (access: string, refresh: string) => ok({ access_token: access, refresh_token: refresh, user: USER });

/** A promise and the function that settles it, to hold an answer until the test lets it go. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe("auth middleware", () => {
  it("sends the access token as a bearer token", async () => {
    const sessions = new SessionStore(null);
    sessions.set(session("access-1", "refresh-1"));
    const { fetch, seen } = fakeFetch(() => ok(USER));
    const api = createApiClient(BASE, sessions, fetch);

    const { data } = await api.GET("/api/v1/auth/me");

    expect(data?.data).toEqual(USER);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: "GET", path: "/api/v1/auth/me", authorization: "Bearer access-1" });
  });

  it("sends no token when signed out", async () => {
    const { fetch, seen } = fakeFetch(() => ok({ has_admins: true }));
    const api = createApiClient(BASE, new SessionStore(null), fetch);

    await api.GET("/api/v1/auth/has-admins");

    expect(seen[0]?.authorization).toBeNull();
  });

  it("sends no token to /auth/login, even while a session exists", async () => {
    const sessions = new SessionStore(null);
    sessions.set(session("access-1", "refresh-1"));
    const { fetch, seen } = fakeFetch(() => tokens("access-2", "refresh-2"));
    const api = createApiClient(BASE, sessions, fetch);

    await api.POST("/api/v1/auth/login", { body: { email: "ada@example.com", password: "Secret123" } });

    expect(seen).toHaveLength(1);
    expect(seen[0]?.path).toBe("/api/v1/auth/login");
    expect(seen[0]?.authorization).toBeNull();
  });

  it("on a 401 refreshes once, stores the new pair and retries the request with its body", async () => {
    const sessions = new SessionStore(null);
    sessions.set(session("old-access", "old-refresh"));
    const { fetch, seen } = fakeFetch((request) => {
      if (request.path === "/api/v1/auth/refresh") return tokens("new-access", "new-refresh");
      if (request.authorization === "Bearer old-access") return expired();
      return json(201, { success: true, data: { id: "c1", name: "Garage Dupont" } });
    });
    const api = createApiClient(BASE, sessions, fetch);
    const body = { name: "Garage Dupont", email: "contact@dupont.example", customer_type: "business" };

    const { data, response } = await api.POST("/api/v1/clients", { body: body as never });

    expect(response.status).toBe(201);
    expect(data?.data).toMatchObject({ id: "c1" });
    expect(seen.map((r) => `${r.method} ${r.path} ${r.authorization}`)).toEqual([
      "POST /api/v1/clients Bearer old-access",
      "POST /api/v1/auth/refresh null",
      "POST /api/v1/clients Bearer new-access",
    ]);
    expect(JSON.parse(seen[1]!.body)).toEqual({ refresh_token: "old-refresh" });
    // The retry is the same request: same method, same body.
    expect(JSON.parse(seen[2]!.body)).toEqual(body);
    expect(seen[2]!.body).toBe(seen[0]!.body);
    expect(sessions.current).toEqual(session("new-access", "new-refresh"));
  });

  it("shares one refresh between concurrent requests that get a 401", async () => {
    const sessions = new SessionStore(null);
    sessions.set(session("old-access", "old-refresh"));
    // Both first attempts are answered only once both are in flight, and the refresh only after
    // both 401s have been handed back: so the second 401 arrives while the refresh is pending.
    const bothSent = gate();
    const refreshHeld = gate();
    let firstAttempts = 0;
    const { fetch, seen } = fakeFetch(async (request) => {
      if (request.path === "/api/v1/auth/refresh") {
        await refreshHeld.opened;
        return tokens("new-access", "new-refresh");
      }
      if (request.authorization === "Bearer old-access") {
        if (++firstAttempts === 2) bothSent.open();
        await bothSent.opened;
        return expired();
      }
      return ok(request.path === "/api/v1/auth/me" ? USER : { items: [], total: 0 });
    });
    const api = createApiClient(BASE, sessions, fetch);

    const me = api.GET("/api/v1/auth/me");
    const tasks = api.GET("/api/v1/tasks");
    await bothSent.opened;
    // Let both 401s reach the middleware before the refresh answers.
    await vi.waitFor(() => expect(seen.filter((r) => r.path === "/api/v1/auth/refresh")).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 10));
    refreshHeld.open();
    const [meResult, tasksResult] = await Promise.all([me, tasks]);

    expect(meResult.response.status).toBe(200);
    expect(tasksResult.response.status).toBe(200);
    expect(seen.filter((r) => r.path === "/api/v1/auth/refresh")).toHaveLength(1);
    const retries = seen.filter((r) => r.path !== "/api/v1/auth/refresh" && r.authorization === "Bearer new-access");
    expect(retries.map((r) => r.path).sort()).toEqual(["/api/v1/auth/me", "/api/v1/tasks"]);
    expect(sessions.current?.accessToken).toBe("new-access");
  });

  it("does not refresh again for a 401 to a token another request has already replaced", async () => {
    const sessions = new SessionStore(null);
    sessions.set(session("old-access", "old-refresh"));
    const { fetch, seen } = fakeFetch((request) => {
      if (request.path === "/api/v1/auth/refresh") return tokens("new-access", "new-refresh");
      if (request.authorization === "Bearer old-access") {
        // The refresh happened elsewhere while this request was on its way.
        sessions.set(session("new-access", "new-refresh"));
        return expired();
      }
      return ok(USER);
    });
    const api = createApiClient(BASE, sessions, fetch);

    const { response } = await api.GET("/api/v1/auth/me");

    expect(response.status).toBe(200);
    expect(seen.map((r) => `${r.path} ${r.authorization}`)).toEqual([
      "/api/v1/auth/me Bearer old-access",
      "/api/v1/auth/me Bearer new-access",
    ]);
  });

  it("signs out and returns the 401 when the refresh fails", async () => {
    const sessions = new SessionStore(null);
    sessions.set(session("old-access", "spent-refresh"));
    const changes = vi.fn();
    sessions.subscribe(changes);
    const { fetch, seen } = fakeFetch((request) => {
      if (request.path === "/api/v1/auth/refresh") {
        return json(401, { success: false, error: { code: "AUTH_ERROR", message: "the refresh token was already used" } });
      }
      return expired();
    });
    const api = createApiClient(BASE, sessions, fetch);

    const { data, error, response } = await api.GET("/api/v1/auth/me");

    expect(response.status).toBe(401);
    expect(data).toBeUndefined();
    expect(error).toMatchObject({ success: false, error: { code: "AUTH_ERROR" } });
    expect(sessions.current).toBeNull();
    expect(changes).toHaveBeenCalled();
    // One refresh, no retry of the original request.
    expect(seen.map((r) => r.path)).toEqual(["/api/v1/auth/me", "/api/v1/auth/refresh"]);
  });

  it("returns a 401 from /auth/login as it is, without refreshing", async () => {
    const sessions = new SessionStore(null);
    sessions.set(session("access-1", "refresh-1"));
    const { fetch, seen } = fakeFetch(() =>
      json(401, { success: false, error: { code: "AUTH_ERROR", message: "wrong email or password" } }),
    );
    const api = createApiClient(BASE, sessions, fetch);

    const { error, response } = await api.POST("/api/v1/auth/login", { body: { email: "ada@example.com", password: "nope" } });

    expect(response.status).toBe(401);
    expect(error).toMatchObject({ error: { message: "wrong email or password" } });
    expect(seen.map((r) => r.path)).toEqual(["/api/v1/auth/login"]);
    // Wrong credentials do not end the session that is there.
    expect(sessions.current?.accessToken).toBe("access-1");
  });
});

describe("unwrap", () => {
  it("returns the data of a successful envelope", async () => {
    const { fetch } = fakeFetch(() => ok({ has_admins: false }));
    const api = createApiClient(BASE, new SessionStore(null), fetch);

    await expect(unwrap(api.GET("/api/v1/auth/has-admins"))).resolves.toEqual({ has_admins: false });
  });

  it("throws the envelope's error as an ApiError with code, status and fields", async () => {
    const { fetch } = fakeFetch(() =>
      json(400, {
        success: false,
        error: {
          code: "VALIDATION_ERROR",
          message: "invalid task",
          details: { end_time: ["must be after start_time"], vehicle_plate: "is not a plate" },
        },
      }),
    );
    const api = createApiClient(BASE, new SessionStore(null), fetch);

    const error = await unwrap(api.GET("/api/v1/tasks")).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.code).toBe("VALIDATION_ERROR");
    expect(apiError.status).toBe(400);
    expect(apiError.message).toBe("invalid task");
    expect(apiError.fields).toEqual({ end_time: ["must be after start_time"], vehicle_plate: ["is not a plate"] });
  });

  it("gives no fields for errors other than VALIDATION_ERROR", async () => {
    const { fetch } = fakeFetch(() =>
      json(409, { success: false, error: { code: "CONFLICT", message: "booked", details: { conflicts: ["t1"] } } }),
    );
    const api = createApiClient(BASE, new SessionStore(null), fetch);

    const error = (await unwrap(api.GET("/api/v1/tasks")).catch((e: unknown) => e)) as ApiError;

    expect(error.code).toBe("CONFLICT");
    expect(error.status).toBe(409);
    expect(error.details).toEqual({ conflicts: ["t1"] });
    expect(error.fields).toEqual({});
  });

  it("turns a network failure into NETWORK_ERROR with status 0", async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError("fetch failed");
    }) as unknown as typeof globalThis.fetch;
    const api = createApiClient(BASE, new SessionStore(null), fetch);

    const error = (await unwrap(api.GET("/api/v1/health")).catch((e: unknown) => e)) as ApiError;

    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe("NETWORK_ERROR");
    expect(error.status).toBe(0);
  });
});

describe("browserApiUrl", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("defaults to the sidecar's default address", () => {
    expect(browserApiUrl("")).toBe("http://127.0.0.1:1430");
    expect(browserApiUrl("   ")).toBe("http://127.0.0.1:1430");
  });

  it("reads VITE_API_URL when given nothing", () => {
    vi.stubEnv("VITE_API_URL", "http://127.0.0.1:4321");
    expect(browserApiUrl()).toBe("http://127.0.0.1:4321");
  });

  it("drops trailing slashes", () => {
    expect(browserApiUrl("http://127.0.0.1:5000/")).toBe("http://127.0.0.1:5000");
    expect(browserApiUrl("https://rpma.example//")).toBe("https://rpma.example");
  });

  it("refuses what is not an http(s) URL", () => {
    expect(() => browserApiUrl("not a url")).toThrow(/VITE_API_URL/);
    expect(() => browserApiUrl("ftp://127.0.0.1:21")).toThrow(/VITE_API_URL/);
    expect(() => browserApiUrl("127.0.0.1:1430")).toThrow(/VITE_API_URL/);
  });
});

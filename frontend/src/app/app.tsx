import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError } from "@/api/errors";
import { ApiProvider } from "@/api/provider";
import { BackendProvider } from "@/lib/backend";
import { NoBackend } from "./no-backend";
import { AppRouter } from "./router";

/** Retry only what may pass the next time: network failures and 5xx, never client mistakes. */
function shouldRetry(failures: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failures < 3;
}

export function App() {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { retry: shouldRetry, staleTime: 10_000, refetchOnWindowFocus: false },
          mutations: { retry: false },
        },
      }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <BackendProvider>
        <ApiProvider unavailable={<NoBackend />}>
          <AppRouter />
        </ApiProvider>
      </BackendProvider>
    </QueryClientProvider>
  );
}

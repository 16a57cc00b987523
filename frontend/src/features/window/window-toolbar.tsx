import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, errorMessage, unwrap } from "@/api/errors";
import { useApi } from "@/api/provider";

/**
 * Toggle Maximize the way backend workflows drive the window: frontend → sidecar
 * `POST /api/v1/window` → shell socket → shell. In a browser no shell is attached, and the
 * sidecar's `SHELL_UNAVAILABLE` becomes a notice.
 */
export function WindowToolbar() {
  const api = useApi();
  const [notice, setNotice] = useState<string | null>(null);
  const toggle = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/window", { body: { action: "toggle" } })),
    onSuccess: (state) => setNotice(state.maximized ? "Maximized" : "Restored"),
    onError: (error) =>
      setNotice(
        error instanceof ApiError && error.code === "SHELL_UNAVAILABLE"
          ? "No desktop shell is attached (running in a browser)."
          : errorMessage(error),
      ),
  });
  return (
    <div className="window-toolbar">
      <button type="button" className="button" onClick={() => toggle.mutate()} disabled={toggle.isPending} data-testid="toggle-maximize">
        Toggle Maximize
      </button>
      {notice && (
        <span className="notice" role="status" data-testid="window-notice">
          {notice}
        </span>
      )}
    </div>
  );
}

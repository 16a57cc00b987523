import { ConnectionForm } from "@/components/connection-form";
import { useBackend } from "@/lib/backend";
import { isTauri } from "@/lib/tauri";

/**
 * Before the backend has ever answered: what the shell says of it and, in the desktop app, the
 * connection, so a desk whose team server is down (or whose own server will not start) can
 * switch rather than wait on a blank window.
 */
export function NoBackend() {
  const backend = useBackend();
  const text =
    backend.status === "failed"
      ? "The backend stopped and could not be restarted. See the logs, or choose another server."
      : backend.status === "restarting"
        ? "The server does not answer yet; trying again…"
        : "Connecting to the server…";
  return (
    <main className="auth">
      <section className="auth-card" aria-labelledby="no-backend-title">
        <div className="brand">RPMA</div>
        <h1 id="no-backend-title">Waiting for the server</h1>
        <p role="status" data-testid="no-backend">
          {text}
        </p>
        {isTauri() && <ConnectionForm />}
      </section>
    </main>
  );
}

import { ConnectionForm } from "@/components/connection-form";
import { isTauri } from "@/lib/tauri";

/** Settings' card: which backend this desktop uses. Only in the desktop app. */
export function ConnectionSection() {
  if (!isTauri()) return null;
  return (
    <section className="card settings-section" aria-labelledby="connection-title">
      <h2 id="connection-title">Connection</h2>
      <ConnectionForm />
    </section>
  );
}

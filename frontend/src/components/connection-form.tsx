import { useMutation, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { SessionStore } from "@/api/session";
import { FormError, TextField } from "@/components/field";
import { systemKeys } from "@/lib/query-keys";
import { getConnection, isTauri, setConnection, type Connection } from "@/lib/tauri";

/**
 * "This computer" (the desktop's own server and data) or "a team server" (a URL the workshop's
 * desktops share). The shell checks a team server before switching; after a switch the page
 * starts again, signed out, since accounts belong to a server.
 */
export function ConnectionForm() {
  const current = useQuery({ queryKey: systemKeys.connection(), queryFn: getConnection, enabled: isTauri() });
  if (!current.data) return current.isError ? <FormError message={String(current.error)} /> : null;
  const { connection, fixed } = current.data;
  return <ConnectionChoice key={JSON.stringify(connection)} current={connection} fixed={fixed} />;
}

function ConnectionChoice({ current, fixed }: { current: Connection; fixed: boolean }) {
  const [mode, setMode] = useState<Connection["mode"]>(current.mode);
  const [url, setUrl] = useState(current.mode === "team_server" ? current.url : "https://");
  const wanted: Connection = mode === "team_server" ? { mode, url } : { mode };
  const change = useMutation({
    mutationFn: setConnection,
    onSuccess: () => {
      // The page starts again on the other server: this one's tokens mean nothing there.
      new SessionStore().set(null);
      window.location.reload();
    },
  });
  const unchanged = JSON.stringify(wanted) === JSON.stringify(current);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate(wanted);
  };
  if (fixed) {
    return (
      <p data-testid="connection-fixed">
        This desktop uses <code>{current.mode === "team_server" ? current.url : "this computer"}</code>, set by
        RPMA_BACKEND_URL when the app started.
      </p>
    );
  }
  return (
    <form className="stack" onSubmit={submit} aria-label="Connection">
      <fieldset className="stack connection-choice">
        <legend>Where the workshop's data is</legend>
        <label className="settings-check">
          <input type="radio" name="connection" checked={mode === "this_computer"} onChange={() => setMode("this_computer")} />
          This computer (its own data, for one desk)
        </label>
        <label className="settings-check">
          <input type="radio" name="connection" checked={mode === "team_server"} onChange={() => setMode("team_server")} />
          A team server (shared by the workshop's desktops)
        </label>
      </fieldset>
      {mode === "team_server" && (
        <TextField
          label="Team server URL"
          type="url"
          required
          maxLength={2048}
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          hint="Its certificate must be trusted by this computer. You sign in again on the server you choose."
        />
      )}
      <FormError message={change.error ? String(change.error) : null} />
      <div>
        <button type="submit" className="button primary" disabled={change.isPending || unchanged}>
          {change.isPending ? "Checking…" : "Connect"}
        </button>
      </div>
    </form>
  );
}

import { errorMessage } from "@/api/errors";
import { FormError } from "@/components/field";
import { QueryState } from "@/components/states";
import { isTauri } from "@/lib/tauri";
import { useAppInfo, useOpenLogsDir, useSystemInfo } from "./api";

/** Which build runs: the desktop app (in the shell) and the server. */
export function AboutSection() {
  const shell = isTauri();
  return (
    <section className="card settings-section" aria-labelledby="about-title">
      <h2 id="about-title">About</h2>
      {shell && <DesktopInfo />}
      <ServerInfo />
    </section>
  );
}

function DesktopInfo() {
  const info = useAppInfo();
  const openLogs = useOpenLogsDir();
  return (
    <QueryState query={info}>
      {(app) => (
        <div className="stack">
          <dl className="settings-facts" data-testid="app-info">
            <dt>App</dt>
            <dd>
              {app.name} {app.version}
            </dd>
            <dt>Tauri</dt>
            <dd>{app.tauri_version}</dd>
            <dt>Platform</dt>
            <dd>
              {app.os} ({app.arch})
            </dd>
            <dt>Data folder</dt>
            <dd>
              <code>{app.data_dir}</code>
            </dd>
            <dt>Log folder</dt>
            <dd>
              <code>{app.log_dir}</code>
            </dd>
          </dl>
          <FormError message={openLogs.error ? errorMessage(openLogs.error) : null} />
          <div>
            <button type="button" className="button" disabled={openLogs.isPending} onClick={() => openLogs.mutate()}>
              Open logs folder
            </button>
          </div>
        </div>
      )}
    </QueryState>
  );
}

function ServerInfo() {
  const info = useSystemInfo();
  return (
    <QueryState query={info}>
      {(server) => (
        <dl className="settings-facts" data-testid="system-info">
          <dt>Server</dt>
          <dd>{server.version}</dd>
          <dt>Commit</dt>
          <dd>
            <code>{server.git_sha.slice(0, 12)}</code>
          </dd>
          <dt>Built</dt>
          <dd>{server.build_time}</dd>
          <dt>Compiler</dt>
          <dd>{server.rustc}</dd>
          <dt>Server platform</dt>
          <dd>
            {server.os} ({server.arch})
          </dd>
        </dl>
      )}
    </QueryState>
  );
}

import { NavLink, Outlet, useNavigate } from "react-router-dom";
import { useApi, useSession, useSessions } from "@/api/provider";
import { WindowToolbar } from "@/features/window/window-toolbar";
import { useBackend } from "@/lib/backend";
import { useLiveEvents } from "@/lib/live-events";
import { isManager, isPlant, isStaff, isWorkshop } from "@/lib/roles";

function BackendBanner() {
  const backend = useBackend();
  if (backend.status === "healthy") return null;
  const text =
    backend.status === "failed"
      ? "The backend stopped and could not be restarted. See the logs, or restart the app."
      : backend.status === "starting"
        ? "The backend is starting…"
        : "The backend is restarting; your work will continue when it is back.";
  return (
    <div className="banner" role="status" aria-live="polite" data-testid="backend-banner">
      {text}
    </div>
  );
}

/** The frame around every signed-in screen: navigation, who is signed in, the window toolbar. */
export function Layout() {
  const session = useSession();
  const sessions = useSessions();
  const api = useApi();
  const navigate = useNavigate();
  useLiveEvents();

  const signOut = async () => {
    // End the session on the server too; sign out locally whatever it answers.
    await api.POST("/api/v1/auth/logout").catch(() => undefined);
    sessions.set(null);
    navigate("/login");
  };

  const role = session?.user.role;
  const plant = Boolean(role && isPlant(role));
  const links: [string, string, boolean][] = [
    ["/", "Dashboard", Boolean(role && isWorkshop(role))],
    ["/tasks", "Tasks", Boolean(role && isWorkshop(role))],
    ["/clients", "Clients", Boolean(role && isWorkshop(role))],
    ["/quotes", "Quotes", Boolean(role && isWorkshop(role))],
    ["/interventions", "Interventions", Boolean(role && isStaff(role))],
    ["/inventory", "Inventory", Boolean(role && isStaff(role))],
    ["/calendar", "Calendar", Boolean(role && isWorkshop(role))],
    // The plant (BPM-OS): admins and supervisors see it beside the workshop.
    ["/ops", "Plant", plant],
    ["/ops/control-tower", "Control tower", plant],
    ["/ops/live", "Live status", plant],
    ["/ops/lines", "Lines", plant],
    ["/ops/inventory", "Plant inventory", plant],
    ["/ops/exceptions", "Exceptions", plant],
    ["/ops/logs", "Logs", plant],
    ["/ops/reports", "Reports", plant],
    ["/ops/compliance", "Compliance", plant],
    ["/users", "Users", Boolean(role && isManager(role))],
    ["/settings", "Settings", true],
  ];

  return (
    <div className="layout">
      <aside className="sidebar">
        <div className="brand">RPMA</div>
        <nav aria-label="Main">
          <ul>
            {links
              .filter(([, , shown]) => shown)
              .map(([to, label]) => (
                <li key={to}>
                  <NavLink to={to} end={to === "/" || to === "/ops"}>
                    {label}
                  </NavLink>
                </li>
              ))}
          </ul>
        </nav>
      </aside>
      <div className="main">
        <header className="topbar">
          <WindowToolbar />
          {session && (
            <div className="who">
              <span data-testid="signed-in-user">
                {session.user.first_name} {session.user.last_name}
              </span>
              <span className="badge">{session.user.role}</span>
              <button type="button" className="button" onClick={signOut}>
                Sign out
              </button>
            </div>
          )}
        </header>
        <BackendBanner />
        <main className="content">
          <Outlet />
        </main>
      </div>
    </div>
  );
}

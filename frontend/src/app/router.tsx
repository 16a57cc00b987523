import { lazy, Suspense, type ReactNode } from "react";
import { BrowserRouter, HashRouter, Navigate, Route, Routes, useLocation } from "react-router-dom";
import { useSession } from "@/api/provider";
import { ErrorBoundary } from "@/components/error-boundary";
import { Loading } from "@/components/states";
import { BootstrapPage } from "@/features/auth/bootstrap-page";
import { LoginPage } from "@/features/auth/login-page";
import { isTauri } from "@/lib/tauri";
import { Layout } from "./layout";
import { isManager, isPlant, isStaff, isWorkshop, type Role } from "@/lib/roles";

// Each screen is its own chunk: the first paint only loads the layout and sign-in.
const DashboardPage = lazy(() => import("@/features/dashboard/dashboard-page").then((m) => ({ default: m.DashboardPage })));
const TasksPage = lazy(() => import("@/features/tasks/tasks-page").then((m) => ({ default: m.TasksPage })));
const TaskDetailPage = lazy(() => import("./task-screen").then((m) => ({ default: m.TaskScreen })));
const TaskFormPage = lazy(() => import("@/features/tasks/task-form-page").then((m) => ({ default: m.TaskFormPage })));
const ClientsPage = lazy(() => import("@/features/clients/clients-page").then((m) => ({ default: m.ClientsPage })));
const ClientDetailPage = lazy(() => import("@/features/clients/client-detail-page").then((m) => ({ default: m.ClientDetailPage })));
const CalendarPage = lazy(() => import("@/features/calendar/calendar-page").then((m) => ({ default: m.CalendarPage })));
const InterventionsPage = lazy(() => import("@/features/interventions/interventions-page").then((m) => ({ default: m.InterventionsPage })));
const InterventionPage = lazy(() => import("@/features/interventions/intervention-page").then((m) => ({ default: m.InterventionPage })));
const InventoryPage = lazy(() => import("@/features/materials/inventory-page").then((m) => ({ default: m.InventoryPage })));
const MaterialDetailPage = lazy(() => import("@/features/materials/material-detail-page").then((m) => ({ default: m.MaterialDetailPage })));
const CategoriesPage = lazy(() => import("@/features/materials/categories-page").then((m) => ({ default: m.CategoriesPage })));
const QuotesPage = lazy(() => import("@/features/quotes/quotes-page").then((m) => ({ default: m.QuotesPage })));
const QuotePage = lazy(() => import("@/features/quotes/quote-page").then((m) => ({ default: m.QuotePage })));
const UsersPage = lazy(() => import("@/features/users/users-page").then((m) => ({ default: m.UsersPage })));
const PlantDashboardPage = lazy(() => import("@/features/ops/plant-dashboard-page").then((m) => ({ default: m.PlantDashboardPage })));
const ControlTowerPage = lazy(() => import("@/features/ops/control-tower-page").then((m) => ({ default: m.ControlTowerPage })));
const RunbookPage = lazy(() => import("@/features/ops/runbook-page").then((m) => ({ default: m.RunbookPage })));
const LiveStatusPage = lazy(() => import("@/features/ops/live-status-page").then((m) => ({ default: m.LiveStatusPage })));
const LinesPage = lazy(() => import("@/features/ops/lines-page").then((m) => ({ default: m.LinesPage })));
const LinePage = lazy(() => import("@/features/ops/line-page").then((m) => ({ default: m.LinePage })));
const PlantInventoryPage = lazy(() => import("@/features/ops/plant-inventory-page").then((m) => ({ default: m.PlantInventoryPage })));
const ExceptionsPage = lazy(() => import("@/features/ops/exceptions-page").then((m) => ({ default: m.ExceptionsPage })));
const LogsPage = lazy(() => import("@/features/ops/logs-page").then((m) => ({ default: m.LogsPage })));
const ReportsPage = lazy(() => import("@/features/ops/reports-page").then((m) => ({ default: m.ReportsPage })));
const CompliancePage = lazy(() => import("@/features/ops/compliance-page").then((m) => ({ default: m.CompliancePage })));
const SettingsPage = lazy(() => import("@/features/settings/settings-page").then((m) => ({ default: m.SettingsPage })));

/**
 * One screen's error boundary: a screen that fails to render (or whose chunk fails to load) says
 * so in its place, and the frame around it keeps working. Keyed by path, so going elsewhere (the
 * sidebar, the back button) starts afresh; the search params are not in the key, so changing a
 * list's filters keeps the screen's state.
 */
export function Screen({ name, children }: { name: string; children: ReactNode }) {
  const { pathname } = useLocation();
  return (
    <ErrorBoundary key={pathname} screen={name}>
      <Suspense fallback={<Loading />}>{children}</Suspense>
    </ErrorBoundary>
  );
}

/** Only for signed-in users (and, with `allow`, for those roles); others go to sign-in. */
function Guard({ name, children, allow }: { name: string; children: ReactNode; allow?: (role: Role) => boolean }) {
  const session = useSession();
  if (!session) return <Navigate to="/login" replace />;
  if (allow && !allow(session.user.role)) return <Navigate to="/" replace />;
  return <Screen name={name}>{children}</Screen>;
}

/** The workshop's dashboard for workshop roles; the plant's for the plant-only roles (operators, plant heads, auditors). */
function Home() {
  const session = useSession();
  if (session && !isWorkshop(session.user.role)) return <Navigate to={isPlant(session.user.role) ? "/ops" : "/settings"} replace />;
  return <DashboardPage />;
}

export function AppRouter() {
  // The webview serves files from the app's own protocol: hash routes need no server rewrites.
  const Router = isTauri() ? HashRouter : BrowserRouter;
  return (
    <Router>
      <Routes>
        <Route path="/setup" element={<Screen name="Setup"><BootstrapPage /></Screen>} />
        <Route path="/login" element={<Screen name="Sign-in"><LoginPage /></Screen>} />
        <Route element={<Layout />}>
          <Route index element={<Guard name="The dashboard"><Home /></Guard>} />
          <Route path="tasks" element={<Guard name="Tasks" allow={isWorkshop}><TasksPage /></Guard>} />
          <Route path="tasks/new" element={<Guard name="The new task form" allow={isManager}><TaskFormPage /></Guard>} />
          <Route path="tasks/:id" element={<Guard name="The task" allow={isWorkshop}><TaskDetailPage /></Guard>} />
          <Route path="tasks/:id/edit" element={<Guard name="The task form" allow={isWorkshop}><TaskFormPage /></Guard>} />
          <Route path="clients" element={<Guard name="Clients" allow={isWorkshop}><ClientsPage /></Guard>} />
          <Route path="clients/:id" element={<Guard name="The client" allow={isWorkshop}><ClientDetailPage /></Guard>} />
          <Route path="quotes" element={<Guard name="Quotes" allow={isWorkshop}><QuotesPage /></Guard>} />
          <Route path="quotes/:id" element={<Guard name="The quote" allow={isWorkshop}><QuotePage /></Guard>} />
          <Route path="interventions" element={<Guard name="Interventions" allow={isStaff}><InterventionsPage /></Guard>} />
          <Route path="interventions/:id" element={<Guard name="The intervention" allow={isStaff}><InterventionPage /></Guard>} />
          <Route path="inventory" element={<Guard name="The inventory" allow={isStaff}><InventoryPage /></Guard>} />
          <Route path="inventory/categories" element={<Guard name="Categories and suppliers" allow={isStaff}><CategoriesPage /></Guard>} />
          <Route path="inventory/:id" element={<Guard name="The material" allow={isStaff}><MaterialDetailPage /></Guard>} />
          <Route path="calendar" element={<Guard name="The calendar" allow={isWorkshop}><CalendarPage /></Guard>} />
          <Route path="users" element={<Guard name="Users" allow={isManager}><UsersPage /></Guard>} />
          <Route path="ops" element={<Guard name="The plant dashboard" allow={isPlant}><PlantDashboardPage /></Guard>} />
          <Route path="ops/control-tower" element={<Guard name="The control tower" allow={isPlant}><ControlTowerPage /></Guard>} />
          <Route path="ops/runbooks/:id" element={<Guard name="The runbook" allow={isPlant}><RunbookPage /></Guard>} />
          <Route path="ops/live" element={<Guard name="Live status" allow={isPlant}><LiveStatusPage /></Guard>} />
          <Route path="ops/lines" element={<Guard name="Lines" allow={isPlant}><LinesPage /></Guard>} />
          <Route path="ops/lines/:id" element={<Guard name="The line" allow={isPlant}><LinePage /></Guard>} />
          <Route path="ops/inventory" element={<Guard name="The plant inventory" allow={isPlant}><PlantInventoryPage /></Guard>} />
          <Route path="ops/exceptions" element={<Guard name="Exceptions" allow={isPlant}><ExceptionsPage /></Guard>} />
          <Route path="ops/logs" element={<Guard name="The plant log" allow={isPlant}><LogsPage /></Guard>} />
          <Route path="ops/reports" element={<Guard name="Reports" allow={isPlant}><ReportsPage /></Guard>} />
          <Route path="ops/compliance" element={<Guard name="Compliance" allow={isPlant}><CompliancePage /></Guard>} />
          <Route path="settings" element={<Guard name="Settings"><SettingsPage /></Guard>} />
        </Route>
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Router>
  );
}

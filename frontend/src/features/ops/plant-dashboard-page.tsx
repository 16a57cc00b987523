import { useSearchParams } from "react-router-dom";
import { useSession } from "@/api/provider";
import { FormLevelError, SelectField } from "@/components/field";
import { Page } from "@/components/page";
import { QueryState } from "@/components/states";
import { plantDashboardRole, type PlantDashboardRole } from "@/lib/roles";
import { useDashboardDistributions, useDashboardSummary, useDashboardTrends, useLoadDemo, useRunbooks } from "./api";
import { ChartPanel, MixPanel } from "./charts/panels";
import { Sparkline } from "./charts/sparkline";
import { formatDateTime, formatNumber, formatPercent } from "./format";
import { RoleView } from "./role-view";
import type { ChartPoint } from "./types";
import { FigureCard } from "./widgets";
import "./ops.css";

/** The five role views, as the dashboard's `{role}` and their names. */
export const ROLE_VIEWS: readonly (readonly [PlantDashboardRole, string])[] = [
  ["operator", "Operator"],
  ["supervisor", "Supervisor"],
  ["plant-head", "Plant head"],
  ["admin", "Admin"],
  ["auditor", "Auditor"],
];

const isRoleView = (value: string | null): value is PlantDashboardRole => ROLE_VIEWS.some(([role]) => role === value);

/**
 * The plant dashboard: the last 24 hours' figures, the week's trends, the mixes, then a role's
 * view (the signed-in user's by default; `?view=` looks at another's).
 */
export function PlantDashboardPage() {
  const role = useSession()?.user.role;
  const [params, setParams] = useSearchParams();
  const own = (role && plantDashboardRole(role)) ?? "operator";
  const asked = params.get("view");
  const view = isRoleView(asked) ? asked : own;
  const runbooks = useRunbooks();
  const emptyPlant = runbooks.data !== undefined && runbooks.data.length === 0;

  const setView = (next: string) => {
    const search = new URLSearchParams(params);
    if (next === own) search.delete("view");
    else search.set("view", next);
    setParams(search, { replace: true });
  };

  return (
    <Page title="Plant">
      {emptyPlant && <EmptyPlant isAdmin={role === "admin"} />}
      <SummaryCards />
      <Trends />
      <Mixes />
      <section className="ops-section" aria-labelledby="role-view-title">
        <div className="ops-panel-head">
          <h2 id="role-view-title">{ROLE_VIEWS.find(([r]) => r === view)?.[1]} view</h2>
          <div className="ops-toolbar">
            <SelectField label="Role view" value={view} onChange={(e) => setView(e.target.value)} options={ROLE_VIEWS} />
          </div>
        </div>
        <RoleView role={view} />
      </section>
    </Page>
  );
}

/** An empty plant says so; an admin may load the demo plant into it. */
function EmptyPlant({ isAdmin }: { isAdmin: boolean }) {
  const load = useLoadDemo();
  return (
    <div className="card notice" data-testid="empty-plant">
      <p>No plant data yet: no runbook, line or inventory has been set up.</p>
      {isAdmin && (
        <>
          <button type="button" className="button primary" disabled={load.isPending} onClick={() => load.mutate()}>
            {load.isPending ? "Loading the demo plant…" : "Load the demo plant"}
          </button>
          <FormLevelError error={load.error} shown={[]} />
        </>
      )}
    </div>
  );
}

function SummaryCards() {
  const summary = useDashboardSummary();
  const trends = useDashboardTrends();
  const spark = (title: string, series: readonly ChartPoint[] | undefined, unit = "") =>
    series && series.length > 0 ? <Sparkline title={`${title} over the week`} series={series} unit={unit} /> : undefined;
  return (
    <QueryState query={summary}>
      {(data) => (
        <>
          <div className="ops-figures" aria-label="Last 24 hours">
            <FigureCard label="Planned" value={formatNumber(data.planned, 0)} testId="ops-planned" note="units the lines could build" />
            <FigureCard label="Built" value={formatNumber(data.built, 0)} testId="ops-built" note={spark("Built", trends.data?.built)} />
            <FigureCard
              label="Yield"
              value={formatPercent(data.yield)}
              testId="ops-yield"
              note={data.ok === null ? undefined : `${formatNumber(data.ok, 0)} OK`}
            />
            <FigureCard label="Hold" value={formatNumber(data.hold, 0)} testId="ops-hold" tone={data.hold ? "warn" : undefined} />
            <FigureCard label="OEE" value={formatPercent(data.oee)} testId="ops-oee" note={spark("OEE", trends.data?.oee, " %")} />
          </div>
          <p className="muted">
            From {formatDateTime(data.window.from)} to {formatDateTime(data.window.to)}.
          </p>
        </>
      )}
    </QueryState>
  );
}

function Trends() {
  const trends = useDashboardTrends();
  return (
    <QueryState query={trends}>
      {(data) => (
        <div className="ops-grid ops-section">
          <ChartPanel id="trend-built" title="Built per day" series={data.built} valueName="built" value2Name="OK" />
          <ChartPanel id="trend-yield" title="Yield per day" series={data.yield} unit=" %" />
          <ChartPanel id="trend-oee" title="OEE per day" series={data.oee} unit=" %" />
        </div>
      )}
    </QueryState>
  );
}

function Mixes() {
  const mixes = useDashboardDistributions();
  return (
    <QueryState query={mixes}>
      {(data) => (
        <div className="ops-grid ops-section">
          <ChartPanel id="mix-stage" title="Stage mix" series={data.stageMix} />
          <MixPanel id="mix-custody" title="Custody mix" series={data.custodyMix} />
          <MixPanel id="mix-severity" title="Open exceptions by severity" series={data.severityMix} />
          <MixPanel id="mix-inventory" title="Inventory mix" series={data.inventoryMix} />
        </div>
      )}
    </QueryState>
  );
}

import type { ChartPoint } from "../types";
import { Panel } from "../widgets";
import { BarChart } from "./bar-chart";
import { MixChart } from "./mix-chart";

/** A bar chart in its titled panel; an empty or all-zero series reads "No data yet". */
export function ChartPanel({ id, title, series, unit, valueName, value2Name }: { id: string; title: string; series: readonly ChartPoint[] | null | undefined; unit?: string; valueName?: string; value2Name?: string }) {
  const points = series ?? [];
  const empty = points.every((p) => !p.value && !p.value2);
  return (
    <Panel id={id} title={title}>
      {empty ? <p className="notice">No data yet.</p> : <BarChart title={title} series={points} unit={unit} valueName={valueName} value2Name={value2Name} />}
    </Panel>
  );
}

/** A mix (donut and legend) in its titled panel. */
export function MixPanel({ id, title, series }: { id: string; title: string; series: readonly ChartPoint[] | null | undefined }) {
  return (
    <Panel id={id} title={title}>
      <MixChart title={title} series={series ?? []} />
    </Panel>
  );
}

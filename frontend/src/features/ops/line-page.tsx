import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router-dom";
import { useSession } from "@/api/provider";
import { FormLevelError, SelectField, TextField } from "@/components/field";
import { Page } from "@/components/page";
import { QueryState } from "@/components/states";
import { isPlantWriter } from "@/lib/roles";
import { useLine, useLineOee, useStations, useUpdateStation } from "./api";
import { Gauge } from "./charts/gauge";
import { formatDateTime, formatNumber, formatPercent, formatValue } from "./format";
import { STATION_STATES } from "./labels";
import type { Station, StationState } from "./types";
import { FigureCard, Panel, StatusBadge } from "./widgets";
import "./ops.css";

/** One line: its state, its OEE over the last 24 hours, and its stations (writers set their state). */
export function LinePage() {
  const { id = "" } = useParams();
  const line = useLine(id);
  const oee = useLineOee(id);
  const stations = useStations(id);
  const role = useSession()?.user.role;
  const canWrite = Boolean(role && isPlantWriter(role));
  return (
    <Page title={line.data?.name ?? "Line"} actions={<Link to="/ops/lines">All lines</Link>}>
      <QueryState query={line}>
        {(data) => (
          <div className="card ops-row">
            <span>
              Mode: <StatusBadge status={data.mode} testId="line-mode" />
            </span>
            <span>
              Health: <StatusBadge status={data.health} />
            </span>
            <span>{formatValue(data.type)}</span>
            <span className="grow">
              Runbook: {data.runbookRef ? <Link to={`/ops/runbooks/${encodeURIComponent(data.runbookRef)}`}>{data.runbookRef}</Link> : "—"}
            </span>
            <span className="muted">Updated {formatDateTime(data.lastUpdate)}</span>
          </div>
        )}
      </QueryState>
      <Panel id="oee-title" title="OEE, last 24 hours">
        <QueryState query={oee}>
          {(data) => (
            <>
              <div className="ops-gauges">
                <Gauge label="Availability" value={data.availability} />
                <Gauge label="Performance" value={data.performance} />
                <Gauge label="Quality" value={data.quality} />
                <div className="gauge">
                  <div className="ops-oee-figure" data-testid="line-oee">
                    {formatPercent(data.oee)}
                  </div>
                  <div className="muted">OEE</div>
                </div>
              </div>
              <div className="ops-figures">
                <FigureCard label="Planned" value={formatNumber(data.planned, 0)} />
                <FigureCard label="Built" value={formatNumber(data.built, 0)} />
                <FigureCard label="OK" value={formatNumber(data.ok, 0)} />
                <FigureCard label="Yield" value={formatPercent(data.yield)} />
              </div>
              {data.oee === null && <p className="notice">No telemetry in this window yet.</p>}
            </>
          )}
        </QueryState>
      </Panel>
      <Panel id="stations-title" title="Stations">
        <QueryState query={stations} isEmpty={(list) => list.length === 0} empty="No data yet: this line has no station.">
          {(list) => (
            <ul className="ops-list" data-testid="stations">
              {list.map((station) => (
                <li key={station.id}>
                  <StationRow lineId={id} station={station} canWrite={canWrite} />
                </li>
              ))}
            </ul>
          )}
        </QueryState>
      </Panel>
    </Page>
  );
}

/** A station's state and reason; a writer sets another (a blocked one needs its reason). */
function StationRow({ lineId, station, canWrite }: { lineId: string; station: Station; canWrite: boolean }) {
  const update = useUpdateStation(lineId);
  const [editing, setEditing] = useState(false);
  const [state, setState] = useState<StationState>(station.state);
  const [reason, setReason] = useState(station.blockedReason ?? "");
  const reasonMissing = state === "Blocked" && reason.trim() === "";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reasonMissing) return;
    update.mutate(
      { stationId: station.id, body: { state, blockedReason: state === "Blocked" ? reason.trim() : null } },
      { onSuccess: () => setEditing(false) },
    );
  };

  return (
    <div className="stack">
      <div className="ops-row">
        <strong className="grow">{station.name}</strong>
        <span className="sop">{station.id}</span>
        <StatusBadge status={station.state} />
        {station.blockedReason && <span>{station.blockedReason}</span>}
        {canWrite && !editing && (
          <button
            type="button"
            className="button"
            aria-label={`Change the state of ${station.name}`}
            onClick={() => {
              setState(station.state);
              setReason(station.blockedReason ?? "");
              update.reset();
              setEditing(true);
            }}
          >
            Change state
          </button>
        )}
      </div>
      {editing && (
        <form className="ops-toolbar" aria-label={`State of ${station.name}`} noValidate onSubmit={submit}>
          <SelectField label="State" value={state} onChange={(e) => setState(e.target.value as StationState)} options={STATION_STATES.map((s) => [s, s] as const)} />
          {state === "Blocked" && (
            <TextField
              label="Blocked reason"
              required
              className="grow"
              value={reason}
              maxLength={200}
              onChange={(e) => setReason(e.target.value)}
              hint="A blocked station needs its reason"
            />
          )}
          <div className="form-actions">
            <button type="submit" className="button primary" disabled={update.isPending || reasonMissing}>
              Save
            </button>
            <button type="button" className="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
          <FormLevelError error={update.error} shown={[]} />
        </form>
      )}
    </div>
  );
}

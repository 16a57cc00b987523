import { useMemo, useRef, useState } from "react";
import { useSearchParams } from "react-router-dom";
import { useSession } from "@/api/provider";
import { SelectField } from "@/components/field";
import { Page } from "@/components/page";
import { Empty, ErrorState, Loading } from "@/components/states";
import { isManager } from "@/lib/roles";
import { personName, useTechnicians } from "@/lib/technicians";
import { useWeekEvents } from "./api";
import { EventDetails } from "./event-details";
import { EventForm } from "./event-form";
import { formatSlot, formatWeek } from "./format";
import { ScheduleForm } from "./schedule-form";
import { WeekGrid } from "./week-grid";
import { addDays, localDateString, startOfWeek, weekDays, weekFromParam, weekQuery } from "./week";
import "./calendar.css";

type Panel = "schedule" | "event" | null;

/**
 * The week's events (Monday to Sunday, local time) with week navigation; managers filter by
 * technician, schedule tasks and create or delete events.
 */
export function CalendarPage() {
  const session = useSession();
  const me = session?.user;
  const manager = Boolean(me && isManager(me.role));
  const [params, setParams] = useSearchParams();
  const now = new Date();
  const weekStart = weekFromParam(params.get("week"), now);
  const days = weekDays(weekStart);
  const range = weekQuery(weekStart);
  const technicianId = manager ? params.get("technician") || undefined : undefined;

  const events = useWeekEvents(range, technicianId);
  const technicians = useTechnicians(manager);
  const [panel, setPanel] = useState<Panel>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const names = useMemo(() => {
    const map = new Map<string, string>();
    for (const user of technicians.data ?? []) map.set(user.id, personName(user));
    if (me && !manager) map.set(me.id, "You");
    return map;
  }, [technicians.data, me, manager]);

  // The router's updater sees the last render's parameters; a ref keeps quick changes together.
  const latest = useRef(params);
  latest.current = params;
  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(latest.current);
    if (value) next.set(key, value);
    else next.delete(key);
    latest.current = next;
    setParams(next, { replace: true });
  };
  const goToWeek = (date: Date) => {
    const monday = startOfWeek(date);
    setSelectedId(null);
    setParam("week", localDateString(monday) === localDateString(startOfWeek(new Date())) ? null : localDateString(monday));
  };

  const selected = events.data?.find((event) => event.id === selectedId) ?? null;
  const activeTechnicians = technicians.data ?? [];
  const open = (next: Panel) => {
    setNotice(null);
    setPanel((current) => (current === next ? null : next));
  };
  // New bookings default to the shown week: today if it is this week, else its Monday.
  const defaultDate = localDateString(startOfWeek(now)) === localDateString(weekStart) ? now : weekStart;

  const filterOptions: [string, string][] = [
    ["", "All technicians"],
    ...activeTechnicians.map((t): [string, string] => [t.id, personName(t)]),
  ];

  return (
    <Page
      title="Calendar"
      actions={
        manager && (
          <>
            <button type="button" className={`button${panel === "schedule" ? " primary" : ""}`} aria-expanded={panel === "schedule"} onClick={() => open("schedule")}>
              Schedule a task
            </button>
            <button type="button" className={`button${panel === "event" ? " primary" : ""}`} aria-expanded={panel === "event"} onClick={() => open("event")}>
              New event
            </button>
          </>
        )
      }
    >
      {panel === "schedule" && (
        <section className="card cal-panel">
          <ScheduleForm
            technicians={activeTechnicians}
            defaultDate={defaultDate}
            onCancel={() => setPanel(null)}
            onScheduled={({ event, task }) => {
              setPanel(null);
              setNotice(`Scheduled ${task.task_number} ${task.title}: ${formatSlot(new Date(event.start_datetime), new Date(event.end_datetime))}.`);
              goToWeek(new Date(event.start_datetime));
              setSelectedId(event.id);
            }}
          />
        </section>
      )}
      {panel === "event" && (
        <section className="card cal-panel">
          <EventForm
            technicians={activeTechnicians}
            defaultDate={defaultDate}
            onCancel={() => setPanel(null)}
            onCreated={(event) => {
              setPanel(null);
              setNotice(`Created ${event.title}: ${formatSlot(new Date(event.start_datetime), new Date(event.end_datetime))}.`);
              goToWeek(new Date(event.start_datetime));
              setSelectedId(event.id);
            }}
          />
        </section>
      )}
      {notice && (
        <p className="notice cal-notice" role="status">
          {notice}
        </p>
      )}

      <div className="cal-toolbar">
        <div className="cal-nav" role="group" aria-label="Week">
          <button type="button" className="button" onClick={() => goToWeek(addDays(weekStart, -7))}>
            Previous week
          </button>
          <button type="button" className="button" onClick={() => goToWeek(new Date())}>
            Today
          </button>
          <button type="button" className="button" onClick={() => goToWeek(addDays(weekStart, 7))}>
            Next week
          </button>
        </div>
        <h2 className="cal-week-label" aria-live="polite" data-testid="calendar-week-label">
          {formatWeek(days[0]!, days[6]!)}
        </h2>
        {manager && (
          <div className="cal-filter">
            <SelectField
              label="Show bookings of"
              name="technician"
              value={technicianId ?? ""}
              options={filterOptions}
              disabled={technicians.isPending}
              onChange={(e) => {
                setSelectedId(null);
                setParam("technician", e.target.value || null);
              }}
              errors={technicians.error ? ["The technicians could not be loaded."] : undefined}
            />
          </div>
        )}
      </div>

      {selected && <EventDetails key={selected.id} event={selected} who={selected.technician_id ? names.get(selected.technician_id) : undefined} canDelete={manager} onClose={() => setSelectedId(null)} />}

      {events.isPending ? (
        <Loading label="Loading the week…" />
      ) : events.error && !events.data ? (
        <ErrorState error={events.error} onRetry={() => events.refetch()} />
      ) : (
        <div className={events.isPlaceholderData ? "cal-stale" : undefined} aria-busy={events.isFetching}>
          {events.error && <ErrorState error={events.error} onRetry={() => events.refetch()} />}
          {events.data?.length === 0 && <Empty>{technicianId ? "No bookings for this technician this week." : "Nothing booked this week."}</Empty>}
          <WeekGrid days={days} events={events.data ?? []} names={names} selectedId={selectedId} onSelect={setSelectedId} now={now} />
        </div>
      )}
    </Page>
  );
}

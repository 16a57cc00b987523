import type { ReactNode } from "react";
import { Link } from "react-router-dom";
import { ConfirmButton } from "@/components/confirm-button";
import { useDeleteEvent, type CalendarEvent } from "./api";
import { formatLongDay, formatSlot } from "./format";

const TYPE_LABELS: Record<CalendarEvent["event_type"], string> = {
  appointment: "Appointment",
  meeting: "Meeting",
  task: "Task booking",
  reminder: "Reminder",
  other: "Other",
};

/** What an event is, when, who; managers may delete it (after a second click). */
export function EventDetails({
  event,
  who,
  canDelete,
  onClose,
}: {
  event: CalendarEvent;
  who: string | undefined;
  canDelete: boolean;
  onClose: () => void;
}) {
  const remove = useDeleteEvent();
  const start = new Date(event.start_datetime);
  const end = new Date(event.end_datetime);

  const rows: [string, ReactNode][] = [
    ["When", event.all_day ? `${formatLongDay(start)}, all day` : formatSlot(start, end)],
    ["Type", TYPE_LABELS[event.event_type]],
    ["Status", event.status.charAt(0).toUpperCase() + event.status.slice(1)],
    ["Technician", who ?? (event.technician_id ? "A technician" : "Nobody booked")],
    ["Task", event.task_id && <Link to={`/tasks/${event.task_id}`}>Open the task</Link>],
    ["Location", event.location],
    ["Category", event.category],
    ["Description", event.description],
  ];

  return (
    <section className="card cal-details" aria-labelledby="event-details-title" data-testid="event-details">
      <header className="cal-details-head">
        <h2 id="event-details-title">{event.title}</h2>
        <button type="button" className="button" onClick={onClose} aria-label="Close the event details">
          Close
        </button>
      </header>
      <dl className="cal-details-list">
        {rows
          .filter(([, value]) => value)
          .map(([label, value]) => (
            <div key={label} className="cal-details-row">
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
      {canDelete && (
        <div>
          <ConfirmButton
            label="Delete event"
            prompt={event.task_id ? "Delete this booking? The task keeps its date." : "Delete this event?"}
            confirmLabel="Yes, delete"
            pending={remove.isPending}
            error={remove.error}
            onConfirm={() => remove.mutate(event.id, { onSuccess: onClose })}
          />
        </div>
      )}
    </section>
  );
}

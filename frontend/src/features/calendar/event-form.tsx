import { useState, type FormEvent } from "react";
import type { FieldErrors } from "@/api/errors";
import { FormLevelError, SelectField, TextAreaField, TextField } from "@/components/field";
import { fieldErrors } from "@/components/field-errors";
import { FormActions } from "@/components/form-actions";
import type { User } from "@/api/session";
import { personName } from "@/lib/technicians";
import { conflictsOf, useCreateEvent, type CalendarEvent, type EventType, type NewEvent } from "./api";
import { ConflictList } from "./conflict-list";
import { fromLocalInputs, localDateString, toRfc3339 } from "./week";

// Task bookings come from "Schedule a task"; a plain event is any other kind. Exhaustive over the
// generated `EventType`, so a kind the server adds needs a label here.
const PLAIN_EVENT_TYPES: Record<Exclude<EventType, "task">, string> = {
  appointment: "Appointment",
  meeting: "Meeting",
  reminder: "Reminder",
  other: "Other",
};
const EVENT_TYPES = Object.entries(PLAIN_EVENT_TYPES) as readonly (readonly [EventType, string])[];

/** The request fields the form shows (the server's `start_datetime` at "Start time", and so on). */
const EVENT_FIELDS = ["title", "event_type", "start_datetime", "end_datetime", "technician_id", "location", "description"];

/** The user's IANA zone, kept with the event so other screens can show it the same way. */
const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/** A plain event (meeting, appointment, reminder), optionally booking a technician. */
export function EventForm({
  technicians,
  defaultDate,
  onCreated,
  onCancel,
}: {
  technicians: User[];
  defaultDate: Date;
  onCreated: (event: CalendarEvent) => void;
  onCancel: () => void;
}) {
  const create = useCreateEvent();
  const [values, setValues] = useState({
    title: "",
    eventType: "appointment" as EventType,
    date: localDateString(defaultDate),
    start: "09:00",
    end: "10:00",
    technicianId: "",
    location: "",
    description: "",
  });
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});

  const change = (key: keyof typeof values) => (event: { target: { value: string } }) => {
    const value = event.target.value;
    setLocalErrors({});
    create.reset();
    setValues((current) => ({ ...current, [key]: value }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const start = fromLocalInputs(values.date, values.start);
    const end = fromLocalInputs(values.date, values.end);
    if (!start || !end) {
      setLocalErrors(fromLocalInputs(values.date) ? { [start ? "end_datetime" : "start_datetime"]: ["Enter a time."] } : { date: ["Enter a date."] });
      return;
    }
    const body: NewEvent = {
      title: values.title.trim(),
      event_type: values.eventType,
      start_datetime: toRfc3339(start),
      end_datetime: toRfc3339(end),
      timezone: localZone(),
    };
    if (values.technicianId) body.technician_id = values.technicianId;
    if (values.location.trim()) body.location = values.location.trim();
    if (values.description.trim()) body.description = values.description.trim();
    create.mutate(body, { onSuccess: onCreated });
  };

  const fields: FieldErrors = { ...fieldErrors(create.error), ...localErrors };
  const conflicts = conflictsOf(create.error);
  const technicianOptions: [string, string][] = [
    ["", "No technician"],
    ...technicians.filter((t) => t.is_active).map((t): [string, string] => [t.id, personName(t)]),
  ];

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <h2 id="event-form-title">New event</h2>
      <div className="row">
        <TextField label="Title" name="title" required autoFocus maxLength={200} value={values.title} onChange={change("title")} errors={fields.title} />
        <SelectField label="Type" name="event_type" value={values.eventType} onChange={change("eventType")} options={EVENT_TYPES} errors={fields.event_type} />
      </div>
      <div className="row">
        <TextField label="Date" name="date" type="date" value={values.date} onChange={change("date")} errors={fields.date} />
        <TextField label="Start time" name="start" type="time" step={60} value={values.start} onChange={change("start")} errors={fields.start_datetime} />
        <TextField label="End time" name="end" type="time" step={60} value={values.end} onChange={change("end")} errors={fields.end_datetime} />
      </div>
      <div className="row">
        <SelectField label="Technician" name="technician_id" value={values.technicianId} onChange={change("technicianId")} options={technicianOptions} errors={fields.technician_id} />
        <TextField label="Location" name="location" value={values.location} onChange={change("location")} errors={fields.location} />
      </div>
      <TextAreaField label="Description" name="description" value={values.description} onChange={change("description")} errors={fields.description} maxLength={2000} />
      {conflicts && <ConflictList conflicts={conflicts} />}
      {/* A booking conflict shows as the list of bookings instead. */}
      <FormLevelError error={conflicts?.length ? null : create.error} shown={EVENT_FIELDS} />
      <FormActions submitLabel="Create event" pending={create.isPending} onCancel={onCancel} />
    </form>
  );
}

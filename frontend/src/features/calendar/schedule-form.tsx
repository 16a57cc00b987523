import { useState, type FormEvent } from "react";
import { errorMessage, type FieldErrors } from "@/api/errors";
import type { components } from "@/api/schema";
import { FormError, FormLevelError, SelectField, TextField } from "@/components/field";
import { fieldErrors } from "@/components/field-errors";
import { FormActions } from "@/components/form-actions";
import { Loading } from "@/components/states";
import type { User } from "@/api/session";
import { personName } from "@/lib/technicians";
import {
  conflictsOf,
  useCheckConflicts,
  useConflicts,
  useScheduleTask,
  useSchedulableTasks,
  type Booking,
  type ConflictRequest,
} from "./api";
import { ConflictList } from "./conflict-list";
import { useSettled } from "./use-settled";
import { fromLocalInputs, localDateString, toRfc3339 } from "./week";

type ScheduledTask = components["schemas"]["ScheduledTask"];

/** The request fields the form shows (`schedule-task` and the conflict check). */
const SCHEDULE_FIELDS = ["task_id", "technician_id", "start", "end"];

/** The slot the inputs describe, or the messages saying what is missing. */
function readSlot(values: { taskId: string; technicianId: string; date: string; start: string; end: string }) {
  const errors: FieldErrors = {};
  if (!values.taskId) errors.task_id = ["Choose a task."];
  if (!values.technicianId) errors.technician_id = ["Choose a technician."];
  const start = fromLocalInputs(values.date, values.start);
  const end = fromLocalInputs(values.date, values.end);
  if (!fromLocalInputs(values.date)) errors.date = ["Enter a date."];
  else if (!start) errors.start = ["Enter a start time."];
  else if (!end) errors.end = ["Enter an end time."];
  else if (end <= start) errors.end = ["Must be after the start."];
  return { errors, start, end };
}

/**
 * Book a task for a technician: the slot is checked for conflicts as it is filled in and again on
 * submit; only a free slot is sent to `schedule-task`, whose own `409` shows the same way.
 */
export function ScheduleForm({
  technicians,
  defaultDate,
  onScheduled,
  onCancel,
}: {
  technicians: User[];
  defaultDate: Date;
  onScheduled: (result: ScheduledTask) => void;
  onCancel: () => void;
}) {
  const tasks = useSchedulableTasks(true);
  const check = useCheckConflicts();
  const schedule = useScheduleTask();
  const [values, setValues] = useState({ taskId: "", technicianId: "", date: localDateString(defaultDate), start: "09:00", end: "12:00" });
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  // The answer of the last submit: conflicts found by the check or by a 409.
  const [blocked, setBlocked] = useState<Booking[] | null>(null);

  const slot = readSlot(values);
  const complete = Object.keys(slot.errors).length === 0;
  // Checked as soon as technician and slot are known; the chosen task's own booking does not count.
  const request: ConflictRequest | null =
    values.technicianId && slot.start && slot.end && slot.end > slot.start
      ? {
          technician_id: values.technicianId,
          start: toRfc3339(slot.start),
          end: toRfc3339(slot.end),
          ...(values.taskId ? { exclude_task_id: values.taskId } : {}),
        }
      : null;
  const settled = useSettled(request, 300);
  const live = useConflicts(settled.settled);
  const liveAnswer = settled.current && request ? live.data : undefined;

  const change = (key: keyof typeof values) => (event: { target: { value: string } }) => {
    const value = event.target.value;
    setBlocked(null);
    setLocalErrors({});
    schedule.reset();
    check.reset();
    setValues((current) => {
      const next = { ...current, [key]: value };
      if (key === "taskId") {
        // A task brings its own day and technician, if it has them.
        const task = tasks.data?.find((t) => t.id === value);
        if (task?.scheduled_date) next.date = task.scheduled_date;
        if (task?.technician_id && technicians.some((t) => t.id === task.technician_id)) next.technicianId = task.technician_id;
      }
      return next;
    });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!complete || !request) {
      setLocalErrors(slot.errors);
      return;
    }
    setLocalErrors({});
    setBlocked(null);
    try {
      const found = await check.mutateAsync(request);
      if (!found.available) {
        setBlocked(found.conflicts);
        return;
      }
      const result = await schedule.mutateAsync({ task_id: values.taskId, technician_id: values.technicianId, start: request.start, end: request.end });
      onScheduled(result);
    } catch (error) {
      const conflicts = conflictsOf(error);
      if (conflicts && conflicts.length > 0) setBlocked(conflicts);
    }
  };

  const error = schedule.error ?? check.error;
  const fields: FieldErrors = { ...fieldErrors(error), ...localErrors };
  const conflictsShown = blocked ?? (liveAnswer && !liveAnswer.available ? liveAnswer.conflicts : null);

  if (tasks.isPending) return <Loading label="Loading tasks…" />;
  const taskOptions: [string, string][] = [
    ["", tasks.data?.length ? "Choose a task…" : "No task to schedule"],
    ...(tasks.data ?? []).map((task): [string, string] => [task.id, `${task.task_number} — ${task.title}`]),
  ];
  const technicianOptions: [string, string][] = [
    ["", technicians.length ? "Choose a technician…" : "No technician"],
    ...technicians.filter((t) => t.is_active || t.id === values.technicianId).map((t): [string, string] => [t.id, personName(t)]),
  ];

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <h2 id="schedule-title">Schedule a task</h2>
      {tasks.error && <FormError message={`The tasks could not be loaded: ${errorMessage(tasks.error)}`} />}
      <div className="row">
        <SelectField label="Task" name="task_id" value={values.taskId} onChange={change("taskId")} options={taskOptions} errors={fields.task_id} autoFocus />
        <SelectField label="Technician" name="technician_id" value={values.technicianId} onChange={change("technicianId")} options={technicianOptions} errors={fields.technician_id} />
      </div>
      <div className="row">
        <TextField label="Date" name="date" type="date" value={values.date} onChange={change("date")} errors={fields.date} />
        <TextField label="Start time" name="start" type="time" step={60} value={values.start} onChange={change("start")} errors={fields.start} />
        <TextField label="End time" name="end" type="time" step={60} value={values.end} onChange={change("end")} errors={fields.end} />
      </div>
      <div aria-live="polite" className="cal-availability">
        {conflictsShown && conflictsShown.length > 0 ? (
          <ConflictList conflicts={conflictsShown} />
        ) : request && (!settled.current || live.isFetching) ? (
          <span className="notice">Checking the technician's bookings…</span>
        ) : liveAnswer?.available ? (
          <span className="cal-free">The technician is free then.</span>
        ) : null}
      </div>
      {/* A booking conflict shows as the list of bookings instead. */}
      <FormLevelError error={conflictsOf(error)?.length ? null : error} shown={SCHEDULE_FIELDS} />
      <FormActions submitLabel="Schedule" pending={check.isPending || schedule.isPending} onCancel={onCancel} />
    </form>
  );
}

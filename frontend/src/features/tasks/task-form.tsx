import { useState, type FormEvent } from "react";
import type { FieldErrors } from "@/api/errors";
import { SelectField, TextAreaField, TextField } from "@/components/field";
import { fieldErrors } from "@/components/field-errors";
import { FormActions } from "@/components/form-actions";
import { ZonePicker } from "@/components/zone-picker";
import { useTransitions } from "./api";
import { RequestError } from "./booking-conflicts";
import { ClientPicker } from "@/components/client-picker";
import { checkTaskForm, type TaskForm as Form } from "./task-form-model";
import { PRIORITIES, priorityLabel, statusLabel, type TaskStatus } from "@/components/task-labels";

/** Statuses a new task may start in (`assigned` needs a technician, which is set on the task page). */
const START_STATUSES: readonly TaskStatus[] = ["draft", "pending", "scheduled"];

/**
 * The task form. `only` limits it to those fields (a technician's); the server's field errors
 * show at their fields, and anything else (a booking conflict, a refused move) under the form.
 */
export function TaskForm({
  initial,
  only,
  currentStatus,
  taskId,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  initial: Form;
  only?: readonly (keyof Form)[] | undefined;
  /** Editing: the task's status now (a technician may move it from here). */
  currentStatus?: TaskStatus;
  taskId?: string;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (form: Form) => void;
  onCancel: () => void;
}) {
  const [form, setForm] = useState(initial);
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const serverErrors = fieldErrors(error);
  const errors = { ...serverErrors, ...localErrors };
  const shows = (key: keyof Form) => !only || only.includes(key);
  const creating = !taskId;

  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const text = (key: { [K in keyof Form]: Form[K] extends string ? K : never }[keyof Form]) => ({
    value: form[key] as string,
    onChange: (e: { target: { value: string } }) => set(key, e.target.value as Form[typeof key]),
    errors: errors[key],
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = checkTaskForm(form);
    setLocalErrors(found);
    if (Object.keys(found).length === 0) onSubmit(form);
  };

  // Field errors with no field on screen (e.g. `status` when a manager edits) are listed under the form.
  const rendered = Object.keys(initial).filter((key) => shows(key as keyof Form) && (key !== "status" || creating || Boolean(only)));

  return (
    <form className="task-form stack" onSubmit={submit} noValidate>
      {shows("vehicle_plate") && (
        <fieldset className="card">
          <legend>Vehicle</legend>
          <div className="row">
            <TextField label="Vehicle plate" required maxLength={20} {...text("vehicle_plate")} />
            <TextField label="Vehicle model" required maxLength={100} {...text("vehicle_model")} />
            <TextField label="Make" maxLength={100} {...text("vehicle_make")} />
            <TextField label="Year" inputMode="numeric" maxLength={4} {...text("vehicle_year")} />
            <TextField label="VIN" maxLength={17} {...text("vin")} />
          </div>
          <ZonePicker legend="PPF zones (at least one)" value={form.ppf_zones} kept={initial.ppf_zones} onChange={(zones) => set("ppf_zones", zones)} errors={errors.ppf_zones} />
          <TextField label="Other zones" hint="Separated by commas, e.g. roof, trunk" {...text("custom_ppf_zones")} />
        </fieldset>
      )}

      {shows("scheduled_date") && (
        <fieldset className="card">
          <legend>Schedule</legend>
          <div className="row">
            <TextField label="Scheduled date" type="date" required {...text("scheduled_date")} />
            <TextField label="Start time" type="time" hint="With the end time; leave both empty for the whole day" {...text("start_time")} />
            <TextField label="End time" type="time" {...text("end_time")} />
            <SelectField
              label="Priority"
              value={form.priority}
              onChange={(e) => set("priority", e.target.value as Form["priority"])}
              errors={errors.priority}
              options={PRIORITIES.map((p) => [p, priorityLabel(p)] as const)}
            />
            {creating && (
              <SelectField
                label="Initial status"
                value={form.status || "draft"}
                onChange={(e) => set("status", e.target.value as TaskStatus)}
                errors={errors.status}
                options={START_STATUSES.map((s) => [s, statusLabel(s)] as const)}
              />
            )}
          </div>
        </fieldset>
      )}

      {shows("client_id") && (
        <fieldset className="card">
          <legend>Customer</legend>
          <div className="row">
            <ClientPicker value={form.client_id} onChange={(id) => set("client_id", id)} errors={errors.client_id} emptyLabel="No client" />
            <TextField label="Customer name" hint="Defaults to the client's" maxLength={200} {...text("customer_name")} />
            <TextField label="Customer email" type="email" {...text("customer_email")} />
            <TextField label="Customer phone" type="tel" {...text("customer_phone")} />
          </div>
          <TextField label="Customer address" maxLength={500} {...text("customer_address")} />
        </fieldset>
      )}

      <fieldset className="card">
        <legend>Work</legend>
        {shows("title") && <TextField label="Title" maxLength={100} hint={creating ? "Defaults to the vehicle" : undefined} {...text("title")} />}
        {shows("description") && <TextAreaField label="Description" maxLength={1000} {...text("description")} />}
        {shows("status") && only && currentStatus && taskId && (
          <StatusChoice taskId={taskId} current={currentStatus} value={form.status || currentStatus} onChange={(s) => set("status", s)} errors={errors.status} />
        )}
        <TextAreaField label="Notes" maxLength={2000} {...text("notes")} />
        <div className="row">
          {shows("tags") && <TextField label="Tags" hint="Separated by commas" {...text("tags")} />}
          {shows("estimated_duration") && <TextField label="Estimated duration (minutes)" type="number" min={0} step={1} {...text("estimated_duration")} />}
          <TextField label="Actual duration (minutes)" type="number" min={0} step={1} {...text("actual_duration")} />
          <TextField label="Film batch" maxLength={100} {...text("lot_film")} />
        </div>
        <label className="check">
          <input type="checkbox" checked={form.checklist_completed} onChange={(e) => set("checklist_completed", e.target.checked)} />
          Checklist completed
        </label>
      </fieldset>

      <RequestError error={error} shown={rendered} />
      <FormActions submitLabel={submitLabel} pending={pending} onCancel={onCancel} />
    </form>
  );
}

/** A technician's status choice: where the task is now, or a move the state machine allows. */
function StatusChoice({
  taskId,
  current,
  value,
  onChange,
  errors,
}: {
  taskId: string;
  current: TaskStatus;
  value: TaskStatus;
  onChange: (status: TaskStatus) => void;
  errors?: string[] | undefined;
}) {
  const transitions = useTransitions(taskId);
  const allowed = transitions.data?.allowed ?? [];
  return (
    <SelectField
      label="Status"
      value={value}
      onChange={(e) => onChange(e.target.value as TaskStatus)}
      errors={errors}
      hint={transitions.isPending ? "Loading the allowed moves…" : undefined}
      options={[[current, `${statusLabel(current)} (now)`], ...allowed.map((s) => [s, statusLabel(s)] as const)]}
    />
  );
}

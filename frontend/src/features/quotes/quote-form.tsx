import { useState, type FormEvent } from "react";
import type { FieldErrors } from "@/api/errors";
import { ClientPicker } from "@/components/client-picker";
import { FormLevelError, TextAreaField, TextField } from "@/components/field";
import { fieldErrors } from "@/components/field-errors";
import { FormActions } from "@/components/form-actions";
import { ZonePicker } from "@/components/zone-picker";
import type { QuoteForm as Form } from "./quote-form-model";

type TextKey = { [K in keyof Form]: Form[K] extends string ? K : never }[keyof Form];

/**
 * A quote's own fields: the small form of a new quote (`creating`: client, job, vehicle, zones,
 * validity), or all of a draft's. The server's field errors show at their fields, anything else
 * above the buttons.
 */
export function QuoteForm({
  initial,
  creating,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  initial: Form;
  creating: boolean;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (form: Form) => void;
  onCancel?: () => void;
}) {
  const [form, setForm] = useState(initial);
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const errors = { ...fieldErrors(error), ...localErrors };
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const text = (key: TextKey) => ({ value: form[key], onChange: (e: { target: { value: string } }) => set(key, e.target.value), errors: errors[key] });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors = form.client_id ? {} : { client_id: ["choose a client"] };
    setLocalErrors(found);
    if (Object.keys(found).length === 0) onSubmit(form);
  };

  const shown = [
    "client_id", "description", "vehicle_plate", "vehicle_make", "vehicle_model", "ppf_zones", "valid_until",
    ...(creating ? [] : ["vehicle_year", "vehicle_vin", "notes", "terms"]),
  ];

  return (
    <form className="stack quote-form" onSubmit={submit} noValidate aria-label={creating ? "New quote" : "Quote details"}>
      <div className="row">
        <ClientPicker value={form.client_id} onChange={(id) => set("client_id", id)} errors={errors.client_id} emptyLabel="Choose a client" />
        <TextField label="Valid until" type="date" hint={creating ? "Empty: 30 days from today" : undefined} {...text("valid_until")} />
      </div>
      <TextAreaField label="Description" maxLength={2000} hint="What the job is, as the client reads it" {...text("description")} />
      <div className="row">
        <TextField label="Vehicle plate" maxLength={20} autoComplete="off" {...text("vehicle_plate")} />
        <TextField label="Vehicle make" maxLength={100} {...text("vehicle_make")} />
        <TextField label="Vehicle model" maxLength={100} {...text("vehicle_model")} />
        {!creating && <TextField label="Vehicle year" inputMode="numeric" maxLength={4} {...text("vehicle_year")} />}
        {!creating && <TextField label="VIN" maxLength={17} {...text("vehicle_vin")} />}
      </div>
      <ZonePicker legend="PPF zones" value={form.ppf_zones} kept={initial.ppf_zones} onChange={(zones) => set("ppf_zones", zones)} errors={errors.ppf_zones} />
      {!creating && (
        <div className="row">
          <TextAreaField label="Notes" maxLength={2000} {...text("notes")} />
          <TextAreaField label="Terms and conditions" maxLength={4000} {...text("terms")} />
        </div>
      )}
      <FormLevelError error={error} shown={shown} />
      {onCancel ? (
        <FormActions submitLabel={submitLabel} pending={pending} onCancel={onCancel} />
      ) : (
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={pending}>
            {submitLabel}
          </button>
        </div>
      )}
    </form>
  );
}

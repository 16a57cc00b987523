import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import type { FieldErrors } from "@/api/errors";
import { FormLevelError, SelectField, TextField } from "@/components/field";
import { fieldErrors } from "@/components/field-errors";
import { personName, useTechnicians } from "@/lib/technicians";
import { useConvertQuote, type ConvertQuote, type QuoteDetail } from "./api";

/**
 * Turn an accepted quote into its task: the day (required), a slot, a technician, and the vehicle
 * model when the quote has none. On success, the new task's page.
 */
export function ConvertForm({ quote }: { quote: QuoteDetail }) {
  const convert = useConvertQuote(quote.id);
  const technicians = useTechnicians(true);
  const navigate = useNavigate();
  const [date, setDate] = useState("");
  const [start, setStart] = useState("");
  const [end, setEnd] = useState("");
  const [technician, setTechnician] = useState("");
  const [model, setModel] = useState("");
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const errors = { ...fieldErrors(convert.error), ...localErrors };
  const asksModel = !quote.vehicle_model;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors = {};
    if (!date) found.scheduled_date = ["is required"];
    if (asksModel && !model.trim()) found.vehicle_model = ["is required: the quote has none"];
    setLocalErrors(found);
    if (Object.keys(found).length > 0) return;
    const body: ConvertQuote = { scheduled_date: date };
    if (start) body.start_time = start;
    if (end) body.end_time = end;
    if (technician) body.technician_id = technician;
    if (asksModel) body.vehicle_model = model.trim();
    convert.mutate(body, { onSuccess: ({ task }) => navigate(`/tasks/${task.id}`) });
  };

  const options = (technicians.data ?? []).filter((t) => t.is_active).map((t) => [t.id, personName(t)] as const);
  const shown = ["scheduled_date", "start_time", "end_time", "technician_id", ...(asksModel ? ["vehicle_model"] : [])];
  return (
    <form className="stack quote-convert" onSubmit={submit} noValidate aria-labelledby="convert-title">
      <h3 id="convert-title">Convert into a task</h3>
      <div className="row">
        <TextField label="Scheduled date" type="date" required value={date} onChange={(e) => setDate(e.target.value)} errors={errors.scheduled_date} />
        <TextField label="Start time" type="time" hint="With the end time; empty for the whole day" value={start} onChange={(e) => setStart(e.target.value)} errors={errors.start_time} />
        <TextField label="End time" type="time" value={end} onChange={(e) => setEnd(e.target.value)} errors={errors.end_time} />
      </div>
      <div className="row">
        <SelectField
          label="Technician"
          value={technician}
          onChange={(e) => setTechnician(e.target.value)}
          errors={errors.technician_id}
          hint={technicians.error ? "Technicians could not be loaded." : "Optional: the task is then assigned"}
          options={[["", technicians.isPending ? "Loading…" : "Nobody yet"], ...options]}
        />
        {asksModel && <TextField label="Vehicle model" required maxLength={100} value={model} onChange={(e) => setModel(e.target.value)} errors={errors.vehicle_model} />}
      </div>
      <FormLevelError error={convert.error} shown={shown} />
      <div>
        <button type="submit" className="button primary" disabled={convert.isPending}>
          {convert.isPending ? "Converting…" : "Convert into a task"}
        </button>
      </div>
    </form>
  );
}

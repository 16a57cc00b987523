import { useState, type FormEvent } from "react";
import type { FieldErrors } from "@/api/errors";
import { FormLevelError, SelectField, TextAreaField, TextField } from "@/components/field";
import { fieldErrors } from "@/components/field-errors";
import { FormActions } from "@/components/form-actions";
import { useRaiseException } from "./api";
import { SEVERITIES } from "./labels";
import type { NewException, Severity, StageDefinition } from "./types";

/** Kinds people usually raise; any other text is accepted. */
const TYPES = ["Gate Block", "Quality Failure", "SLA Breach", "Material Shortage", "Equipment Fault", "Compliance Gap"];

const SHOWN = ["type", "severity", "owner", "description", "impact", "escalation"];

/** Raise an exception on a stage (it goes on hold); the server's refusals show at their fields. */
export function RaiseExceptionForm({ runbookId, stage, onDone }: { runbookId: string; stage: StageDefinition; onDone: () => void }) {
  const raise = useRaiseException();
  const [type, setType] = useState("");
  const [severity, setSeverity] = useState<Severity | "">("");
  const [owner, setOwner] = useState("");
  const [description, setDescription] = useState("");
  const [impact, setImpact] = useState("");
  const [escalation, setEscalation] = useState("");
  const [local, setLocal] = useState<FieldErrors>({});
  const errors = { ...fieldErrors(raise.error), ...local };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors = {};
    if (!type.trim()) found.type = ["is required"];
    if (!severity) found.severity = ["choose a severity"];
    if (!owner.trim()) found.owner = ["is required"];
    if (!description.trim()) found.description = ["is required"];
    setLocal(found);
    if (Object.keys(found).length > 0 || !severity) return;
    const body: NewException = {
      runbookId,
      stageId: stage.id,
      type: type.trim(),
      severity,
      owner: owner.trim(),
      description: description.trim(),
      impact: impact.trim() || null,
      escalation: escalation.trim() || null,
    };
    raise.mutate(body, { onSuccess: onDone });
  };

  const titleId = `raise-${stage.id}-title`;
  return (
    <form className="stack card" aria-labelledby={titleId} noValidate onSubmit={submit}>
      <h4 id={titleId}>Raise an exception on {stage.name}</h4>
      <div className="row">
        <TextField label="Type" required list={`${titleId}-types`} value={type} maxLength={100} onChange={(e) => setType(e.target.value)} errors={errors.type} />
        <datalist id={`${titleId}-types`}>
          {TYPES.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
        <SelectField
          label="Severity"
          required
          value={severity}
          onChange={(e) => setSeverity(e.target.value as Severity | "")}
          errors={errors.severity}
          options={[["", "Choose…"], ...SEVERITIES.map((s) => [s, s] as const)]}
        />
        <TextField label="Owner" required value={owner} maxLength={100} onChange={(e) => setOwner(e.target.value)} errors={errors.owner} hint="Who handles it, e.g. QA Engineer" />
      </div>
      <TextAreaField label="Description" required value={description} maxLength={2000} onChange={(e) => setDescription(e.target.value)} errors={errors.description} />
      <div className="row">
        <TextField label="Impact" value={impact} maxLength={500} onChange={(e) => setImpact(e.target.value)} errors={errors.impact} />
        <TextField label="Escalation" value={escalation} maxLength={200} onChange={(e) => setEscalation(e.target.value)} errors={errors.escalation} hint="Who it goes to next" />
      </div>
      <FormLevelError error={raise.error} shown={SHOWN} />
      <FormActions submitLabel={raise.isPending ? "Raising…" : "Raise exception"} pending={raise.isPending} onCancel={onDone} />
    </form>
  );
}

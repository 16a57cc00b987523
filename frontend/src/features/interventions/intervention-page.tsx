import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router-dom";
import { useSession } from "@/api/provider";
import { FormLevelError, TextAreaField, TextField } from "@/components/field";
import { fieldErrors } from "@/components/field-errors";
import { Page } from "@/components/page";
import { QueryState } from "@/components/states";
import { useAdvanceStep, useDownloadReport, useFinalize, useIntervention, useLifecycle, useSaveStep, type InterventionDetail, type Step } from "./api";
import { SignaturePad } from "./signature-pad";
import { StepMaterials } from "./step-materials";
import { StepPhotos } from "./step-photos";
import { CHECKLISTS, ZONE_CHECKLIST, collectedData, draftOf, type StepDraft } from "./step-data";
import "./interventions.css";

/** One intervention: its stepper, the active step's form and photos, and finalisation. */
export function InterventionPage() {
  const { id = "" } = useParams();
  const detail = useIntervention(id);
  return <QueryState query={detail}>{(data) => <Intervention detail={data} />}</QueryState>;
}

function Intervention({ detail }: { detail: InterventionDetail }) {
  const { intervention, steps, warnings } = detail;
  const role = useSession()?.user.role;
  const worker = role === "admin" || role === "supervisor" || role === "technician";
  const lifecycle = useLifecycle(intervention.id);
  const running = intervention.status === "in_progress";
  const active = steps.find((s) => s.step_status !== "completed" && s.step_status !== "skipped");
  const [open, setOpen] = useState<string | null>(null);
  const shown = steps.find((s) => s.id === open) ?? active ?? steps[steps.length - 1];
  const allDone = steps.every((s) => !s.is_mandatory || s.step_status === "completed");

  return (
    <Page
      title={`Intervention · ${intervention.vehicle_plate}`}
      actions={
        <>
          <Link to={`/tasks/${intervention.task_id}`} className="button">
            Task {intervention.task_number}
          </Link>
          {worker && running && (
            <button type="button" className="button" onClick={() => lifecycle.mutate("pause")}>
              Pause
            </button>
          )}
          {worker && intervention.status === "paused" && (
            <button type="button" className="button" onClick={() => lifecycle.mutate("resume")}>
              Resume
            </button>
          )}
        </>
      }
    >
      <FormLevelError error={lifecycle.error} shown={[]} />
      <p>
        <span data-testid="intervention-status" data-status={intervention.status}>
          {intervention.status.replace("_", " ")}
        </span>{" "}
        · {intervention.workflow.replace("_", " ")} ·{" "}
        <span data-testid="intervention-progress">{intervention.completion_percentage}%</span>
      </p>
      <progress max={100} value={intervention.completion_percentage} aria-label="Progress" />
      {warnings.length > 0 && (
        <ul className="warnings" role="status">
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <ol className="stepper" aria-label="Steps">
        {steps.map((step) => (
          <li key={step.id} data-status={step.step_status} aria-current={step.id === active?.id ? "step" : undefined}>
            <button type="button" className="link" onClick={() => setOpen(step.id)}>
              {step.step_number}. {step.step_name}
            </button>{" "}
            <span className="muted">{step.step_status.replace("_", " ")}</span>
          </li>
        ))}
      </ol>
      {shown && (
        <StepPanel
          key={`${shown.id}-${shown.updated_at}`}
          detail={detail}
          step={shown}
          canChange={worker && running && shown.id === active?.id}
          canPhoto={worker && intervention.status !== "completed" && intervention.status !== "cancelled"}
        />
      )}
      {worker && running && allDone && <FinalizeForm interventionId={intervention.id} />}
      {intervention.status === "completed" && (
        <section className="card">
          <h2>Finalised</h2>
          <p>
            Signed by {intervention.signatory} · satisfaction {intervention.customer_satisfaction ?? "–"}/10 · quality{" "}
            {intervention.quality_score ?? "–"}/100
          </p>
          <ReportDownload interventionId={intervention.id} />
        </section>
      )}
    </Page>
  );
}

function StepPanel({ detail, step, canChange, canPhoto }: { detail: InterventionDetail; step: Step; canChange: boolean; canPhoto: boolean }) {
  const id = detail.intervention.id;
  const [draft, setDraft] = useState<StepDraft>(() => draftOf(step, detail.intervention.ppf_zones_config));
  const save = useSaveStep(id);
  const advance = useAdvanceStep(id);
  const body = () => ({ collected_data: collectedData(step, draft), notes: draft.notes.trim() || undefined });
  const tick = (list: string, key: string, value: boolean) =>
    setDraft((d) => ({ ...d, lists: { ...d.lists, [list]: { ...d.lists[list], [key]: value } } }));

  return (
    <section className="card step-panel" aria-labelledby="step-title">
      <h2 id="step-title">
        {step.step_number}. {step.step_name}
      </h2>
      {step.description && <p>{step.description}</p>}
      <ul className="checkpoints">
        {step.quality_checkpoints.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      {step.rejection_reason && <p role="alert">Sent back: {step.rejection_reason}</p>}
      {step.requires_supervisor_approval && <p className="muted">A supervisor approves this step before it completes.</p>}
      {CHECKLISTS[step.step_type].map((list) => (
        <fieldset key={list.key} disabled={!canChange}>
          <legend>Checklist</legend>
          {list.items.map(([key, label]) => (
            <label key={key} className="check">
              <input type="checkbox" checked={Boolean(draft.lists[list.key]?.[key])} onChange={(e) => tick(list.key, key, e.target.checked)} /> {label}
            </label>
          ))}
        </fieldset>
      ))}
      {draft.zones.map((zone, i) => (
        <fieldset key={zone.id} disabled={!canChange}>
          <legend>Zone {zone.name}</legend>
          {ZONE_CHECKLIST.map(([key, label]) => (
            <label key={key} className="check">
              <input
                type="checkbox"
                checked={Boolean(zone.checklist[key])}
                onChange={(e) =>
                  setDraft((d) => ({
                    ...d,
                    zones: d.zones.map((z, j) => (j === i ? { ...z, checklist: { ...z.checklist, [key]: e.target.checked }, status: "in_progress" } : z)),
                  }))
                }
              />{" "}
              {label}
            </label>
          ))}
          <TextField
            label="Zone quality (0–10)"
            type="number"
            min={0}
            max={10}
            value={zone.quality_score ?? ""}
            onChange={(e) =>
              setDraft((d) => ({
                ...d,
                zones: d.zones.map((z, j) => (j === i ? { ...z, quality_score: e.target.value === "" ? undefined : Number(e.target.value), status: "completed" } : z)),
              }))
            }
          />
        </fieldset>
      ))}
      <TextAreaField label="Step notes" maxLength={2000} disabled={!canChange} value={draft.notes} onChange={(e) => setDraft((d) => ({ ...d, notes: e.target.value }))} />
      <StepPhotos interventionId={id} step={step} canChange={canPhoto} />
      <StepMaterials interventionId={id} step={step} canRecord={canChange} />
      <FormLevelError error={save.error ?? advance.error} shown={[]} />
      {canChange && (
        <div className="actions">
          <button type="button" className="button" disabled={save.isPending} onClick={() => save.mutate({ stepId: step.id, body: body() })}>
            Save progress
          </button>
          <button type="button" className="button primary" disabled={advance.isPending} onClick={() => advance.mutate({ stepId: step.id, body: body() })}>
            Complete step
          </button>
        </div>
      )}
    </section>
  );
}

function FinalizeForm({ interventionId }: { interventionId: string }) {
  const finalize = useFinalize(interventionId);
  const [svg, setSvg] = useState<string | null>(null);
  const [signatory, setSignatory] = useState("");
  const [satisfaction, setSatisfaction] = useState("");
  const [quality, setQuality] = useState("");
  const [comments, setComments] = useState("");
  const fields = fieldErrors(finalize.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!svg) return;
    finalize.mutate({
      customer_satisfaction: satisfaction ? Number(satisfaction) : null,
      quality_score: quality ? Number(quality) : null,
      final_observations: [],
      customer_signature: { svg_data: svg, signatory: signatory.trim(), customer_comments: comments.trim() || null },
    });
  };
  return (
    <section className="card" aria-labelledby="finalize-title">
      <h2 id="finalize-title">Finalise</h2>
      <form className="stack" onSubmit={submit}>
        <TextField label="Customer satisfaction (1–10)" type="number" min={1} max={10} value={satisfaction} onChange={(e) => setSatisfaction(e.target.value)} errors={fields.customer_satisfaction} />
        <TextField label="Quality score (0–100)" type="number" min={0} max={100} value={quality} onChange={(e) => setQuality(e.target.value)} errors={fields.quality_score} />
        <TextField label="Signed by" required maxLength={100} value={signatory} onChange={(e) => setSignatory(e.target.value)} errors={fields["customer_signature.signatory"]} />
        <TextAreaField label="Customer comments" maxLength={2000} value={comments} onChange={(e) => setComments(e.target.value)} />
        <SignaturePad onChange={setSvg} />
        <FormLevelError error={finalize.error} shown={["customer_satisfaction", "quality_score", "customer_signature.signatory"]} />
        <div>
          <button type="submit" className="button primary" disabled={finalize.isPending || !svg || !signatory.trim()}>
            Finalise intervention
          </button>
        </div>
      </form>
    </section>
  );
}

function ReportDownload({ interventionId }: { interventionId: string }) {
  const download = useDownloadReport(interventionId);
  return (
    <div className="stack">
      <div>
        <button type="button" className="button" disabled={download.isPending} onClick={() => download.mutate()}>
          Download report
        </button>
      </div>
      {download.data && <p className="muted">{download.data}</p>}
      <FormLevelError error={download.error} shown={[]} />
    </div>
  );
}
